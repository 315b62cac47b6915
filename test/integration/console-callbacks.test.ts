// Callbacks (回拨预约) in the agent console, headless chromium against a real box on the sim driver
// (the production bundle): after a simulated call the agent schedules a callback for the caller
// from the call panel — a past time and a day without calling hours are refused beside the time
// (with the next calling time offered), a quick choice is accepted; the callback shows in 我的回拨,
// highlighted once due (and counted on the wallboard); one click rings the agent's phone and the
// box dials the customer; the outcome closes it. A callback is also scheduled from the customer's
// page. Screenshot: test/artifacts/console-callbacks.png. For speed the shop's greeting is short and
// the queue has no wrap-up.
import t from 'tap';
import { formError, formErrorGone, startBrowserBox, until } from './fixtures/browser-box.js';

const TZ = 'Asia/Shanghai';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The shop's date `days` from now ("2026-11-29") and its weekday key. */
function shopDay(days: number): { date: string; day: (typeof DAYS)[number] } {
  const at = new Date(Date.now() + days * 86_400_000);
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const wd = new Intl.DateTimeFormat('en-US', { timeZone: TZ, weekday: 'short' }).format(at).toLowerCase().slice(0, 3);
  return { date, day: wd as (typeof DAYS)[number] };
}

interface Item {
  id: string;
  state: string;
  assignee: string | null;
  outcome: string | null;
  note: string;
}

t.test('console: schedule a callback after a call, see it due, call it, record the outcome', async (t) => {
  // no wrap-up: a1 is free for the callback's call as soon as the first call ends
  const { box, api, newPage, signIn, shot, errors } = await startBrowserBox(t, 'callbox-callbacks-', {
    config: (c) => {
      for (const q of c.queues) q.wrapUpS = 0;
    },
  });
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  await api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  await api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' }, 201);
  for (const a of ['a2', 'a3', 'a4']) await api('PATCH', `/api/v1/agents/${a}/state`, { state: 'paused', reason: 'training' });
  const wang = await api<{ id: string }>('POST', '/api/v1/customers', { name: '王女士', phones: ['13812345678'] });
  // the built-in 回拨 list (made on first use): calls all day, but none the day after tomorrow
  const { listId } = await api<{ listId: string }>('GET', '/api/v1/followups/callbacks');
  const closed = shopDay(2);
  const hours = Object.fromEntries(DAYS.map((d) => [d, d === closed.day ? [] : ['00:00-24:00']]));
  await api('PATCH', `/api/v1/followups/lists/${listId}`, { callingHours: hours });

  const page = await newPage();
  await signIn(page, '/console', 'xiaowang', 'agent-password-1');
  await page.waitForSelector('#my-state:has-text("空闲")');
  await page.waitForSelector('.console-callbacks:has-text("今天没有")');
  t.match(await page.textContent('.console-callbacks'), /今天没有要回拨的客户/, 'no callbacks yet');

  // a short call: a1 answers after 1 s and hangs up after 1 s of talk
  await api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 1 });
  const { callId: firstCall } = await api<{ callId: string }>('POST', '/api/v1/sim/calls', {
    channel: 'fxo1',
    callerId: '13812345678',
    digits: '1',
    hangupAfterS: 30,
  });
  await page.waitForSelector('#screen-pop');
  await page.waitForSelector('#cb-h');

  // refused in place: a past time, then a day without calling hours (the next calling time offered)
  await page.fill('#cb-at', '2020-01-06T10:00');
  await page.click('#cb-save');
  await formError(page, 'cb-at', '已经过去');
  await page.fill('#cb-at', `${closed.date}T10:00`);
  await page.click('#cb-save');
  t.match(
    (await formError(page, 'cb-at', '不在可拨时段内')).text,
    /下一个可拨时间：\d{4}-\d\d-\d\d 00:00/,
    'the next calling time is named',
  );
  await page.click('#cb-use-next');
  t.match(await page.inputValue('#cb-at'), /T00:00$/, 'one click takes it');
  // a quick choice, with a note, for me
  await page.click('#cb-in1h');
  await page.fill('#cb-note', '客户要比较两款，一小时后回电');
  await page.click('#cb-save');
  await page.waitForSelector('#cb-done:has-text("已预约")');
  t.ok(await formErrorGone(page, 'cb-at'), 'the error is gone');
  const items = await api<{ items: Item[] }>('GET', `/api/v1/followups/items?listId=${listId}`);
  t.equal(items.items.length, 1, 'one callback (the refused ones left nothing)');
  const item = items.items[0] as Item;
  t.match(item, { state: 'pending', assignee: 'a1', note: '客户要比较两款，一小时后回电' });

  // in 我的回拨, not due yet; once due (moved to now by the supervisor) highlighted and on the wallboard
  const row = `#cb-${item.id}`;
  await page.waitForSelector(`${row}:has-text("王女士")`);
  t.equal(await page.locator(`${row}.due`).count(), 0, 'not due yet');
  await api('PATCH', `/api/v1/followups/items/${item.id}`, { dueAt: new Date(Date.now() - 60_000).toISOString() });
  await page.click('#cb-refresh');
  await page.waitForSelector(`${row}.due:has-text("到时间了")`);
  t.match(await api('GET', '/api/v1/wallboard'), { callbacksPending: 1, callbacksScheduledDue: 1 }, 'counted on the wallboard');
  await shot(page, 'console-callbacks');

  // one click: the agent's phone rings, then the box dials the customer; record the outcome. The
  // first call must be over first: a1 answers it with the talk time set when it lifts the phone
  await until(
    'the first call ends',
    async () => (await api<{ endedAt: string | null }>('GET', `/api/v1/calls/${firstCall}`)).endedAt !== null,
  );
  await api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 60 });
  await page.waitForSelector('#my-state:has-text("空闲")');
  await page.click(`${row} .cb-call`);
  await page.waitForSelector('#cb-mine-done:has-text("话机正在振铃")');
  const attempt = await until('the customer is dialled', async () => {
    const a = await api<{ items: { callId: string | null }[] }>('GET', `/api/v1/followups/items/${item.id}/attempts`);
    return a.items[0]?.callId ?? undefined;
  });
  await until('the callback call talks', async () => (await api<{ state: string }>('GET', `/api/v1/calls/${attempt}`)).state === 'talking');
  t.match(await api('GET', `/api/v1/calls/${attempt}`), { direction: 'outbound', agent: 'a1' }, 'an outbound call of the agent');
  // "call later" at a past time: refused beside its picker, the call still open
  await page.click(`${row} .cb-later`);
  await page.fill(`#cbo-${item.id}-at-at`, '2020-01-06T10:00');
  await page.click(`${row} .cb-later-save`);
  await formError(page, `cbo-${item.id}-at-at`, '已经过去');
  await page.fill(`${row} .cb-outcome-note`, '已下单');
  await page.click(`${row} .cb-reached`);
  await page.waitForSelector('#cb-mine-done:has-text("已记录")');
  t.match(await api('GET', `/api/v1/followups/items/${item.id}`), { state: 'done', outcome: 'reached' }, 'closed');
  await page.waitForSelector(`${row}`, { state: 'detached' });

  // from the customer's page: tomorrow morning, for any agent
  await page.goto(`${box.url}/customers/${wang.id}`);
  await page.waitForSelector('#ccb-h');
  await page.click('#ccb-tomorrow');
  await page.click('#ccb-team');
  await page.click('#ccb-save');
  await page.waitForSelector('#ccb-done:has-text("已预约")');
  const open = await api<{ items: Item[] }>('GET', `/api/v1/followups/items?listId=${listId}&state=pending`);
  t.match(open.items, [{ assignee: null }], "the team's callback for tomorrow");
  // the browser logs the three refusals (400) as failed loads: expected, nothing else
  t.equal(errors.filter((e) => /status of 400/.test(e)).length, 3, 'the three refused times');
  t.same(
    errors.filter((e) => !/status of 400/.test(e)),
    [],
    'no page errors',
  );
});
