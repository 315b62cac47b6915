/** The NOTIFYs of a REFER's implicit subscription (RFC 3515 §2.4.4): a sipfrag with the transfer's progress or outcome. */
import type { Session } from 'sip.js';
import type { Clock } from '../../clock.js';

/** Send `SIP/2.0 <status>` in the dialog of `s`; resolves when answered (or after 2 s, or at once when the dialog is gone). */
export function notifyRefer(s: Session, clock: Clock, status: string, final: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(resolve, 2000);
    const done = () => {
      timer.cancel();
      resolve();
    };
    try {
      s.dialog?.notify(
        { onAccept: done, onReject: done },
        {
          extraHeaders: ['Event: refer', `Subscription-State: ${final ? 'terminated;reason=noresource' : 'active;expires=60'}`],
          body: { contentDisposition: 'render', contentType: 'message/sipfrag;version=2.0', content: `SIP/2.0 ${status}\r\n` },
        },
      );
    } catch {
      done(); // dialog gone: nothing to notify
    }
  });
}
