// The agent console in headless chromium against a real box on the sim driver: an agent user
// linked to ACD agent a1 pauses and frees themself, a simulated call offered to a1 pops the
// customer screen (number masked for the agent role), the agent sets the call's result (通话小结),
// a knowledge-base search finds an article, and a ticket is created from the console. Screenshot: test/artifacts/console.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { ROOT } from '../helpers/box.js';
import { startBox } from '../helpers/process.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

t.test('agent console: state, screen pop, knowledge base, ticket', async (t) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-console-'));
  const box = await startBox(dataDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const grant = await fetch(`${box.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: 'test-password-1' }),
  });
  const { token } = (await grant.json()) as { token: string };
  const owner = (method: string, path: string, json: unknown): Promise<Response> =>
    fetch(`${box.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  t.equal(
    (await owner('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' })).status,
    201,
  );
  for (const a of ['a2', 'a3', 'a4'])
    t.equal((await owner('PATCH', `/api/v1/agents/${a}/state`, { state: 'paused', reason: 'training' })).status, 200);
  const article = await owner('POST', '/api/v1/kb/articles', {
    title: '退货政策',
    body: '七天无理由退货，请保留原包装和发票。',
    status: 'published',
  });
  t.equal(article.status, 201);

  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${box.url}/console`);
  await page.fill('#login-username', 'xiaowang');
  await page.fill('#login-password', 'agent-password-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#my-state');

  await page.fill('#pause-reason', '吃饭');
  await page.click('#set-paused');
  await page.waitForSelector('#my-state:has-text("小休")');
  t.match(await page.textContent('#my-state'), /吃饭/, 'pause reason shown');
  await page.click('#set-available');
  await page.waitForSelector('#my-state:has-text("空闲")');

  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  t.equal((await owner('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' })).status, 200);
  const r = await owner('POST', '/api/v1/sim/calls', { channel: 'fxo1', callerId: '13812345678', digits: '1', hangupAfterS: 60 });
  t.equal(r.status, 201);
  await page.waitForSelector('#screen-pop', { timeout: 20_000 });
  t.match(await page.textContent('#screen-pop .pop-phone'), /138\*\*\*\*5678/, 'the pop shows the caller, masked for an agent');

  // call result (通话小结) for the call in the pop, once a1 has answered it
  const { callId } = (await r.json()) as { callId: string };
  const callNow = async () =>
    (await (await fetch(`${box.url}/api/v1/calls/${callId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      agent: string | null;
      disposition: unknown;
    };
  for (let i = 0; i < 100 && (await callNow()).agent !== 'a1'; i++) await new Promise((ok) => setTimeout(ok, 200));
  await page.selectOption('#disp-code', '2');
  await page.fill('#disp-note', '要两盒');
  await page.click('#disp-save');
  await page.waitForSelector('#disp-done:has-text("已保存")');
  t.match((await callNow()).disposition, { code: '2', note: '要两盒', agent: 'a1', by: 'xiaowang' }, 'the result is stored on the call');
  await page.waitForSelector('#disp-current:has-text("下单")');

  await page.fill('#kb-q', '退货');
  await page.click('#kb-q + button');
  await page.waitForSelector('#kb-results li:has-text("退货政策")');
  t.ok(await page.locator('#kb-results mark').count(), 'matches highlighted');

  await page.fill('#t-subject', '客户咨询退货流程');
  await page.fill('#t-desc', '客户想退一件外套');
  await page.click('#h-ticket ~ button[type=submit]');
  await page.waitForSelector('#ticket-done:has-text("已创建工单")');
  const tickets = (await (
    await fetch(`${box.url}/api/v1/tickets?q=${encodeURIComponent('退货流程')}`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as {
    items: { subject: string; callId?: string | null }[];
  };
  t.equal(tickets.items[0]?.subject, '客户咨询退货流程', 'the ticket is stored');
  await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });
  t.same(errors, [], 'no page errors');
});
