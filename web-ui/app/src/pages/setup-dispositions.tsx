/**
 * 通话小结 / call result codes (config `dispositions`; firmware/src/calls/dispositions.ts): per code
 * the digits an FXS agent dials after *4 (1-2 digits) and its name in Chinese and English; add,
 * remove, reorder (the order of the agent console's buttons). A config without the section runs
 * with the shop's default list, which this page starts from.
 */
import type { Config } from '../../../../firmware/src/service/types.js';
import { t } from '../i18n.js';
import { DEFAULT_CODES } from './disposition-defaults.js';
import { FieldError, type SectionProps, TextField } from './setup-form.js';

type Disposition = NonNullable<Config['dispositions']>[number];

export function DispositionsSection({ cfg, update }: SectionProps) {
  const list = cfg.dispositions ?? DEFAULT_CODES;
  /** Changes start from the list in force (the defaults when the config has none). */
  const edit = (fn: (l: Disposition[]) => void) =>
    update((c) => {
      c.dispositions ??= structuredClone(DEFAULT_CODES) as Disposition[];
      fn(c.dispositions);
    });
  const add = () =>
    edit((l) => {
      let n = 1;
      while (l.some((d) => d.code === String(n))) n++;
      l.push({ code: String(n), label: { 'zh-CN': '新代码', en: 'New code' } });
    });
  const move = (i: number, by: number) =>
    edit((l) => {
      const [d] = l.splice(i, 1);
      if (d) l.splice(i + by, 0, d);
    });
  return (
    <section aria-labelledby="h-disp" class="setup-section">
      <h2 id="h-disp">{t('disp.title')}</h2>
      <p class="muted">{t(cfg.dispositions ? 'disp.hint' : 'disp.defaults')}</p>
      <FieldError path="/dispositions" />
      {list.map((d, i) => {
        const base = `/dispositions/${i}`;
        return (
          <fieldset class="card setup-card" key={i} data-disposition={d.code}>
            <legend>{t('disp.card', { code: d.code, name: d.label['zh-CN'] })}</legend>
            <div class="setup-grid">
              <TextField
                id={`d${i}-code`}
                label="disp.code"
                path={`${base}/code`}
                value={d.code}
                onInput={(v) => edit((l) => ((l[i] as Disposition).code = v.trim()))}
              />
              <TextField
                id={`d${i}-zh`}
                label="disp.zh"
                path={`${base}/label/zh-CN`}
                value={d.label['zh-CN']}
                onInput={(v) => edit((l) => ((l[i] as Disposition).label['zh-CN'] = v))}
              />
              <TextField
                id={`d${i}-en`}
                label="disp.en"
                path={`${base}/label/en`}
                value={d.label.en}
                onInput={(v) => edit((l) => ((l[i] as Disposition).label.en = v))}
              />
            </div>
            <p class="muted small">{t('disp.dial', { code: d.code })}</p>
            <div class="row">
              <button
                type="button"
                class="secondary"
                disabled={i === 0}
                onClick={() => move(i, -1)}
                aria-label={t('disp.up', { code: d.code })}
              >
                ↑
              </button>
              <button
                type="button"
                class="secondary"
                disabled={i === list.length - 1}
                onClick={() => move(i, 1)}
                aria-label={t('disp.down', { code: d.code })}
              >
                ↓
              </button>
              <button type="button" class="link danger" disabled={list.length === 1} onClick={() => edit((l) => l.splice(i, 1))}>
                {t('disp.remove', { code: d.code })}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button type="button" id="disp-add" onClick={add} disabled={list.length >= 30}>
        {t('disp.add')}
      </button>
    </section>
  );
}
