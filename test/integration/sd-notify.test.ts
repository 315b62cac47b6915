// systemd notifications from the production bundle (images/cli/sd-notify.ts): with $NOTIFY_SOCKET
// and WATCHDOG_USEC the box runs systemd's own systemd-notify for READY=1, WATCHDOG=1 pings and
// STOPPING=1. The manager's end is a small python3 AF_UNIX datagram receiver that, like systemd,
// closes the barrier fd each message carries (systemd-notify waits for that). Without
// $NOTIFY_SOCKET nothing is sent; when the watchdog is another PID's (WATCHDOG_PID), READY but no pings.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBox } from '../helpers/process.js';

const RECEIVER = `
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("LISTENING", flush=True)
while True:
    data, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(64))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for i in range(0, len(payload) - len(payload) % 4, 4):
                os.close(int.from_bytes(payload[i:i + 4], sys.byteorder))
    print(data.decode().replace("\\n", " | "), flush=True)
`;

const usable = spawnSync('systemd-notify', ['--help']).status === 0 && spawnSync('python3', ['--version']).status === 0;

function receiver(path: string): Promise<{ proc: ChildProcess; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let buf = '';
    proc.stdout?.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const l of parts) {
        if (l === 'LISTENING') resolve({ proc, lines });
        else lines.push(l);
      }
    });
    proc.on('error', reject);
  });
}

async function until(fn: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('READY, watchdog pings, STOPPING', { skip: usable ? false : 'no systemd-notify or python3' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const sock = join(dir, 'notify.sock');
  const r = await receiver(sock);
  t.teardown(() => r.proc.kill());
  const box = await startBox(join(dir, 'data'), [], { NOTIFY_SOCKET: sock, WATCHDOG_USEC: '400000' });
  await until(() => r.lines.some((l) => l.includes('READY=1')), 10_000, 'READY=1');
  t.match(
    r.lines.find((l) => l.includes('READY=1')),
    /STATUS=serving on port \d+/,
  );
  await until(() => r.lines.filter((l) => l.startsWith('WATCHDOG=1')).length >= 3, 10_000, 'three watchdog pings');
  t.match(
    r.lines.find((l) => l.startsWith('WATCHDOG=1')),
    /STATUS=health (ok|degraded)/,
  );
  t.equal(await box.stop(), 0);
  await until(() => r.lines.some((l) => l.includes('STOPPING=1')), 5000, 'STOPPING=1');
  t.notOk(
    box.logs.some((l) => l.includes('systemd-notify failed')),
    'every notify went through',
  );
});

t.test('no NOTIFY_SOCKET: no systemd-notify at all', async (t) => {
  const { sdNotify } = await import('../../images/cli/sd-notify.js');
  t.equal(sdNotify({ env: {} }), null);
});

t.test(
  'the watchdog belongs to another PID: READY only, no pings',
  { skip: usable ? false : 'no systemd-notify or python3' },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'callbox-notify-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const sock = join(dir, 'notify.sock');
    const r = await receiver(sock);
    t.teardown(() => r.proc.kill());
    const { sdNotify } = await import('../../images/cli/sd-notify.js');
    const n = sdNotify({ env: { ...process.env, NOTIFY_SOCKET: sock, WATCHDOG_USEC: '200000', WATCHDOG_PID: '1' } });
    n?.ready('up');
    await until(() => r.lines.length > 0, 5000, 'READY=1');
    await new Promise((r) => setTimeout(r, 300));
    // each systemd-notify run ends with its barrier message
    const sent = r.lines.filter((l) => l !== 'BARRIER=1');
    t.equal(sent.length, 1, 'the watchdog belongs to another PID: no pings from this one');
    t.match(sent[0], /READY=1/);
    t.match(sent[0], /STATUS=up/);
  },
);
