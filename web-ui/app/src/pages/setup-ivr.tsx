/**
 * 语音导航 / IVR editor: the menu tree (from each line's first menu, following "go to menu" keys),
 * then one card per menu: prompt, timeout and repeats, keys → action, what happens on no key and on
 * a wrong key; add and remove keys and menus; which menu each line starts at.
 */
import { useState } from 'preact/hooks';
import type { Config } from '../../../../firmware/src/service/types.js';
import { t } from '../i18n.js';
import { type Action, ActionEditor, FieldError, type Menu, NumberField, type SectionProps, SelectField, TextField } from './setup-form.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;

/** Menus a menu leads to (its keys, timeout and invalid actions that go to a menu). */
function children(menu: Menu): string[] {
  const out: string[] = [];
  const add = (a: Action) => {
    if ((a.action === 'menu' || a.action === 'language') && !out.includes(a.menu)) out.push(a.menu);
  };
  for (const a of Object.values(menu.options)) add(a);
  add(menu.onTimeout);
  add(menu.onInvalid);
  return out;
}

function Tree({ cfg, id, seen }: { cfg: Config; id: string; seen: Set<string> }) {
  const menu = cfg.ivr.menus[id];
  const loop = seen.has(id);
  const next = new Set(seen).add(id);
  return (
    <li>
      <a href={`#menu-${id}`}>{id}</a>
      {!menu ? <span class="muted"> {t('setup.ivr.missing')}</span> : null}
      {loop ? <span class="muted"> ↺</span> : null}
      {menu && !loop && children(menu).length > 0 ? (
        <ul>
          {children(menu)
            .filter((c) => c !== id)
            .map((c) => (
              <Tree key={c} cfg={cfg} id={c} seen={next} />
            ))}
        </ul>
      ) : null}
    </li>
  );
}

function MenuCard({ cfg, id, update }: SectionProps & { id: string }) {
  const menu = cfg.ivr.menus[id] as Menu;
  const base = `/ivr/menus/${id}`;
  const set = (fn: (m: Menu) => void) => update((c) => fn(c.ivr.menus[id] as Menu));
  const used = Object.keys(menu.options);
  const free = KEYS.filter((k) => !used.includes(k));
  const firstQueue = cfg.queues[0]?.id;
  return (
    <fieldset class="card setup-card" id={`menu-${id}`} data-menu={id}>
      <legend>{t('setup.ivr.menu', { id })}</legend>
      <div class="setup-grid">
        <TextField
          id={`m-${id}-prompt`}
          label="setup.ivr.prompt"
          path={`${base}/prompt`}
          value={menu.prompt}
          onInput={(v) => set((m) => (m.prompt = v))}
        />
        <NumberField
          id={`m-${id}-timeout`}
          label="setup.ivr.timeoutS"
          path={`${base}/timeoutS`}
          value={menu.timeoutS}
          min={1}
          max={60}
          onInput={(v) => set((m) => (m.timeoutS = v))}
        />
        <NumberField
          id={`m-${id}-repeats`}
          label="setup.ivr.repeats"
          path={`${base}/repeats`}
          value={menu.repeats}
          min={0}
          max={5}
          onInput={(v) => set((m) => (m.repeats = v))}
        />
      </div>
      <h3>{t('setup.ivr.keys')}</h3>
      <FieldError path={`${base}/options`} />
      {used.length === 0 ? <p class="muted">{t('setup.ivr.noKeys')}</p> : null}
      <ul class="setup-list">
        {used.map((key) => (
          <li key={key} class="row setup-option" data-key={key}>
            <SelectField
              id={`m-${id}-key-${key}`}
              label="setup.ivr.key"
              path={`${base}/options/${key}/key`}
              value={key}
              options={[key, ...free].map((k) => [k, k] as const)}
              onChange={(k) =>
                set((m) => {
                  const entries = Object.entries(m.options).map(([kk, a]) => [kk === key ? k : kk, a] as const);
                  m.options = Object.fromEntries(entries);
                })
              }
            />
            <ActionEditor
              id={`m-${id}-opt-${key}`}
              label="setup.ivr.then"
              path={`${base}/options/${key}`}
              value={menu.options[key] as Action}
              cfg={cfg}
              onChange={(a) => set((m) => (m.options[key] = a))}
            />
            <button type="button" class="link" onClick={() => set((m) => delete m.options[key])}>
              {t('setup.remove')}
              <span class="visually-hidden">
                {' '}
                {t('setup.ivr.key')} {key}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {free.length > 0 ? (
        <button
          type="button"
          class="secondary"
          onClick={() =>
            set((m) => (m.options[free[0] as string] = firstQueue ? { action: 'queue', queue: firstQueue } : { action: 'hangup' }))
          }
        >
          {t('setup.ivr.addKey')}
        </button>
      ) : null}
      <div class="setup-grid">
        <ActionEditor
          id={`m-${id}-timeout-action`}
          label="setup.ivr.onTimeout"
          path={`${base}/onTimeout`}
          value={menu.onTimeout}
          cfg={cfg}
          onChange={(a) => set((m) => (m.onTimeout = a))}
        />
        <ActionEditor
          id={`m-${id}-invalid-action`}
          label="setup.ivr.onInvalid"
          path={`${base}/onInvalid`}
          value={menu.onInvalid}
          cfg={cfg}
          onChange={(a) => set((m) => (m.onInvalid = a))}
        />
      </div>
      <button type="button" class="link danger" onClick={() => update((c) => delete c.ivr.menus[id])}>
        {t('setup.ivr.removeMenu', { id })}
      </button>
    </fieldset>
  );
}

export function IvrSection({ cfg, update }: SectionProps) {
  const [newId, setNewId] = useState('');
  const roots = [...new Set(cfg.lines.map((l) => l.ivr))];
  const menuIds = Object.keys(cfg.ivr.menus);
  const add = (e: Event) => {
    e.preventDefault();
    const id = newId.trim();
    if (!id) return;
    update((c) => {
      c.ivr.menus[id] ??= {
        prompt: 'welcome',
        timeoutS: 10,
        repeats: 1,
        options: {},
        onTimeout: { action: 'hangup' },
        onInvalid: { action: 'menu', menu: id },
      };
    });
    setNewId('');
  };
  return (
    <section aria-labelledby="h-ivr" class="setup-section">
      <h2 id="h-ivr">{t('setup.ivr.title')}</h2>
      <p class="muted">{t('setup.ivr.hint')}</p>
      <nav class="card ivr-tree" aria-label={t('setup.ivr.tree')}>
        <h3>{t('setup.ivr.tree')}</h3>
        <ul>
          {roots.map((r) => (
            <Tree key={r} cfg={cfg} id={r} seen={new Set()} />
          ))}
        </ul>
      </nav>
      <fieldset class="card setup-card">
        <legend>{t('setup.ivr.lines')}</legend>
        <div class="setup-grid">
          {cfg.lines.map((l, i) => (
            <SelectField
              key={l.channel}
              id={`line-${l.channel}-ivr`}
              label="setup.ivr.lineStart"
              text={t('setup.ivr.lineStartOf', { line: l.name })}
              path={`/lines/${i}/ivr`}
              value={l.ivr}
              options={menuIds.map((m) => [m, m] as const)}
              onChange={(v) => update((c) => ((c.lines[i] as Config['lines'][number]).ivr = v))}
            />
          ))}
        </div>
      </fieldset>
      {menuIds.map((id) => (
        <MenuCard key={id} cfg={cfg} id={id} update={update} />
      ))}
      <form class="row card" onSubmit={add}>
        <TextField
          id="new-menu-id"
          label="setup.ivr.newMenu"
          path="/ivr/menus/_new"
          value={newId}
          pattern="[a-z][a-z0-9_\-]{0,31}"
          placeholder="aftersales"
          onInput={setNewId}
        />
        <button type="submit">{t('setup.ivr.addMenu')}</button>
      </form>
    </section>
  );
}
