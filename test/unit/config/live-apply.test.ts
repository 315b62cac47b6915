// box.applyConfig on a real box (sim driver, virtual time): a change is live for the next call while
// a call in progress keeps the menu it started with; restart-only paths are reported; queues and
// agents change in the ACD; bad documents and stale versions change nothing; every change is audited
// and emitted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Config } from '../../../firmware/src/config/schema.js';
import type { ConfigApplied } from '../../../firmware/src/service/config-control.js';
import { type VirtualBox, virtualBox } from '../../helpers/box.js';

type Menu = Config['ivr']['menus'][string];
const edit = (vb: VirtualBox, fn: (c: Config) => void): Config => {
  const c = structuredClone(vb.box.config) as Config;
  fn(c);
  return c;
};
const who = { actor: 'owner', source: 'api' as const };

async function call(vb: VirtualBox, digits: string, hangupAfterS = 60): Promise<string> {
  const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits, hangupAfterS });
  return callId;
}
const ended = (vb: VirtualBox, id: string) => vb.clock.runUntil(() => vb.box.service.calls.get(id)?.state === 'ended', 180_000);

t.test('a call in the IVR keeps its menu; the next call follows the new one', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 3 });
  const first = await call(vb, '1');
  await vb.clock.runUntil(() => vb.box.service.calls.get(first)?.state === 'ivr', 30_000);
  const r = await vb.box.applyConfig(
    edit(vb, (c) => {
      (c.ivr.menus.main as Menu).options['1'] = { action: 'hangup' };
    }),
    who,
  );
  t.same(r.applied, ['/ivr']);
  t.same(r.restartRequired, []);
  await ended(vb, first);
  t.match(vb.box.service.calls.get(first), { outcome: 'answered', queue: 'main' }, 'in progress: the old menu');
  const second = await call(vb, '1');
  await ended(vb, second);
  t.match(vb.box.service.calls.get(second), { outcome: 'ivrHangup', queue: null }, 'next call: the new menu');
  const onDisk = JSON.parse(readFileSync(join(vb.dataDir, 'config.json'), 'utf8')) as Config;
  t.same((onDisk.ivr.menus.main as Menu).options['1'], { action: 'hangup' }, 'written to config.json');
});

t.test('queues and agents change live: a new queue takes calls, a removed agent is logged out', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 3 });
  const r = await vb.box.applyConfig(
    edit(vb, (c) => {
      c.agents = c.agents.filter((a) => a.id !== 'a4');
      c.agents[0]!.skills = { vip: 5 };
      c.queues[0]!.members = ['a1', 'a2', 'a3'];
      c.queues.push({
        id: 'vip',
        name: 'VIP',
        strategy: 'linear',
        members: ['a1'],
        ringTimeoutS: 15,
        maxWaitS: 60,
        wrapUpS: 0,
        skills: ['vip'],
      });
      (c.ivr.menus.main as Menu).options['2'] = { action: 'queue', queue: 'vip' };
    }),
    who,
  );
  t.same(r.applied, ['/agents', '/ivr', '/queues']);
  t.same(
    vb.box.service.acd.queues().map((q) => q.id),
    ['main', 'vip'],
  );
  t.same(
    vb.box.service.acd.agents().map((a) => a.id),
    ['a1', 'a2', 'a3'],
    'a4 is gone',
  );
  const id = await call(vb, '2');
  await ended(vb, id);
  t.match(vb.box.service.calls.get(id), { outcome: 'answered', queue: 'vip', agent: 'a1' });
});

t.test('restart-only parts are written and reported until the box restarts', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const r = await vb.box.applyConfig(
    edit(vb, (c) => {
      c.hardware.sim.fxo = 3;
      c.shop.name = '张记五金店';
      c.lines.push({ channel: 'fxo3', name: 'line 3', ivr: 'main', answerAfterRings: 1 });
    }),
    who,
  );
  t.same(r.applied, ['/lines', '/shop/name']);
  t.same(r.restartRequired, ['/hardware']);
  t.equal(vb.box.config.shop.name, '张记五金店', 'the running config has the new name');
  t.equal(vb.box.channels().filter((c) => c.kind === 'fxo').length, 2, 'the driver still has its 2 FXO ports');
  t.same(vb.box.service.config.get().restartRequired, ['/hardware']);
  const back = await vb.box.applyConfig(
    edit(vb, (c) => {
      c.hardware.sim.fxo = 2;
      c.lines = c.lines.filter((l) => l.channel !== 'fxo3');
    }),
    who,
  );
  t.same(back.restartRequired, [], 'changed back: no restart needed');
  const only = await vb.box.applyConfig(
    edit(vb, (c) => {
      c.shop.timezone = 'Asia/Urumqi';
    }),
    who,
  );
  t.same(only, { version: only.version, applied: [], restartRequired: ['/shop/timezone'] }, 'a restart-only change alone');
  t.equal(vb.box.config.shop.timezone, 'Asia/Urumqi', 'kept in the box config, so the next edit of it does not undo it');
  const next = await vb.box.applyConfig(
    edit(vb, (c) => {
      c.shop.name = 'again';
    }),
    who,
  );
  t.same(next.restartRequired, ['/shop/timezone'], 'still waiting for the restart');
});

t.test('invalid documents and stale versions change nothing; changes are audited and emitted', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const events: ConfigApplied[] = [];
  vb.box.configControl.events.on('applied', (e) => events.push(e));
  const before = vb.box.service.config.get();
  const bad = edit(vb, (c) => {
    c.queues[0]!.ringTimeoutS = 1;
    (c.ivr.menus.main as Menu).options['3'] = { action: 'queue', queue: 'nosuch' };
  });
  const err = await vb.box.applyConfig(bad, who).catch((e: unknown) => e);
  t.match(err, { code: 'VALIDATION_FAILED', details: { errors: [{ path: '/queues/0/ringTimeoutS', message: /5/ }] } });
  const cross = await vb.box
    .applyConfig(
      edit(vb, (c) => {
        (c.ivr.menus.main as Menu).options['3'] = { action: 'queue', queue: 'nosuch' };
      }),
      who,
    )
    .catch((e: unknown) => e);
  t.match(cross, {
    code: 'VALIDATION_FAILED',
    details: { errors: [{ path: '/ivr/menus/main/options/3/queue', message: /no such queue/ }] },
  });
  t.equal(vb.box.service.config.get().version, before.version, 'nothing changed');

  const ok = await vb.box.service.config.patch({ shop: { name: '王记' } }, { ...who, ifMatch: `"${before.version}"` });
  t.same(ok.applied, ['/shop/name']);
  const stale = await vb.box.service.config.patch({ shop: { name: '赵记' } }, { ...who, ifMatch: before.version }).catch((e: unknown) => e);
  t.match(stale, { code: 'CONFLICT', details: { version: ok.version } });
  t.equal(vb.box.config.shop.name, '王记');

  // two changes at once are applied one after the other, none lost
  await Promise.all([
    vb.box.service.config.patch({ shop: { name: 'A' } }, who),
    vb.box.service.config.patch({ http: { metricsRequireAuth: true } }, who),
  ]);
  t.match(vb.box.config, { shop: { name: 'A' }, http: { metricsRequireAuth: true } });
  t.equal(vb.box.service.metricsRequireAuth(), true, 'read live');

  const audit = vb.box.service.audit.list({ entity: 'config', limit: 10 });
  t.equal(audit.length, 3);
  t.match(audit.at(-1), {
    actor: 'owner',
    action: 'config.apply',
    entityId: ok.version,
    detail: { source: 'api', changed: ['/shop/name'] },
  });
  t.same(
    events.map((e) => e.changed),
    [['/shop/name'], ['/shop/name'], ['/http/metricsRequireAuth']],
  );
});
