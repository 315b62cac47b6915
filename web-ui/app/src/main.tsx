/**
 * The browser app: signs in (session cookie), then shows the page of the path: the wallboard at
 * / and /wallboard (TV mode with ?kiosk=1), the account page at /account. The language switch
 * (zh-CN default, en) re-renders everything.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, type Session, signOut } from './api.js';
import { LANGS, type Lang, lang, setLang, t } from './i18n.js';
import { AccountPage } from './pages/account.js';
import { ConsolePage } from './pages/console.js';
import { LoginPage } from './pages/login.js';
import { UsersPage } from './pages/users.js';
import { Wallboard } from './pages/wallboard.js';
import './app.css';

type Page = 'wallboard' | 'account' | 'console' | 'users';

function pageOf(path: string): Page {
  if (path === '/account') return 'account';
  if (path === '/users') return 'users';
  return path === '/console' ? 'console' : 'wallboard';
}

function LangSwitch({ onChange }: { onChange: (l: Lang) => void }) {
  return (
    <label class="lang">
      <span class="visually-hidden">{t('language')}</span>
      <select id="lang" value={lang()} onChange={(e) => onChange(e.currentTarget.value as Lang)} aria-label={t('language')}>
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {l === 'zh-CN' ? '中文' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [, setLangState] = useState(lang());
  const [page, setPage] = useState<Page>(pageOf(location.pathname));
  const kiosk = new URLSearchParams(location.search).get('kiosk') === '1';

  useEffect(() => {
    setLang(lang());
    currentSession().then(setSession, () => setSession(null));
    const onPop = () => setPage(pageOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const changeLang = (l: Lang) => {
    setLang(l);
    setLangState(l);
  };
  const go = (p: Page) => (e: Event) => {
    e.preventDefault();
    history.pushState(null, '', p === 'wallboard' ? '/' : `/${p}`);
    setPage(p);
  };

  if (session === undefined) return <main class="page" aria-busy="true" />;
  if (session === null) {
    return (
      <>
        <header class="top">
          <span class="brand">{t('appName')}</span>
          <LangSwitch onChange={changeLang} />
        </header>
        <LoginPage onSignedIn={setSession} />
      </>
    );
  }
  const lost = () => currentSession().then(setSession, () => setSession(null));
  return (
    <>
      {kiosk ? null : (
        <header class="top">
          <span class="brand">{t('appName')}</span>
          <nav aria-label={t('appName')}>
            <a href="/" onClick={go('wallboard')} aria-current={page === 'wallboard' ? 'page' : undefined}>
              {t('wallboard')}
            </a>
            <a href="/?kiosk=1">{t('kiosk')}</a>
            {session.agentId ? (
              <a href="/console" onClick={go('console')} aria-current={page === 'console' ? 'page' : undefined}>
                {t('console')}
              </a>
            ) : null}
            {session.permissions.includes('users.admin') ? (
              <a href="/users" onClick={go('users')} aria-current={page === 'users' ? 'page' : undefined}>
                {t('users')}
              </a>
            ) : null}
            <a href="/account" onClick={go('account')} aria-current={page === 'account' ? 'page' : undefined}>
              {t('account')}
            </a>
          </nav>
          <LangSwitch onChange={changeLang} />
          <button
            type="button"
            class="link"
            id="sign-out"
            onClick={async () => {
              await signOut().catch(() => undefined);
              setSession(null);
            }}
          >
            {t('signOut')}
          </button>
        </header>
      )}
      {page === 'account' && !kiosk ? (
        <AccountPage session={session} onSignedOut={() => setSession(null)} />
      ) : page === 'users' && !kiosk && session.permissions.includes('users.admin') ? (
        <UsersPage />
      ) : page === 'console' && !kiosk ? (
        <ConsolePage session={session} onAuthLost={lost} />
      ) : (
        <Wallboard kiosk={kiosk} onAuthLost={lost} />
      )}
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
