// The first-run setup wizard (设置向导) in headless chromium against a real box on its first boot
// (no owner, a one-time setup code on its console): the app shows the wizard instead of the
// sign-in page; a wrong code is refused; the right one makes the owner, who names the shop, picks
// the lines in use and the agents, ends signed in on the wallboard showing the shop's name; the
// config holds the choices; afterwards the wizard is gone (sign-in page, 409 on the setup route).
// Screenshots: test/artifacts/wizard-*.png (desktop and phone).
import { join } from 'node:path';
import t from 'tap';
import { formError } from './fixtures/browser-box.js';
import { ARTIFACTS, startFreshBox } from './fixtures/fresh-box.js';

t.test('first run: wizard → owner signed in → wallboard with the shop name', async (t) => {
  const { box, browser, setupCode } = await startFreshBox(t);
  const state = await fetch(`${box.url}/api/v1/setup/state`);
  t.same(await state.json(), { needed: true });

  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) errors.push(m.text());
  });
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `wizard-${name}.png`), fullPage: true });

  await page.goto(box.url);
  await page.waitForSelector('#setup-wizard');
  t.equal(await page.locator('#login-username').count(), 0, 'the wizard replaces the sign-in page');
  t.match(await page.textContent('#wizard-title'), /设置码/);
  await shot('1-code');

  // a wrong code: refused, back on the code step, no owner made
  await page.fill('#wizard-code', setupCode === '00000000' ? '11111111' : '00000000');
  await page.click('#wizard-next');
  await page.fill('#wizard-password', 'owner-pass-1');
  await page.fill('#wizard-password2', 'owner-pass-1');
  await page.click('#wizard-next');
  await formError(page, 'wizard', '设置码不正确');
  t.ok(await page.isVisible('#wizard-code'), 'back on the code step');
  await shot('2-wrong-code');
  t.same(await (await fetch(`${box.url}/api/v1/setup/state`)).json(), { needed: true }, 'still no owner');

  // passwords that differ are caught before the box is asked
  await page.fill('#wizard-code', setupCode);
  await page.click('#wizard-next');
  await page.fill('#wizard-password', 'owner-pass-1');
  await page.fill('#wizard-password2', 'owner-pass-2');
  await page.click('#wizard-next');
  await formError(page, 'wizard', '不一致');
  await page.fill('#wizard-password2', 'owner-pass-1');
  await page.click('#wizard-next');

  await page.waitForSelector('#wizard-shop');
  await page.fill('#wizard-shop', '小李茶叶店');
  await shot('3-shop');
  await page.click('#wizard-next');

  await page.waitForSelector('#line-fxo1');
  t.ok(await page.isChecked('#line-fxo1'));
  t.ok(await page.isChecked('#line-gsm1'));
  await page.uncheck('#line-fxo2');
  await shot('4-lines');
  await page.click('#wizard-next');

  await page.waitForSelector('#agent-name-0');
  t.equal(await page.locator('.wizard-agent').count(), 4, 'the agents of the config, one per extension');
  await page.fill('#agent-name-0', '小王');
  await page.fill('#agent-name-1', '小李');
  await page.click('.wizard-agent:nth-child(4) button');
  await page.click('.wizard-agent:nth-child(3) button');
  t.equal(await page.locator('.wizard-agent').count(), 2);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('5-agents-phone');
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.click('#wizard-next');

  await page.waitForSelector('#wizard-done');
  await shot('6-done');
  await page.click('#wizard-next');
  await page.waitForSelector('#shop-name');
  t.equal(await page.textContent('#shop-name'), '小李茶叶店', 'the wallboard shows the shop name');
  t.ok(await page.isVisible('#sign-out'), 'signed in as the owner');
  await page.waitForSelector('.agent');
  t.same(
    await page.locator('li.line').evaluateAll((els) => els.map((e) => e.getAttribute('data-line'))),
    ['fxo1', 'gsm1'],
    'the wallboard shows the lines in use',
  );
  t.equal(await page.locator('.agent').count(), 2, 'and the two agents');
  await shot('7-wallboard');

  // the owner's password works; the config holds the wizard's choices
  const grant = await fetch(`${box.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: 'owner-pass-1' }),
  });
  t.equal(grant.status, 200, 'owner signs in with the wizard password');
  const { token } = (await grant.json()) as { token: string };
  const cfg = (await (await fetch(`${box.url}/api/v1/config`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    config: { shop: { name: string }; lines: { channel: string }[]; agents: { id: string; name: string; extension: string }[] };
  };
  t.equal(cfg.config.shop.name, '小李茶叶店');
  t.same(
    cfg.config.lines.map((l) => l.channel),
    ['fxo1', 'gsm1'],
  );
  t.same(
    cfg.config.agents.map((a) => [a.name, a.extension]),
    [
      ['小王', 'fxs1'],
      ['小李', 'fxs2'],
    ],
  );

  // afterwards: no wizard, the sign-in page; the setup route refuses
  t.same(await (await fetch(`${box.url}/api/v1/setup/state`)).json(), { needed: false });
  const other = await browser.newPage();
  await other.goto(box.url);
  await other.waitForSelector('#login-username');
  t.equal(await other.locator('#setup-wizard').count(), 0, 'the wizard is gone');
  const again = await fetch(`${box.url}/api/v1/setup/owner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: setupCode, password: 'another-pass-1' }),
  });
  t.equal(again.status, 409, 'the setup code is spent');
  t.same(errors, [], 'no page errors (CSP included)');
});
