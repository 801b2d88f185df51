// Administration of the kiosks ("Totem / Chioschi"): register one (name, office, optional
// site), which shows its secret URL /kiosk/{id}#token=… once, with a copy button; list them with
// when they were last seen; give one a new URL (the old one stops working); deactivate one.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, get, listOf } from '../api';
import { apiMessage, FormMessages, SelectField, TextField, useSubmit, type Errors } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { formatDateLong, formatTime, localDate } from '../format';
import { t } from '../i18n';
import type { OfficeRef } from './console-model';
import { tc } from './i18n-console';
import './console-reception.css';

interface Kiosk {
  id: string;
  name: string;
  office: OfficeRef | null;
  site: { id: string; name: string } | null;
  active: boolean;
  last_seen_at: string | null;
}

interface KioskSecret {
  kiosk?: Kiosk;
  token: string;
  url?: string;
}

interface Named {
  id: string;
  name: string;
}

/** The one-time URL of a kiosk, with a copy button and the warning that it is shown once. */
function OneTimeUrl({ name, url }: { name: string; url: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [url]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(tc('kiosks.copied'));
    } catch {
      input.current?.select();
      setCopied(tc('kiosks.copyFailed'));
    }
  };
  return (
    <div class="alert alert-warning kiosk-secret" id="kiosk-secret">
      <p class="fw-semibold">{tc('kiosks.urlWarning')}</p>
      <label for="kiosk-url" class="form-label fw-semibold">
        {tc('kiosks.url', { name })}
      </label>
      <div class="d-flex flex-wrap gap-2 align-items-center">
        <input
          id="kiosk-url"
          ref={input}
          class="form-control kiosk-url flex-grow-1"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="btn btn-primary btn-sm" onClick={() => void copy()}>
          {tc('kiosks.copy')}
        </button>
      </div>
      <p role="status" class="mb-0 mt-2 small">
        {copied ?? ''}
      </p>
    </div>
  );
}

export function KiosksSection({ slug, tz }: { slug: string; tz: string }) {
  const base = `/api/v1/enti/${enc(slug)}/kiosks`;
  const [kiosks, setKiosks] = useState<Kiosk[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [offices, setOffices] = useState<Named[]>([]);
  const [sites, setSites] = useState<Named[]>([]);
  const [name, setName] = useState('');
  const [office, setOffice] = useState('');
  const [site, setSite] = useState('');
  const [secret, setSecret] = useState<{ name: string; url: string } | null>(null);
  const [confirm, setConfirm] = useState<{ id: string; what: 'token' | 'deactivate' } | null>(null);
  const { state, run } = useSubmit((f) => f === 'name' || f === 'office' || f === 'site');

  const reload = () =>
    get<unknown>(base)
      .then((a) => {
        setKiosks(listOf<Kiosk>(a, 'kiosks'));
        setLoadError(null);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  useEffect(() => {
    void reload();
    get<unknown>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(listOf<Named>(a, 'offices')))
      .catch(() => setOffices([]));
    get<unknown>(`/api/v1/enti/${enc(slug)}/sites`)
      .then((a) => setSites(listOf<Named>(a, 'sites')))
      .catch(() => setSites([]));
  }, [slug]);

  const show = (kioskName: string, id: string, s: KioskSecret) => {
    const path = s.url ?? `/kiosk/${enc(id)}#token=${enc(s.token)}`;
    setSecret({ name: kioskName, url: new URL(path, location.origin).href });
  };

  const create = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!name.trim()) local.name = t('form.required');
    if (!office) local.office = t('form.required');
    const ok = await run(async () => {
      const body: Record<string, string> = { name: name.trim(), office };
      if (site) body.site = site;
      const s = await api<KioskSecret>('POST', base, body);
      show(name.trim(), s.kiosk?.id ?? '', s);
      const msg = tc('kiosks.created', { name: name.trim() });
      announce(msg);
      return msg;
    }, local);
    if (ok) {
      setName('');
      void reload();
    }
  };

  const act = async (k: Kiosk, what: 'token' | 'deactivate') => {
    setConfirm(null);
    await run(async () => {
      if (what === 'token') {
        show(k.name, k.id, await api<KioskSecret>('POST', `${base}/${enc(k.id)}/token`));
        announce(tc('kiosks.regenerated', { name: k.name }));
        return tc('kiosks.regenerated', { name: k.name });
      }
      await api<unknown>('DELETE', `${base}/${enc(k.id)}`);
      announce(tc('kiosks.deactivated', { name: k.name }));
      return tc('kiosks.deactivated', { name: k.name });
    });
    void reload();
  };

  const lastSeen = (iso: string | null) => (iso ? `${formatDateLong(localDate(iso, tz))} ${formatTime(iso, tz)}` : tc('kiosks.never'));
  const none = { value: '', label: t('form.optionNone') };
  return (
    <div id="kiosks">
      <p>{tc('kiosks.lead')}</p>
      {secret && <OneTimeUrl name={secret.name} url={secret.url} />}
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {!kiosks && !loadError && <Loading />}
      {kiosks && (
        <div class="table-responsive mb-4">
          <table class="table table-striped" id="kiosks-table">
            <caption>{tc('kiosks.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{tc('kiosks.name')}</th>
                <th scope="col">{tc('kiosks.office')}</th>
                <th scope="col">{tc('kiosks.site')}</th>
                <th scope="col">{tc('kiosks.active')}</th>
                <th scope="col">{tc('kiosks.lastSeen')}</th>
                <th scope="col">{t('form.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {kiosks.length === 0 && (
                <tr>
                  <td colSpan={6}>{tc('kiosks.none')}</td>
                </tr>
              )}
              {kiosks.map((k) => (
                <tr data-id={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>{k.office?.name ?? ''}</td>
                  <td>{k.site?.name ?? ''}</td>
                  <td>{k.active ? t('form.yes') : t('form.no')}</td>
                  <td>{lastSeen(k.last_seen_at)}</td>
                  <td>
                    {confirm?.id === k.id ? (
                      <span class="d-inline-flex flex-wrap gap-2 align-items-center">
                        <span>
                          {confirm.what === 'token'
                            ? tc('kiosks.regenerateConfirm', { name: k.name })
                            : tc('kiosks.deactivateConfirm', { name: k.name })}
                        </span>
                        <button type="button" class="btn btn-danger btn-sm" onClick={() => void act(k, confirm.what)}>
                          {tc('kiosks.yes')}
                        </button>
                        <button type="button" class="btn btn-outline-secondary btn-sm" onClick={() => setConfirm(null)}>
                          {tc('kiosks.cancel')}
                        </button>
                      </span>
                    ) : (
                      k.active && (
                        <span class="d-inline-flex flex-wrap gap-2">
                          <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => setConfirm({ id: k.id, what: 'token' })}>
                            {tc('kiosks.regenerate')}
                            <span class="visually-hidden"> – {k.name}</span>
                          </button>
                          <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => setConfirm({ id: k.id, what: 'deactivate' })}>
                            {tc('kiosks.deactivate')}
                            <span class="visually-hidden"> – {k.name}</span>
                          </button>
                        </span>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 class="h4" id="kiosk-form-title">
        {tc('kiosks.new')}
      </h3>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={create} noValidate class="mt-4" aria-labelledby="kiosk-form-title" id="kiosk-form">
        <TextField id="kiosk-name" label={tc('kiosks.name')} value={name} onInput={setName} required maxLength={80} error={state.errors.name} />
        <SelectField
          id="kiosk-office"
          label={tc('kiosks.office')}
          value={office}
          onChange={setOffice}
          required
          error={state.errors.office}
          options={[none, ...offices.map((o) => ({ value: o.id, label: o.name }))]}
        />
        <SelectField
          id="kiosk-site"
          label={tc('kiosks.site')}
          value={site}
          onChange={setSite}
          error={state.errors.site}
          options={[none, ...sites.map((s) => ({ value: s.id, label: s.name }))]}
        />
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {tc('kiosks.register')}
        </button>
      </form>
    </div>
  );
}
