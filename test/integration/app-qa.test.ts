// 质检 in headless chromium against a real box (sim driver): a short simulated call lands in the
// review queue (flag shortCall); a supervisor opens it, the recording plays beside the scoring
// panel, scores it (the box computes total and verdict); a second supervisor's review makes the
// calibration view show the difference per criterion; the Calls page shows the panel beside the
// recording; the owner saves a new scorecard version and sees the scores in the week's report; the agent, on a phone screen, sees only their
// own scores and comments. Screenshots under test/artifacts/ (app-qa-*.png). For speed the shop's
// greeting is short.
import type { Page } from 'playwright-core';
import t from 'tap';
import type { Review, Scorecard } from '../../firmware/src/service/types.js';
import { endedAndRecorded, PHONE, startBrowserBox, until } from './fixtures/browser-box.js';

interface Media {
  readyState: number;
  currentTime: number;
  play(): Promise<void>;
}

const noSideScroll = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1');

t.test('a supervisor scores a flagged call while listening; calibration; the agent sees their scores', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-app-qa-');
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  await bb.api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  for (const name of ['banzhang', 'zhijian'])
    await bb.api('POST', '/api/v1/users', { username: name, role: 'supervisor', password: 'super-password-1' });
  await bb.api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' });
  for (const a of ['a2', 'a3', 'a4']) await bb.api('PATCH', `/api/v1/agents/${a}/state`, { state: 'paused', reason: 'training' });
  await bb.api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 4 });
  const { callId } = await bb.api<{ callId: string }>('POST', '/api/v1/sim/calls', {
    channel: 'fxo1',
    callerId: '13812345678',
    digits: '1',
    hangupAfterS: 60,
  });
  await endedAndRecorded(bb.api, callId);

  // 待质检: the 4-second call is flagged as short
  const sup = await bb.newPage();
  await bb.signIn(sup, '/qa', 'banzhang', 'super-password-1');
  const row = `#qa-queue li[data-call="${callId}"]`;
  await sup.waitForSelector(row);
  t.ok(await sup.isVisible(`${row} [data-flag=shortCall]`), 'flagged: short call');
  t.match(await sup.textContent(`${row} [data-flag=shortCall]`), /通话仅 \d 秒/);
  await sup.click(`${row} a.button`);
  await sup.waitForSelector('#qa-work audio');
  const audio = sup.locator('#qa-work audio');
  const media = () => audio.evaluate((a: unknown) => ({ ready: (a as Media).readyState, at: (a as Media).currentTime }));
  await until('the recording to load', async () => (await media()).ready >= 2, 15_000);
  await audio.evaluate((a: unknown) => (a as Media).play());
  await until('the recording to play', async () => (await media()).at > 0.2, 15_000);
  t.pass('the recording plays beside the scoring panel');

  // score while listening: identity 60, attitude 80, the rest 100 → (10·100+15·60+30·100+25·80+10·100+10·100)/100 = 89
  const scores: Record<string, string> = {
    greeting: '100',
    identity: '60',
    accuracy: '100',
    attitude: '80',
    summary: '100',
    closing: '100',
  };
  for (const [key, v] of Object.entries(scores)) await sup.fill(`#qa-score-${key}`, v);
  await sup.fill('#qa-note-identity', '未核对手机尾号');
  await sup.fill('#qa-comment', '业务熟练，注意核实身份');
  await sup.click('#qa-save');
  await sup.waitForSelector('#qa-result');
  t.match(await sup.textContent('#qa-result'), /总分 89 \/ 合格线 80 · 合格/, 'total and verdict computed by the box');
  const saved = await bb.api<{ items: Review[] }>('GET', `/api/v1/qa/reviews?call=${callId}`);
  t.match(saved.items, [{ scorer: 'banzhang', agent: 'a1', total: 89, passed: true, comment: '业务熟练，注意核实身份' }]);
  t.equal(saved.items[0]?.scores.find((s) => s.key === 'identity')?.comment, '未核对手机尾号');
  await bb.shot(sup, 'app-qa-score');

  // a second scorer (API), then the calibration view
  const card = (await bb.api<{ items: Scorecard[] }>('GET', '/api/v1/qa/scorecards')).items[0] as Scorecard;
  const res = await fetch(`${bb.box.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'zhijian', password: 'super-password-1' }),
  });
  const { token } = (await res.json()) as { token: string };
  const second = await fetch(`${bb.box.url}/api/v1/qa/reviews`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      callId,
      scorecardId: card.id,
      scores: card.criteria.map((c) => ({ key: c.key, score: c.key === 'identity' ? 0 : 100 })),
    }),
  });
  t.equal(second.status, 201);
  await sup.reload();
  await sup.waitForSelector('#qa-calibration');
  t.equal(await sup.textContent('#qa-calibration [data-spread=identity]'), '60', 'identity: 60 vs 0');
  t.equal(await sup.textContent('#qa-calibration [data-spread=attitude]'), '20');
  t.equal(await sup.textContent('#qa-calibration [data-spread=greeting]'), '0');
  t.match(await sup.textContent('#qa-total-spread'), /总分差值 4 · 结论不一致/, '89 vs 85 (auto-fail)');
  t.equal(await sup.inputValue('#qa-score-identity'), '60', 'the scorer’s own review fills the form');

  // the queue no longer has it; the Calls page shows the panel beside the recording
  await sup.goto(`${bb.box.url}/qa`);
  await sup.waitForSelector('#qa-no-flags');
  t.equal(await sup.locator(row).count(), 0, 'a scored call leaves the queue');
  await sup.goto(`${bb.box.url}/calls/${callId}`);
  await sup.waitForSelector('#call-detail #qa-panel');
  t.ok(await sup.isVisible('#call-detail audio'), 'the recording player');
  t.equal(await sup.inputValue('#qa-score-attitude'), '80');
  const [player, panel] = await Promise.all([sup.locator('#call-detail audio').boundingBox(), sup.locator('#qa-panel').boundingBox()]);
  t.ok(player && panel && panel.x > player.x, 'the panel is beside the recording on a wide screen');
  await bb.shot(sup, 'app-qa-calls');

  // the owner: a new scorecard version from the editor
  const owner = await bb.newPage();
  await bb.signIn(owner, '/qa');
  await owner.click('#qa-tab-cards');
  await owner.waitForSelector('#qa-card-name');
  await owner.click('#qa-add-criterion');
  await owner.fill('#qa-c-key-6', 'upsell');
  await owner.fill('#qa-c-zh-6', '推荐产品');
  await owner.fill('#qa-c-en-6', 'Upsell');
  await owner.fill('#qa-c-w-6', '5');
  await owner.click('#qa-save-card');
  await owner.waitForSelector('#qa-card-saved:has-text("第 2 版")');
  const v2 = await bb.api<Scorecard>('GET', `/api/v1/qa/scorecards/${card.id}`);
  t.match(v2, { version: 2 });
  t.equal(v2.criteria.length, 7);
  const kept = await bb.api<{ items: Review[] }>('GET', `/api/v1/qa/reviews?call=${callId}`);
  t.ok(
    kept.items.every((r) => r.criteria.length === 6 && r.scorecardVersion === 1),
    'the reviews keep version 1',
  );

  // the reports page: the week's QA scores per agent (two reviews: 89 and 85, one passed)
  await owner.goto(`${bb.box.url}/reports?period=week`);
  const qaRow = '#qa-report-table tr[data-agent="a1"]';
  await owner.waitForSelector(qaRow);
  t.same(
    await owner.locator(`${qaRow} td`).allTextContents(),
    ['坐席 1', '2', '87', '50%', '1'],
    'reviews, average, pass rate, auto-fails',
  );

  // the agent on a phone: their own scores and comments, no queue
  const agent = await bb.newPage(PHONE);
  await bb.signIn(agent, '/qa', 'xiaowang', 'agent-password-1');
  await agent.waitForSelector('#qa-mine li');
  t.equal(await agent.locator('#qa-mine > li').count(), 2, 'both reviews of their call');
  t.match(await agent.textContent('#qa-mine'), /业务熟练，注意核实身份/);
  t.match(await agent.textContent('#qa-mine'), /身份核实: 60 · 未核对手机尾号/);
  t.equal(await agent.locator('#qa-queue, #qa-tab-queue, #qa-tab-cards').count(), 0, 'no queue or editor for an agent');
  t.ok(await noSideScroll(agent), 'fits a phone screen');
  await bb.shot(agent, 'app-qa-agent');
  t.same(bb.errors, [], 'no page errors');
});
