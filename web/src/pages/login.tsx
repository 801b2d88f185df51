// "/{slug}/login" — operator sign-in. Already signed in to this ente → straight to the console.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Ente } from '../api';
import { apiMessage } from '../components/forms';
import { FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { t } from '../i18n';
import { loadEnte, loadSession, login } from '../session';

function Login() {
  const slug = slugFromPath();
  const [ente, setEnte] = useState<Ente | null | undefined>(undefined);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadSession()
      .then((s) => {
        if (s && s.ente?.slug === slug) location.replace(`/${encodeURIComponent(slug)}/console`);
      })
      .catch(() => undefined);
    loadEnte(slug)
      .then(setEnte)
      .catch(() => setEnte(null));
  }, [slug]);

  async function submit(e: Event) {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!username.trim()) errs.username = t('login.requiredUsername');
    if (!password) errs.password = t('login.requiredPassword');
    setErrors(errs);
    setFormError(null);
    if (errs.username || errs.password) {
      document.getElementById(errs.username ? 'username' : 'password')?.focus();
      return;
    }
    setBusy(true);
    try {
      await login(slug, username.trim(), password);
      location.assign(`/${encodeURIComponent(slug)}/console`);
    } catch (err) {
      setBusy(false);
      let msg: string;
      if (err instanceof ApiError && err.status === 401) msg = t('login.wrong');
      else if (err instanceof ApiError && err.status === 429)
        msg =
          err.retryAfter === null
            ? t('login.throttled')
            : err.retryAfter <= 1
              ? t('login.throttledOne')
              : t('login.throttledFor', { seconds: err.retryAfter });
      else msg = apiMessage(err);
      setFormError(msg);
      setPassword('');
      document.getElementById('password')?.focus();
    }
  }

  if (ente === null) {
    return (
      <Page title={t('error.enteNotFound')}>
        <FatalError title={t('error.enteNotFound')} message={t('error.enteNotFoundText')} />
      </Page>
    );
  }

  // The form-level error describes both fields, so it is read when either is focused.
  const both = formError ? 'login-error' : undefined;
  return (
    <Page title={t('login.title')} ente={ente} slug={slug}>
      <div class="row">
        <div class="col-12 col-md-8 col-lg-6">
          <h1>{t('login.title')}</h1>
          <p class="lead">{t('login.lead')}</p>
          {ente === undefined && <Loading />}
          {formError && (
            <div class="alert alert-danger" role="alert" id="login-error">
              {formError}
            </div>
          )}
          <form class="mt-5" onSubmit={submit} noValidate>
            <LoginField
              id="username"
              label={t('login.username')}
              value={username}
              onInput={setUsername}
              autoComplete="username"
              error={errors.username}
              extraDescribedBy={both}
            />
            <LoginField
              id="password"
              label={t('login.password')}
              type="password"
              value={password}
              onInput={setPassword}
              autoComplete="current-password"
              error={errors.password}
              extraDescribedBy={both}
            />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('login.submitting') : t('login.submit')}
              </button>
              <a href={`/${encodeURIComponent(slug)}/`}>{t('login.back')}</a>
            </div>
          </form>
        </div>
      </div>
    </Page>
  );
}

function LoginField(p: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'password';
  autoComplete: string;
  error?: string;
  extraDescribedBy?: string;
}) {
  const invalid = !!p.error || !!p.extraDescribedBy;
  const describedBy = [p.error ? `${p.id}-error` : '', p.extraDescribedBy ?? ''].filter(Boolean).join(' ');
  return (
    <div class="form-group">
      <label for={p.id} class="active">
        {p.label}
      </label>
      <input
        id={p.id}
        name={p.id}
        type={p.type ?? 'text'}
        class={`form-control ${invalid ? 'field-invalid' : ''}`}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        autoComplete={p.autoComplete}
        autoCapitalize="none"
        spellcheck={false}
        required
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {p.error && (
        <div id={`${p.id}-error`} class="field-error" role="alert">
          {p.error}
        </div>
      )}
    </div>
  );
}

mount(Login);
