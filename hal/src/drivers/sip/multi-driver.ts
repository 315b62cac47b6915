/** Several drivers as one (e.g. the sim or pihat ports plus SIP): channels of all, started in order. */
import type { Channel, Driver } from '../../channel.js';

export class MultiDriver implements Driver {
  readonly name: string;

  constructor(readonly drivers: Driver[]) {
    this.name = drivers.map((d) => d.name).join('+');
  }

  channels(): Channel[] {
    return this.drivers.flatMap((d) => d.channels());
  }

  async start(): Promise<void> {
    for (const d of this.drivers) await d.start();
  }

  async stop(): Promise<void> {
    for (const d of [...this.drivers].reverse()) await d.stop().catch(() => {});
  }
}
