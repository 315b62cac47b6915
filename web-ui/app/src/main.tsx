/**
 * The browser app: signs in (session cookie), then shows the page of the path from the list in
 * pages.tsx (the wallboard at /, TV mode with ?kiosk=1). The language switch (zh-CN default, en)
 * re-renders everything.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, type Session, signOut } from './api.js';
import { LANGS, type Lang, lang, loadLang, setLang, t } from './i18n.js';
import { PageLoader } from './page-loader.js';
import { type PageDef, PAGES, pageOf } from './pages.js';
import { LoginPage } from './pages/login.js';
import { SetupWizard, setupNeeded } from './pages/setup-wizard.js';
import { Wallboard } from './pages/wallboard.js';
import './app.css';

const HOME = PAGES[0] as PageDef;

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
  const [page, setPage] = useState<PageDef>(pageOf(location.pathname));
  // the first-run wizard replaces the sign-in page while the box has no owner (and until it ends)
  const [wizard, setWizard] = useState(false);
  const kiosk = new URLSearchParams(location.search).get('kiosk') === '1';

  useEffect(() => {
    setLang(lang());
    currentSession().then(
      async (s) => {
        if (s === null && (await setupNeeded())) setWizard(true);
        setSession(s);
      },
      () => setSession(null),
    );
    const onPop = () => setPage(pageOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const changeLang = (l: Lang) => {
    setLang(l); // remembered at once: a page opened next (or a reload) starts in it
    loadLang(l).then(
      () => {
        setLang(l); // the title in the new language
        setLangState(l); // re-render with its strings (until then the zh-CN ones show)
      },
      () => undefined, // the chunk did not load (box unreachable): zh-CN strings stay
    );
  };
  const go = (p: PageDef) => (e: Event) => {
    e.preventDefault();
    history.pushState(null, '', p === HOME ? '/' : `/${p.path}`);
    setPage(p);
  };

  if (session === undefined) return <main class="page" aria-busy="true" />;
  if (session === null || wizard) {
    const done = (s: Session) => {
      setWizard(false);
      setSession(s);
    };
    return (
      <>
        <header class="top">
          <span class="brand">{t('appName')}</span>
          <LangSwitch onChange={changeLang} />
        </header>
        {wizard ? <SetupWizard onDone={done} onExit={() => setWizard(false)} /> : <LoginPage onSignedIn={setSession} />}
      </>
    );
  }
  const lost = () => currentSession().then(setSession, () => setSession(null));
  // the home page is the first one this user may see (a technician has no wallboard: setup)
  const home = PAGES.find((p) => p.visible(session)) ?? HOME;
  const wallboard = HOME.visible(session);
  const shown = page.visible(session) ? page : home;
  return (
    <>
      {kiosk && wallboard ? null : (
        <header class="top">
          <span class="brand">{t('appName')}</span>
          <nav aria-label={t('appName')}>
            {PAGES.filter((p) => p.visible(session)).map((p) => (
              <a key={p.path} href={p === HOME ? '/' : `/${p.path}`} onClick={go(p)} aria-current={shown === p ? 'page' : undefined}>
                {t(p.label)}
              </a>
            ))}
            {wallboard ? <a href="/?kiosk=1">{t('kiosk')}</a> : null}
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
      {kiosk && wallboard ? (
        <Wallboard kiosk onAuthLost={lost} />
      ) : (
        <PageLoader page={shown} props={{ session, onAuthLost: lost, onSignedOut: () => setSession(null) }} />
      )}
    </>
  );
}

const root = document.getElementById('app');
// the chosen language's strings before the first render (English is fetched; zh-CN is here)
if (root)
  loadLang(lang()).then(
    () => render(<App />, root),
    () => render(<App />, root),
  );
