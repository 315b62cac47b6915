/** The account page: change one's password (old one required), sign out everywhere. */
import { useState } from 'preact/hooks';
import { ApiError, api, type Session, signOut } from '../api.js';
import { t, tOr } from '../i18n.js';

export function AccountPage({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const change = async (e: Event) => {
    e.preventDefault();
    setMessage('');
    setError('');
    try {
      await api.post('/api/v1/auth/password', { oldPassword, newPassword });
      setOld('');
      setNew('');
      setMessage(t('passwordChanged'));
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'BAD_CREDENTIALS' ? t('wrongLogin') : err instanceof Error ? err.message : String(err),
      );
    }
  };

  return (
    <main class="page account">
      <p>{t('signedInAs', { user: session.username, role: tOr(`role.${session.role}`, session.role) })}</p>
      <form class="card" onSubmit={change} aria-labelledby="pw-title">
        <h2 id="pw-title">{t('passwordTitle')}</h2>
        <label for="pw-old">{t('oldPassword')}</label>
        <input
          id="pw-old"
          type="password"
          autocomplete="current-password"
          required
          value={oldPassword}
          onInput={(e) => setOld(e.currentTarget.value)}
        />
        <label for="pw-new">{t('newPassword')}</label>
        <input
          id="pw-new"
          type="password"
          autocomplete="new-password"
          minLength={8}
          required
          value={newPassword}
          onInput={(e) => setNew(e.currentTarget.value)}
        />
        <p class="error" role="alert">
          {error}
        </p>
        <p class="ok" role="status">
          {message}
        </p>
        <button type="submit">{t('changePassword')}</button>
      </form>
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          await signOut(true);
          onSignedOut();
        }}
      >
        {t('signOutAll')}
      </button>
    </main>
  );
}
