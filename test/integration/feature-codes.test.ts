// Agents on analog phones change their state by dialling feature codes (real DTMF audio from the
// handset through the detector): *31 pause with a reason, *32 unpause, *22 log out, *21 log in,
// an unknown code changes nothing; the change takes effect when the handset goes down.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseFeatureCode } from '../../firmware/src/calls/feature-codes.js';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

t.test('parse', (t) => {
  t.same(parseFeatureCode('*21'), { kind: 'login' });
  t.same(parseFeatureCode('*22#'), { kind: 'logout' });
  t.same(parseFeatureCode('*311'), { kind: 'pause', reason: '1' });
  t.same(parseFeatureCode('*31'), { kind: 'pause', reason: null });
  t.same(parseFeatureCode('*32'), { kind: 'unpause' });
  t.equal(parseFeatureCode('*00'), null);
  // supervisor monitoring (monitor.ts): *5 listen, *6 whisper, *9 barge, then the extension's number
  t.same(parseFeatureCode('*5101#'), { kind: 'monitor', mode: 'listen', target: '101' });
  t.same(parseFeatureCode('*62'), { kind: 'monitor', mode: 'whisper', target: '2' });
  t.same(parseFeatureCode('*99'), { kind: 'monitor', mode: 'barge', target: '9' });
  t.equal(parseFeatureCode('*5'), null, 'no extension');
  t.equal(parseFeatureCode('123'), null);
  t.end();
});

t.test('dialled on the phone', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-fc-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  c.pauseReasons = [{ code: '1', name: '午餐 Lunch', maxS: 3600 }];
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const a2 = () => vb.box.service.acd.agents().find((a) => a.id === 'a2');
  const dial = async (code: string) => {
    vb.box.hat!.agentDials('fxs2', code);
    await vb.clock.run(10_000);
  };

  await dial('*311');
  t.match(a2(), { state: 'paused', reason: '午餐 Lunch' }, '*311: paused for lunch');
  // a call now goes to someone else
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 30, talkS: 5 });
  await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 25 });
  await vb.clock.run(20_000);
  t.not(vb.box.channels().find((ch) => ch.id === 'fxs2')?.state, 'ringing', 'a paused agent is not rung');
  await vb.clock.run(60_000);

  await dial('*32');
  t.equal(a2()?.state, 'available', '*32: available again');
  await dial('*22');
  t.equal(a2()?.state, 'loggedOut', '*22: logged out');
  await dial('*00');
  t.equal(a2()?.state, 'loggedOut', 'an unknown code changes nothing');
  await dial('*21');
  t.equal(a2()?.state, 'available', '*21: logged in');
});
