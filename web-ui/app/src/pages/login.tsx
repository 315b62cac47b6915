/** The sign-in page: username, password, clear errors (wrong password, locked out with the wait). */
import { useState } from 'preact/hooks';
import { ApiError, type Session, signIn } from '../api.js';
import { t } from '../i18n.js';

export function LoginPage({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('owner');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RATE_LIMITED') setError(t('lockedOut', { s: err.retryAfterS ?? 60 }));
      else if (err instanceof ApiError && err.status < 500) setError(t('wrongLogin'));
      else setError(t('networkError'));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login-page">
      <form class="card login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('signInTitle')}</h1>
        <label for="login-username">{t('username')}</label>
        <input
          id="login-username"
          name="username"
          autocomplete="username"
          required
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <label for="login-password">{t('password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <p class="error" role="alert" id="login-error">
          {error}
        </p>
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </main>
  );
}
