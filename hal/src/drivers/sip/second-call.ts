/**
 * A SIP phone's second call: an agent's phone in a call (usually holding it first, as desk phones
 * do to start an attended transfer) sends another INVITE, to an outside number. The phone channel
 * reports it as `secondCall` and hands its audio to it: `183` with the box's SDP at once (the box's
 * ringback or the line's audio reach the phone), `200` when the box connects it (the number
 * answered), BYE or `480` when the box ends it. A REFER on the first call with Replaces naming this
 * dialog asks the box to hand the first call's far end to this call's (sip-phone-channel.ts).
 */
import { type Invitation, SessionState } from 'sip.js';
import type { RtpSdh } from './rtp-sdh.js';

export class SecondCall {
  constructor(
    readonly session: Invitation,
    /** The number the phone dialled (its outside-line prefix removed). */
    readonly number: string,
    /** The dialog ended, from either side. */
    ended: () => void,
  ) {
    // a REFER on this dialog (naming the held call) is not taken: the phone REFERs the held call
    session.delegate = { onRefer: (r) => r.reject({ statusCode: 603 }).catch(() => {}) };
    session.stateChange.addListener((st) => {
      if (st === SessionState.Terminated) ended();
    });
  }

  /** 183 Session Progress with the box's SDP: audio flows to the phone from now; `ready` once sent. */
  progress(ready: () => void): void {
    this.session
      .progress({ statusCode: 183 })
      .then(ready)
      .catch(() => {});
  }

  get sdh(): RtpSdh | undefined {
    return this.session.sessionDescriptionHandler as RtpSdh | undefined;
  }

  async answer(): Promise<void> {
    if (this.session.state === SessionState.Establishing || this.session.state === SessionState.Initial) await this.session.accept();
  }

  /** BYE when answered, else refused 480. */
  async end(): Promise<void> {
    const s = this.session;
    if (s.state === SessionState.Established) await s.bye();
    else if (s.state === SessionState.Initial || s.state === SessionState.Establishing) await s.reject({ statusCode: 480 });
  }
}
