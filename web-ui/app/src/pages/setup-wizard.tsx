/**
 * The first-run setup wizard (设置向导), shown instead of the sign-in page while the box has no
 * owner: one-time setup code → owner password (the owner account is made here and signed in) →
 * shop name → lines in use → agents (name, extension) → done. Steps after the password run as the
 * signed-in owner (POST /api/v1/setup/apply through the validated config).
 */
import { useState } from 'preact/hooks';
import { ApiError, api, currentSession, type Session } from '../api.js';
import { type Key, t } from '../i18n.js';
import { type AgentRow, AgentsStep, type HardwareView, LinesStep } from './setup-wizard-team.js';
import './setup-wizard.css';

const STEPS: readonly Key[] = [
  'wizard.step.code',
  'wizard.step.password',
  'wizard.step.shop',
  'wizard.step.lines',
  'wizard.step.agents',
  'wizard.step.done',
];

/** Whether the box still waits for its owner (then the app shows the wizard). */
export function setupNeeded(): Promise<boolean> {
  return api.get<{ needed: boolean }>('/api/v1/setup/state').then(
    (r) => r.needed,
    () => false,
  );
}

function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('networkError');
  const d = err.details as { field?: string; errors?: { path: string; message: string }[] } | null;
  const first = d?.errors?.[0];
  if (first) return t('wizard.fieldError', { field: first.path, message: first.message });
  return err.message;
}

export function SetupWizard({ onDone, onExit }: { onDone: (s: Session) => void; onExit: () => void }) {
  const [step, setStep] = useState(0);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [session, setSession] = useState<Session | null>(null);
  const [hw, setHw] = useState<HardwareView | null>(null);
  const [shopName, setShopName] = useState('');
  const [lines, setLines] = useState<string[]>([]);
  const [agents, setAgents] = useState<AgentRow[]>([]);
  const [restart, setRestart] = useState<string[]>([]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  const createOwner = () =>
    run(async () => {
      if (password.length < 8) return setError(t('wizard.passwordShort'));
      if (password !== again) return setError(t('wizard.passwordMismatch'));
      try {
        await api.post('/api/v1/setup/owner', { code: code.trim(), password });
      } catch (err) {
        setPassword('');
        setAgain('');
        if (err instanceof ApiError && err.code === 'BAD_CREDENTIALS') {
          setStep(0);
          return setError(t('wizard.badCode'));
        }
        if (err instanceof ApiError && err.code === 'RATE_LIMITED') return setError(t('wizard.lockedOut', { s: err.retryAfterS ?? 60 }));
        if (err instanceof ApiError && err.code === 'CONFLICT') return onExit();
        return setError(errorText(err));
      }
      const s = await currentSession(); // keeps the CSRF token for the next steps
      if (!s) return setError(t('networkError'));
      setSession(s);
      const h = await api.get<HardwareView>('/api/v1/setup/hardware');
      setHw(h);
      setShopName(h.shopName === 'callbox' ? '' : h.shopName);
      setLines(h.lines.filter((l) => l.inUse).map((l) => l.channel));
      setAgents(h.agents.map((a) => ({ name: a.name, extension: a.extension })));
      setStep(2);
    }).catch((err: unknown) => setError(errorText(err)));

  const save = () =>
    run(async () => {
      const r = await api.post<{ restartRequired: string[] }>('/api/v1/setup/apply', {
        shopName: shopName.trim(),
        lines,
        agents: agents.map((a) => ({ name: a.name.trim(), extension: a.extension })),
      });
      setRestart(r.restartRequired);
      setStep(5);
    }).catch((err: unknown) => setError(errorText(err)));

  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (step === 0) {
      if (!/^\d{8}$/.test(code.trim())) return setError(t('wizard.badCode'));
      setError('');
      setStep(1);
    } else if (step === 1) void createOwner();
    else if (step === 2 && shopName.trim() === '') setError(t('wizard.shopRequired'));
    else if (step === 2 || step === 3) {
      setError('');
      setStep(step + 1);
    } else if (step === 4) void save();
    else if (session) onDone(session);
  };

  const title = STEPS[step] as Key;
  return (
    <main class="login-page wizard-page">
      <form class="card wizard" id="setup-wizard" onSubmit={submit} aria-labelledby="wizard-title" noValidate>
        <p class="muted wizard-progress">
          {t('wizard.title')} · {t('wizard.stepOf', { n: step + 1, total: STEPS.length })}
        </p>
        <h1 id="wizard-title">{t(title)}</h1>
        {step === 0 ? (
          <>
            <p>{t('wizard.intro')}</p>
            <label for="wizard-code">{t('wizard.codeLabel')}</label>
            <input
              id="wizard-code"
              inputMode="numeric"
              autocomplete="one-time-code"
              maxLength={8}
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            <p class="muted">{t('wizard.codeHint')}</p>
          </>
        ) : null}
        {step === 1 ? (
          <>
            <p class="muted">{t('wizard.passwordHint')}</p>
            <input type="text" name="username" autocomplete="username" value="owner" readOnly hidden />
            <label for="wizard-password">{t('wizard.passwordLabel')}</label>
            <input
              id="wizard-password"
              type="password"
              autocomplete="new-password"
              required
              minLength={8}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <label for="wizard-password2">{t('wizard.passwordAgain')}</label>
            <input
              id="wizard-password2"
              type="password"
              autocomplete="new-password"
              required
              value={again}
              onInput={(e) => setAgain(e.currentTarget.value)}
            />
          </>
        ) : null}
        {step === 2 ? (
          <>
            <label for="wizard-shop">{t('wizard.shopLabel')}</label>
            <input id="wizard-shop" required maxLength={80} value={shopName} onInput={(e) => setShopName(e.currentTarget.value)} />
            <p class="muted">{t('wizard.shopHint')}</p>
          </>
        ) : null}
        {step === 3 && hw ? <LinesStep hw={hw} chosen={lines} onChange={setLines} /> : null}
        {step === 4 && hw ? <AgentsStep hw={hw} rows={agents} onChange={setAgents} /> : null}
        {step === 5 ? (
          <>
            <p id="wizard-done">{t('wizard.doneText')}</p>
            {restart.length ? <p class="muted">{t('wizard.restartNote', { paths: restart.join(', ') })}</p> : null}
          </>
        ) : null}
        <p class="error" role="alert" id="wizard-error">
          {error}
        </p>
        <div class="wizard-buttons">
          {step === 1 || step === 3 || step === 4 ? (
            <button type="button" class="secondary" onClick={() => setStep(step - 1)} disabled={busy}>
              {t('wizard.back')}
            </button>
          ) : null}
          <button type="submit" id="wizard-next" disabled={busy || (step === 2 && shopName.trim() === '')}>
            {busy ? t('wizard.saving') : step === 4 ? t('wizard.finish') : step === 5 ? t('wizard.open') : t('wizard.next')}
          </button>
        </div>
      </form>
    </main>
  );
}
