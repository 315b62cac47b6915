// `callbox provision` in-process against a box over a socat pty pair (real serialport both ends):
// a scripted run writes its report, the clear errors (wrong port, box not answering, wrong code),
// and the factory step that stores the label code's hash.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { PROVISION_EXIT, runProvision } from '../../provisioning/src/client/cli.js';
import { CODE, PtyPair, rig } from './fixtures/provision-pty.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      stdin: new PassThrough(),
      env,
    },
  };
}

t.test('scripted run from a profile file writes the report; info and selftest need no code', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const dir = mkdtempSync(join(tmpdir(), 'callbox-cli-'));
  writeFileSync(
    join(dir, 'shop.json'),
    JSON.stringify({ shop: { name: '李记五金 / Li hardware', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' } }),
  );
  writeFileSync(
    join(dir, 'profile.json'),
    JSON.stringify({ deviceId: 'li-0002', ownerPassword: 'Li-owner-2026', profile: 'shop.json', selftest: true }),
  );
  const info = io();
  t.equal(await runProvision(['--port', r.pty.a, 'info'], info.io), PROVISION_EXIT.OK, info.err.join(''));
  t.equal(JSON.parse(info.out.join('')).serial, '10000000abcdef01');
  const st = io();
  t.equal(await runProvision(['--port', r.pty.a, 'selftest'], st.io), PROVISION_EXIT.OK);
  t.match(st.out.join(''), /ok {4}database/);
  const run = io({ CALLBOX_PROVISION_CODE: CODE });
  const reportFile = join(dir, 'report.json');
  const code = await runProvision(['--port', r.pty.a, 'run', '--profile', join(dir, 'profile.json'), '--report', reportFile], run.io);
  t.equal(code, PROVISION_EXIT.OK, run.err.join(''));
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  t.equal(report.ok, true);
  t.same(
    report.steps.map((s: { step: string }) => s.step),
    ['hello', 'authenticate', 'device', 'owner', 'profile', 'selftest'],
  );
  t.equal(JSON.parse(readFileSync(join(r.dataDir, 'config.json'), 'utf8')).shop.name, '李记五金 / Li hardware');
  t.match(run.err.join(''), /profile \[#{20}\] 100%/, 'progress shown for the upload');
});

t.test('clear errors: wrong port, box not answering, wrong code, missing code', async (t) => {
  const nowhere = io();
  t.equal(await runProvision(['--port', '/dev/ttyACM-none', 'info'], nowhere.io), PROVISION_EXIT.UNAVAILABLE);
  t.match(nowhere.err.join(''), /cannot open \/dev\/ttyACM-none.*\n.*plugged in/);
  const silent = new PtyPair();
  await silent.start();
  t.teardown(() => silent.dispose());
  const mute = io();
  t.equal(await runProvision(['--port', silent.a, '--timeout', '300', 'info'], mute.io), PROVISION_EXIT.UNAVAILABLE);
  t.match(mute.err.join(''), /TIMEOUT: the box did not answer "hello" within 300 ms/);

  const r = await rig();
  t.teardown(() => r.close());
  const dir = mkdtempSync(join(tmpdir(), 'callbox-cli-'));
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ deviceId: 'x-1' }));
  const wrong = io({ CALLBOX_PROVISION_CODE: '11111111' });
  t.equal(
    await runProvision(['--port', r.pty.a, 'run', '--profile', join(dir, 'p.json'), '--report', join(dir, 'r.json')], wrong.io),
    PROVISION_EXIT.NOPERM,
  );
  t.match(wrong.err.join(''), /step "authenticate" failed: wrong code/);
  t.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).steps[1].error.code, 'AUTH_FAILED', 'the report names the failure');
  const none = io();
  t.equal(await runProvision(['--port', r.pty.a, 'logs', '--out', dir], none.io), PROVISION_EXIT.USAGE);
  t.match(none.err.join(''), /--code or CALLBOX_PROVISION_CODE/);
  const usage = io();
  t.equal(await runProvision(['info'], usage.io), PROVISION_EXIT.USAGE);
  t.equal(await runProvision(['--bogus'], io().io), PROVISION_EXIT.USAGE);
});

t.test('logs download and the two-step reset asked on the terminal', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  writeFileSync(join(r.logsDir, 'callbox.log'), '{"msg":"开机 / boot"}\n'.repeat(2000));
  const out = mkdtempSync(join(tmpdir(), 'callbox-logs-'));
  const logs = io({ CALLBOX_PROVISION_CODE: CODE });
  t.equal(await runProvision(['--port', r.pty.a, 'logs', '--out', out], logs.io), PROVISION_EXIT.OK, logs.err.join(''));
  t.equal(readFileSync(join(out, 'callbox.log'), 'utf8'), readFileSync(join(r.logsDir, 'callbox.log'), 'utf8'));
  const before = readFileSync(join(r.dataDir, 'config.json'), 'utf8');
  const no = io({ CALLBOX_PROVISION_CODE: CODE });
  const answering = runProvision(['--port', r.pty.a, 'reset'], no.io);
  setTimeout(() => no.io.stdin.write('no thanks\n'), 300);
  t.equal(await answering, PROVISION_EXIT.FAILURE);
  t.match(no.err.join(''), /type RESET/);
  t.equal(readFileSync(join(r.dataDir, 'config.json'), 'utf8'), before, 'cancelled: nothing erased');
  await r.vb.box.auth.login('owner', 'test-password-1');
  const yes = io({ CALLBOX_PROVISION_CODE: CODE });
  const confirming = runProvision(['--port', r.pty.a, 'reset'], yes.io);
  setTimeout(() => yes.io.stdin.write('RESET\n'), 300);
  t.equal(await confirming, PROVISION_EXIT.OK, yes.err.join(''));
  t.equal(r.vb.box.auth.hasOwner(), false, 'the owner is gone: the next start prints a setup code');
});

t.test('factory step: pop stores only the hash and prints the code', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-pop-'));
  const p = io();
  t.equal(await runProvision(['pop', '--data-dir', dir], p.io), PROVISION_EXIT.OK);
  const code = p.out.join('').trim();
  t.match(code, /^\d{8}$/);
  const stored = readFileSync(join(dir, 'provisioning', 'pop.hash'), 'utf8');
  t.notOk(stored.includes(code));
  t.ok(existsSync(join(dir, 'provisioning', 'pop.hash')));
  t.equal(await runProvision(['pop', '--data-dir', dir, '--code', '12'], io().io), PROVISION_EXIT.USAGE, 'too short a code');
});
