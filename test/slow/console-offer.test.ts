// The preview dialer's offer (回访推送) in the agent console, headless chromium against a real box on
// the sim driver (the production bundle): while the agent is free the box offers a follow-up of
// an active list inside its calling hours — the console shows the customer, list and purpose,
// note and script; 跳过 puts it back on the list; the next one is called (拨打: the sim agent's phone
// rings, then the box dials the customer on an FXO line), its outcome recorded from the offer panel
// closes it; a call the agent hung up before the customer answered is recorded by the box and the
// panel goes. English too. Screenshot: test/artifacts/console-offer.png.
// In test/slow (make test-slow): most of its time waits in real time for the sim agent and customer
// and for the console's 5 s check of an accepted call (to show the call the box closed); the offers
// themselves come at once (the dialer's pass on the agent becoming free or an item added, pushed to
// the console: console-offer-push.test.ts times that). The box runs as its own process, so there is
// no virtual time to skip the waits.
import t from 'tap';
import { startBrowserBox, until } from '../integration/fixtures/browser-box.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

interface Item {
  id: string;
  state: string;
}

t.test('console: a follow-up offered, skipped, the next called and its outcome recorded', async (t) => {
  const { box, api, newPage, signIn, shot, errors } = await startBrowserBox(t, 'callbox-offer-');
  await api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' }, 201);
  for (const a of ['a2', 'a3', 'a4']) await api('PATCH', `/api/v1/agents/${a}/state`, { state: 'paused', reason: 'training' });
  const wang = await api<{ id: string }>('POST', '/api/v1/customers', { name: '王女士', phones: ['13812345678'], tags: ['vip'] });
  const liu = await api<{ id: string }>('POST', '/api/v1/customers', { name: '刘先生', phones: ['13812340000'] });

  const page = await newPage();
  await signIn(page, '/console', 'xiaowang', 'agent-password-1');
  await page.waitForSelector('#my-state:has-text("空闲")');
  await page.waitForSelector('.console-offer:has-text("暂时没有要回访的客户")');
  // the preview dialer offers a follow-up to the free agent — skipped, then another called and closed
  const allDay = Object.fromEntries(DAYS.map((d) => [d, ['00:00-24:00']]));
  const visits = await api<{ id: string }>('POST', '/api/v1/followups/lists', {
    name: '售后回访',
    purpose: 'return_visit',
    callingHours: allDay,
    script: '您好，我是小店客服，想了解一下您对商品是否满意？',
  });
  const first = await api<Item>('POST', `/api/v1/followups/lists/${visits.id}/items`, { customerId: wang.id, note: '退货已处理' });
  await page.waitForSelector(`#followup-offer[data-item="${first.id}"]`, { timeout: 20_000 });
  const offerText = await page.textContent('#followup-offer');
  t.match(offerText, /王女士 · vip/, 'the offer names the customer, with her tags');
  t.match(offerText, /售后回访（售后回访）/, 'its list and purpose');
  t.match(offerText, /退货已处理/, 'its note');
  t.match(offerText, /想了解一下您对商品是否满意/, "the list's script");
  await shot(page, 'console-offer');
  await page.fill('#offer-skip-note', '客户上午不方便');
  await page.click('#offer-skip');
  await page.waitForSelector('#offer-done:has-text("已跳过")');
  t.match(await api('GET', `/api/v1/followups/items/${first.id}`), { state: 'pending', offeredTo: null }, 'skipped: back on the list');
  // the agent hangs up before the customer answers: the box records no answer itself and the panel goes
  const hungUp = await api<Item>('POST', `/api/v1/followups/lists/${visits.id}/items`, { phone: '13812349999' });
  await page.waitForSelector(`#followup-offer[data-item="${hungUp.id}"]:has-text("未建档客户")`, { timeout: 20_000 });
  await api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 1 });
  await page.click('#offer-accept');
  await page.waitForSelector('#offer-done:has-text("话机正在振铃")');
  const second = await api<Item>('POST', `/api/v1/followups/lists/${visits.id}/items`, { customerId: liu.id });
  await page.waitForSelector('#offer-done:has-text("通话已结束，系统已记录：无人接听")', { timeout: 20_000 });
  t.match(
    await api('GET', `/api/v1/followups/items/${hungUp.id}`),
    { state: 'pending', outcome: 'no_answer', attempts: 1 },
    'recorded by the box',
  );
  await page.waitForSelector(`#followup-offer[data-item="${second.id}"]:has-text("刘先生")`, { timeout: 20_000 });
  await api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 6 });
  await page.click('#offer-accept');
  await page.waitForSelector('#offer-done:has-text("话机正在振铃")');
  const offerCall = await until('the offered customer is dialled', async () => {
    const a = await api<{ items: { callId: string | null }[] }>('GET', `/api/v1/followups/items/${second.id}/attempts`);
    return a.items[0]?.callId ?? undefined;
  });
  await until('the offer call talks', async () => (await api<{ state: string }>('GET', `/api/v1/calls/${offerCall}`)).state === 'talking');
  t.match(
    await api('GET', `/api/v1/calls/${offerCall}`),
    { direction: 'outbound', agent: 'a1' },
    "the offer's call is the agent's outbound call",
  );
  await page.fill('#followup-offer .cb-outcome-note', '很满意');
  await page.click('#followup-offer .cb-reached');
  await page.waitForSelector('#offer-done:has-text("已记录")');
  t.match(
    await api('GET', `/api/v1/followups/items/${second.id}`),
    { state: 'done', outcome: 'reached', attempts: 1 },
    'the outcome closes it',
  );
  await page.waitForSelector('.console-offer:has-text("暂时没有要回访的客户")');
  // in English
  await page.goto(`${box.url}/console?lang=en`);
  await page.waitForSelector('.console-offer:has-text("No follow-up to call right now")');
  t.same(errors, [], 'no page errors');
});
