// 线路与通道 → SIP 分机 in headless chromium against a real box (the production bundle) with SIP on
// loopback and extension 101: the address and port to type into a phone, 101 not registered until a
// SIPp REGISTER makes it 已注册 on the page; a new extension with a generated password shown once, a
// bad extension name refused beside its field, the outside-line prefix and a DID → menu; saved (SIP
// waits for a restart, the page says so), the new phone listed with its password masked and the
// generated one stored; the agents page offers sip-<user> phones. Screenshot: test/artifacts/setup-sip.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Config } from '../../firmware/src/config/schema.js';
import { formError, formErrorGone, startBrowserBox } from './fixtures/browser-box.js';
import { registerPhone } from './fixtures/sip-box.js';

const base = 43700;

t.test('SIP phones on the setup page: settings, registration, add with a generated password, DID, agents', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-setup-sip-page-', {
    env: { CALLBOX_SIP_PORT: String(base), CALLBOX_SIP_BIND: '127.0.0.1', CALLBOX_RTP_PORTS: `${base + 2}-${base + 9}` },
    config: (c) => {
      c.sip = { extensions: [{ user: '101', password: 'secret-101' }] };
    },
  });
  await bb.api('POST', '/api/v1/users', { username: 'tech', role: 'technician', password: 'tech-password-1' });
  const page = await bb.newPage();
  await bb.signIn(page, '/setup#lines', 'tech', 'tech-password-1');
  t.equal(await (await page.waitForSelector('#sip-address')).textContent(), `127.0.0.1:${base}`, 'what to type into a phone');
  await page.waitForSelector('[data-sip="101"] [data-registration="unregistered"]');
  t.equal(await page.getAttribute('#sip-0-password', 'data-masked'), 'true', 'the saved password is not shown');

  const reg = await registerPhone(bb.dataDir, base, '101', base + 11);
  t.equal(reg.code, 0, reg.stderr);
  const registered = await page.waitForSelector('[data-sip="101"] [data-registration="registered"]', { timeout: 10_000 });
  t.match(await registered.textContent(), new RegExp(`已注册 来自 127\\.0\\.0\\.1:${base + 11}`), 'registered, and from where');

  // a new extension: a generated password, shown until saved
  await page.click('#sip-add');
  const password = await (await page.waitForSelector('#sip-1-password')).inputValue();
  t.match(password, /^[a-zA-Z2-9]{12}$/, 'a generated password, shown once');
  await page.click('#sip-1-generate');
  t.not(await page.inputValue('#sip-1-password'), password, 'generate again: another one');
  const generated = await page.inputValue('#sip-1-password');
  await page.fill('#sip-1-user', 'Bad User');
  const err = await formError(page, '/sip/extensions/1/user');
  t.match(err.title, /must match/, "the box's message beside the field");
  t.equal(err.text, '只能用小写字母、数字、- 和 _（最多 20 个）', 'in Chinese, for this field');
  await page.fill('#sip-1-user', '102');
  t.ok(await formErrorGone(page, '/sip/extensions/1/user'), 'a good name: the message goes');
  await page.fill('#sip-prefix', '9x');
  t.equal((await formError(page, '/sip/outboundPrefix')).text, '只能是 1 到 2 位数字');
  await page.fill('#sip-prefix', '9');
  t.ok(await formErrorGone(page, '/sip/outboundPrefix'), 'a good prefix: the message goes');
  await page.click('#sip-did-add');
  await page.fill('#did-0-number', '075512345678');
  await page.selectOption('#did-0-ivr', 'main');
  await bb.shot(page, 'setup-sip');
  await page.click('#setup-save');
  t.match(
    await (await page.waitForSelector('#setup-status:has-text("已保存")')).textContent(),
    /\/sip/,
    'the save says SIP needs a restart',
  );
  await page.waitForSelector('#sip-restart');
  await page.waitForSelector('[data-sip="102"] [data-registration="pending"]');
  t.equal(await page.getAttribute('#sip-1-password', 'data-masked'), 'true', 'after saving the password is masked');
  t.notOk((await page.content()).includes(generated), 'and nowhere on the page any more');
  const onDisk = JSON.parse(readFileSync(join(bb.dataDir, 'config.json'), 'utf8')) as Config;
  t.match(onDisk.sip, {
    extensions: [
      { user: '101', password: 'secret-101' },
      { user: '102', password: generated },
    ],
    outboundPrefix: '9',
    dids: [{ did: '075512345678', ivr: 'main' }],
  });

  await page.click('button:has-text("坐席与技能")');
  await page.waitForSelector('[data-agent="a1"]');
  const phones = await page.$$eval('#agent-phones option', (os) => os.map((o) => o.getAttribute('value') ?? ''));
  t.ok(phones.includes('sip-101') && phones.includes('sip-102') && phones.includes('fxs1'), `agents can be put on ${phones.join(', ')}`);
  t.same(bb.errors, [], 'no page errors');
});
