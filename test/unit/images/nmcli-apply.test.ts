// nmcliApply (images/cli/provision-host.ts): reload, then each callbox-* keyfile's connection up,
// Wi-Fi first; a connection that does not come up fails with nmcli's own message. NetworkManager
// cannot run here (no system D-Bus), so `nmcli` is a shell script that records its arguments and
// fails the way nmcli does for a wrong Wi-Fi password (exit 4, message on stderr).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { nmcliApply } from '../../../images/cli/provision-host.js';

t.test('reload, Wi-Fi first, then Ethernet; a failure carries the message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-nmcli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const conns = join(dir, 'system-connections');
  mkdirSync(conns);
  for (const f of ['callbox-eth0.nmconnection', 'callbox-wifi.nmconnection', 'other.nmconnection']) writeFileSync(join(conns, f), '');
  const log = join(dir, 'calls');
  const nmcli = join(dir, 'nmcli');
  writeFileSync(
    nmcli,
    `#!/bin/sh\necho "$*" >> ${log}\nif [ -e ${dir}/fail ] && [ "$6" = callbox-wifi ]; then echo "Error: Connection activation failed: Secrets were required, but not provided." >&2; exit 4; fi\n`,
  );
  chmodSync(nmcli, 0o755);
  await nmcliApply(conns, 30, nmcli)();
  t.same(readFileSync(log, 'utf8').trim().split('\n'), [
    'connection reload',
    '--wait 30 connection up id callbox-wifi',
    '--wait 30 connection up id callbox-eth0',
  ]);
  writeFileSync(join(dir, 'fail'), '');
  await t.rejects(
    nmcliApply(conns, 30, nmcli)(),
    /nmcli connection up callbox-wifi\.nmconnection: Error: Connection activation failed: Secrets were required/,
  );
  await t.resolves(nmcliApply(join(dir, 'missing'), 30, nmcli)(), 'no keyfiles: reload only');
});
