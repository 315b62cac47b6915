// The call pages in headless chromium against a real box (sim driver): an agent's console pops a
// simulated call, updates the caller's open ticket and takes a phone order with a promotion
// (linked to the call); after the call the owner filters the call history (number, outcome),
// opens the call, plays its recording in the browser (<audio> reaches readyState ≥ 2 over Range
// requests and plays) and may download it; the agent sees the caller masked and no recordings.
// Desktop and phone screenshots under test/artifacts/ (app-*.png). For speed the shop's greeting is short.
import type { Page } from 'playwright-core';
import t from 'tap';
import { endedAndRecorded, PHONE, startBrowserBox, until } from './fixtures/browser-box.js';

interface Media {
  readyState: number;
  currentTime: number;
  play(): Promise<void>;
}

const noSideScroll = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1');

t.test('console order and ticket, then the call history with its recording', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-app-calls-');
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  await bb.api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  await bb.api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' });
  for (const a of ['a2', 'a3', 'a4']) await bb.api('PATCH', `/api/v1/agents/${a}/state`, { state: 'paused', reason: 'training' });
  await bb.api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 5 });
  const customer = await bb.api<{ id: string }>('POST', '/api/v1/customers', { name: '王小明', phones: ['13812345678'], tags: ['VIP'] });
  const ticket = await bb.api<{ id: string; number: string }>('POST', '/api/v1/tickets', { subject: '包装破损', phone: '13812345678' });
  const tea = await bb.api<{ id: string }>('POST', '/api/v1/products', {
    name: '诗莉薇排毒养颜茶',
    spec: '60袋/盒',
    costCents: 4000,
    priceCents: 12800,
    featured: true,
  });
  await bb.api('POST', '/api/v1/promotions', { name: '养颜茶9折', kind: 'percent_off', rule: { pct: 10 }, productId: tea.id });

  // 坐席工作台: the call pops, the open ticket moves on, an order is taken
  const agent = await bb.newPage();
  await bb.signIn(agent, '/console', 'xiaowang', 'agent-password-1');
  await agent.waitForSelector('#my-state');
  const { callId } = await bb.api<{ callId: string }>('POST', '/api/v1/sim/calls', {
    channel: 'fxo1',
    callerId: '13812345678',
    digits: '1',
    hangupAfterS: 60,
  });
  await agent.waitForSelector('#screen-pop', { timeout: 25_000 });
  t.match(await agent.textContent('#screen-pop .pop-phone'), /138\*\*\*\*5678/, 'masked for the agent');
  t.equal(await agent.inputValue('#ct-pick'), ticket.id, "the caller's open ticket is offered");
  await agent.click('.console-ticket [data-to=in_progress]');
  await agent.waitForSelector('#ct-done:has-text("处理中")');
  t.match(await bb.api(`GET`, `/api/v1/tickets/${ticket.id}`), { status: 'in_progress' }, 'the ticket moved');

  await agent.click(`#co-products button[data-product="${tea.id}"]`);
  await agent.waitForSelector(`#co-qty-${tea.id}`);
  await agent.fill(`#co-qty-${tea.id}`, '2');
  await agent.waitForSelector('.console-order .promo:has-text("养颜茶9折")');
  t.equal(await agent.inputValue('#co-name'), '王小明', 'the recipient defaults to the customer');
  await agent.fill('#co-address', '云南省昆明市盘龙区北京路1号');
  await agent.fill('#co-note', '下午送货');
  await agent.click('#co-form button[type=submit]');
  await agent.waitForSelector('#co-done:has-text("已下单")');
  const orders = await bb.api<{ items: Record<string, unknown>[] }>('GET', `/api/v1/orders?customerId=${customer.id}`);
  t.match(
    orders.items[0],
    { callId, totalCents: 23040, discountCents: 2560, shipAddress: '云南省昆明市盘龙区北京路1号', lines: [{ qty: 2 }] },
    'the order: 2 × ¥128 at 10% off, linked to the call',
  );
  t.match(await agent.textContent('#co-done'), /¥230\.40/, 'the total shown');
  await bb.shot(agent, 'app-console');

  // after the call: its recording is complete
  await endedAndRecorded(bb.api, callId);

  // 通话记录 as the owner: filter, open, play, download
  const owner = await bb.newPage();
  const ranges: string[] = [];
  owner.on('request', (r) => {
    if (r.url().includes('/audio')) ranges.push(r.headers().range ?? 'none');
  });
  await bb.signIn(owner, '/calls');
  await owner.waitForSelector(`#calls-table tr[data-call="${callId}"]`);
  await owner.fill('#cf-number', '5678');
  await owner.selectOption('#cf-outcome', 'missed');
  await owner.click('#calls-filters button[type=submit]');
  await owner.waitForSelector(`#calls-table tr[data-call="${callId}"]`, { state: 'detached' });
  t.pass('filtered out by outcome');
  await owner.selectOption('#cf-outcome', 'answered');
  await owner.click('#calls-filters button[type=submit]');
  await owner.waitForSelector(`#calls-table tr[data-call="${callId}"]`);
  t.equal(await owner.locator('#calls-table tbody tr').count(), 1, 'number and outcome: just this call');
  t.match(await owner.textContent(`#calls-table tr[data-call="${callId}"]`), /13812345678.*已接听/, 'full number for the owner');
  await owner.click(`#calls-table tr[data-call="${callId}"] a`);
  await owner.waitForSelector('#call-detail audio');
  t.equal(await owner.textContent('#call-customer'), '王小明', 'the call links to its customer');
  const audio = owner.locator('#call-detail audio');
  const media = () => audio.evaluate((a: unknown) => ({ ready: (a as Media).readyState, at: (a as Media).currentTime }));
  await until('the recording to load', async () => (await media()).ready >= 2, 15_000);
  await audio.evaluate((a: unknown) => (a as Media).play());
  await until('the recording to play', async () => (await media()).at > 0.2, 15_000);
  t.pass('the recording plays');
  t.ok(
    ranges.some((r) => r.startsWith('bytes=')),
    `the player asked for ranges (${ranges.join(', ')})`,
  );
  const href = await owner.getAttribute('#call-detail a.download', 'href');
  t.match(href, /\/audio\?download=1$/);
  const dl = await owner.request.get(`${bb.box.url}${href}`);
  t.equal(dl.status(), 200);
  t.match(dl.headers()['content-disposition'], /^attachment;/, 'downloaded as a file');
  await bb.shot(owner, 'app-calls');

  // the agent: masked caller, no recordings, number search by the last 4 digits only
  await agent.goto(`${bb.box.url}/calls/${callId}`);
  await agent.waitForSelector('#call-detail dl');
  t.match(await agent.textContent(`#calls-table tr[data-call="${callId}"]`), /138\*\*\*\*5678/, 'masked in the list');
  t.equal(await agent.locator('#call-detail audio, #call-detail a.download').count(), 0, 'no recording for an agent');
  t.equal(await agent.getAttribute('#cf-number', 'maxlength'), '4');

  // an agent edits the customer: the masked numbers are shown, never sent back
  await agent.goto(`${bb.box.url}/customers/${customer.id}`);
  await agent.waitForSelector('#customer-phones:has-text("138****5678")');
  await agent.click('#customer-edit');
  t.ok(await agent.isDisabled('#cu-phones'), 'numbers are read-only when masked');
  await agent.fill('#cu-notes', '客户要求下午送货');
  await agent.click('#customer-form button[type=submit]');
  await agent.waitForSelector('#customer-detail .notes:has-text("客户要求下午送货")');
  t.match(
    await bb.api('GET', `/api/v1/customers/${customer.id}`),
    { phones: [{ phone: '13812345678' }], notes: '客户要求下午送货', tags: ['VIP'] },
    "the agent's edit kept the real number",
  );

  await agent.goto(`${bb.box.url}/kb`);
  await agent.waitForSelector('#kbp-q');
  t.equal(await agent.locator('#kb-new').count(), 0, 'agents read the knowledge base, they do not write it');

  // phones
  const phoneOwner = await bb.newPage(PHONE);
  await bb.signIn(phoneOwner, `/calls/${callId}`);
  await phoneOwner.waitForSelector('#call-detail audio');
  await phoneOwner.waitForLoadState('networkidle');
  t.ok(await noSideScroll(phoneOwner), 'the call page fits a phone');
  await bb.shot(phoneOwner, 'app-phone-calls');
  const phoneAgent = await bb.newPage(PHONE);
  await bb.signIn(phoneAgent, '/console', 'xiaowang', 'agent-password-1');
  await phoneAgent.waitForSelector('#co-products li');
  t.ok(await noSideScroll(phoneAgent), 'the console fits a phone');
  await bb.shot(phoneAgent, 'app-phone-console');
  t.same(bb.errors, [], 'no page errors');
});
