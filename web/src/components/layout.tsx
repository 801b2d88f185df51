// Page frame shared by every page: skip link, header with the ente's branding and the language
// switch, <main>, footer, and one polite live region for status announcements.

import type { ComponentChildren, FunctionComponent } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import sprites from 'bootstrap-italia/dist/svg/sprites.svg?url';
import 'bootstrap-italia/dist/css/bootstrap-italia.min.css';
import '../styles/generated/fonts.css'; // made from fonts.css by web/scripts/subset-fonts.mjs
import '../styles/app.css';
import type { EnteSummary } from '../api';
import { getLang, LANGS, onLangChange, setLang, t, type Lang } from '../i18n';

/** A bootstrap-italia sprite icon; decorative (the text next to it says what it means). */
export function Icon({ name, className = '' }: { name: string; className?: string }) {
  return (
    <svg class={`icon icon-sm ${className}`} aria-hidden="true" focusable="false">
      <use href={`${sprites}#it-${name}`} />
    </svg>
  );
}

// ---- live region -------------------------------------------------------------------------

let liveSetter: ((msg: string) => void) | null = null;
let pending: string | null = null;

/** Says `msg` to screen readers through the page's aria-live="polite" region. */
export function announce(msg: string): void {
  if (liveSetter) liveSetter(msg);
  else pending = msg;
}

function LiveRegion() {
  const [msg, setMsg] = useState('');
  useEffect(() => {
    liveSetter = (m: string) => {
      // Clear first so that the same text said twice is announced twice.
      setMsg('');
      window.setTimeout(() => setMsg(m), 50);
    };
    if (pending) {
      liveSetter(pending);
      pending = null;
    }
    return () => {
      liveSetter = null;
    };
  }, []);
  return (
    <div id="live-region" class="visually-hidden" aria-live="polite" aria-atomic="true">
      {msg}
    </div>
  );
}

// ---- branding ------------------------------------------------------------------------------

function darken(hex: string, factor: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  const ch = (shift: number) =>
    Math.max(0, Math.min(255, Math.round(((n >> shift) & 255) * factor)))
      .toString(16)
      .padStart(2, '0');
  return `#${ch(16)}${ch(8)}${ch(0)}`;
}

/** Applies the ente's colour (the server guarantees ≥ 4.5:1 against white) to the header. */
export function applyBranding(ente: Pick<EnteSummary, 'primary_color'> | null): void {
  const root = document.documentElement;
  const color = ente?.primary_color;
  if (color && /^#[0-9a-f]{6}$/i.test(color)) {
    root.style.setProperty('--ente-primary', color);
    root.style.setProperty('--ente-primary-dark', darken(color, 0.82));
  } else {
    root.style.removeProperty('--ente-primary');
    root.style.removeProperty('--ente-primary-dark');
  }
}

// ---- header / footer -----------------------------------------------------------------------

function LangSwitch() {
  const lang = getLang();
  const names: Record<Lang, string> = { it: t('lang.it'), en: t('lang.en') };
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          type="button"
          class={`btn btn-sm lang-btn ${l === lang ? 'active' : ''}`}
          aria-pressed={l === lang ? 'true' : 'false'}
          lang={l}
          onClick={() => setLang(l)}
        >
          {l.toUpperCase()}
          <span class="visually-hidden"> ({names[l]})</span>
        </button>
      ))}
    </div>
  );
}

export interface PageProps {
  /** Title of the page, also used in document.title. */
  title: string;
  ente?: EnteSummary | null;
  slug?: string | null;
  /** Show the "Area operatori" link (public pages). */
  staffLink?: boolean;
  /** Extra items at the right of the header's slim bar (e.g. logout). */
  headerActions?: ComponentChildren;
  children: ComponentChildren;
}

export function Page({ title, ente, slug, staffLink, headerActions, children }: PageProps) {
  useEffect(() => {
    document.title = ente ? `${title} – ${ente.name}` : `${title} – ${t('app.name')}`;
  });
  useEffect(() => {
    applyBranding(ente ?? null);
  }, [ente?.primary_color]);

  const brandHref = slug ? `/${slug}/` : '/';
  return (
    <>
      <div class="skiplinks">
        <a class="visually-hidden-focusable" href="#main">
          {t('skip.main')}
        </a>
      </div>
      <header class="it-header-wrapper">
        <div class="it-header-slim-wrapper">
          <div class="container">
            <div class="row">
              <div class="col-12">
                <div class="it-header-slim-wrapper-content">
                  <a class="navbar-brand" href="/">
                    {t('app.name')}
                  </a>
                  <div class="it-header-slim-right-zone header-tools">
                    {(staffLink && slug) || headerActions ? (
                      <nav aria-label={t('header.staff')} class="header-nav">
                        {staffLink && slug && (
                          <a class="header-link" href={`/${slug}/login`}>
                            <Icon name="user" className="icon-white me-1" />
                            {t('header.staff')}
                          </a>
                        )}
                        {headerActions}
                      </nav>
                    ) : null}
                    <LangSwitch />
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div class="it-nav-wrapper">
          <div class="it-header-center-wrapper ente-brand">
            <div class="container">
              <div class="row">
                <div class="col-12">
                  <div class="it-header-center-content-wrapper">
                    <div class="it-brand-wrapper">
                      <a href={brandHref}>
                        {ente?.logo_url ? (
                          <img class="ente-logo" src={ente.logo_url} alt="" />
                        ) : (
                          <svg class="icon" aria-hidden="true" focusable="false">
                            <use href={`${sprites}#it-pa`} />
                          </svg>
                        )}
                        <div class="it-brand-text">
                          <div class="it-brand-title">{ente?.name ?? t('app.name')}</div>
                          <div class="it-brand-tagline d-none d-md-block">{t('app.tagline')}</div>
                        </div>
                      </a>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
      </header>
      <main id="main" class="container my-4 my-md-5" tabIndex={-1}>
        {children}
      </main>
      <footer class="it-footer">
        <div class="it-footer-main">
          <div class="container py-4">
            <p class="mb-1 footer-title">{ente?.name ?? t('app.name')}</p>
            <p class="mb-2">{t('footer.about')}</p>
            <ul class="footer-links list-inline mb-0">
              <li class="list-inline-item">
                <a href="/">{t('header.allEnti')}</a>
              </li>
              {slug && staffLink && (
                <li class="list-inline-item">
                  <a href={`/${slug}/login`}>{t('footer.staff')}</a>
                </li>
              )}
            </ul>
          </div>
        </div>
      </footer>
      <LiveRegion />
    </>
  );
}

/** A page body while loading or after a fatal error (keeps the one-h1 rule). */
export function Loading() {
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

export function FatalError({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <>
      <h1>{title}</h1>
      <div class="alert alert-danger" role="alert">
        {message}
      </div>
      {onRetry && (
        <button type="button" class="btn btn-primary" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </>
  );
}

/** Renders `App` into #app and re-renders it whenever the language changes. */
export function mount(App: FunctionComponent): void {
  function Root() {
    // Changing this state re-renders the whole tree, so every t() call reads the new language.
    const [, setLangState] = useState(getLang());
    useEffect(() => onLangChange(setLangState), []);
    return <App />;
  }
  const el = document.getElementById('app');
  if (el) render(<Root />, el);
}

/** The ente slug: the first segment of the path (/esempio/login → "esempio"). */
export function slugFromPath(): string {
  return decodeURIComponent(location.pathname.split('/').filter(Boolean)[0] ?? '');
}
