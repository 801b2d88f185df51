// The console's settings view ("#/impostazioni", supervisors and admins): the contact settings
// of the ente and of each office (docs/API.md, "The workspace": GET/PUT …/contact-settings) —
// the cap on concurrent conversations, automatic assignment and the target wait the
// supervisors' wall checks. Admins change the ente's rules, supervisors the offices'; an empty
// field of an office follows the ente. The server's refusal is shown on the field it names.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, enc, get, type Operator, type PublicOffice } from '../api';
import { apiMessage } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { tw } from '../line/i18n-workspace';

interface Settings {
  max_chats: number | null;
  auto_assign: boolean | null;
  target_wait_minutes: number | null;
  office: { id: string; name: string } | null;
  effective: { max_chats: number | null; auto_assign: boolean; target_wait_minutes: number | null };
}

type Field = 'max_chats' | 'auto_assign' | 'target_wait_minutes';

function parseWhole(text: string, min: number, max: number): number | null | undefined {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= min && n <= max ? n : undefined;
}

function effectiveText(e: Settings['effective']): string {
  return tw('set.effective', {
    chats: e.max_chats ? tw('set.chatsN', { n: e.max_chats }) : tw('set.none'),
    aa: e.auto_assign ? tw('set.yes') : tw('set.no'),
    target: e.target_wait_minutes ? tw('set.targetN', { n: e.target_wait_minutes }) : tw('set.noTargetLong'),
  });
}

function SettingsForm({
  slug,
  office,
  title,
  ente,
  canEdit,
}: {
  slug: string;
  office: PublicOffice | null;
  title: string;
  ente: Settings | null;
  canEdit: boolean;
}) {
  const path = office
    ? `/api/v1/enti/${enc(slug)}/offices/${enc(office.id)}/contact-settings`
    : `/api/v1/enti/${enc(slug)}/contact-settings`;
  const idp = `set-${office ? office.slug : 'ente'}`;
  const [data, setData] = useState<Settings | null>(null);
  const [chats, setChats] = useState('');
  const [aa, setAa] = useState('');
  const [target, setTarget] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const show = (s: Settings) => {
    setData(s);
    setChats(s.max_chats == null ? '' : String(s.max_chats));
    setAa(s.auto_assign == null ? '' : s.auto_assign ? 'yes' : 'no');
    setTarget(s.target_wait_minutes == null ? '' : String(s.target_wait_minutes));
  };
  useEffect(() => {
    get<Settings>(path)
      .then(show)
      .catch((e) => setFormError(tw('set.loadError', { message: apiMessage(e) })));
  }, [path]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setFormError(null);
    const errs: Partial<Record<Field, string>> = {};
    const maxChats = parseWhole(chats, 1, 50);
    if (maxChats === undefined) errs.max_chats = tw('set.integer', { min: 1, max: 50 });
    const targetWait = parseWhole(target, 1, 480);
    if (targetWait === undefined) errs.target_wait_minutes = tw('set.integer', { min: 1, max: 480 });
    setErrors(errs);
    if (Object.keys(errs).length) {
      document.getElementById(`${idp}-${Object.keys(errs)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const s = await api<Settings>('PUT', path, {
        max_chats: maxChats,
        auto_assign: aa === '' ? null : aa === 'yes',
        target_wait_minutes: targetWait,
      });
      show(s);
      const msg = tw('set.saved', { name: title });
      setSaved(msg);
      announce(msg);
    } catch (err) {
      const field = err instanceof ApiError ? (err.field as Field | undefined) : undefined;
      if (field && ['max_chats', 'auto_assign', 'target_wait_minutes'].includes(field)) {
        setErrors({ [field]: apiMessage(err) });
        document.getElementById(`${idp}-${field}`)?.focus();
      } else setFormError(apiMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const inherit = office && ente;
  const chatsInherit = inherit
    ? `${tw('set.inheritEnte')} (${ente!.max_chats ? tw('set.chatsN', { n: ente!.max_chats }) : tw('set.none')})`
    : tw('set.none');
  const targetInherit = inherit
    ? `${tw('set.inheritEnte')} (${ente!.target_wait_minutes ? tw('set.minutes', { n: ente!.target_wait_minutes }) : tw('set.noTarget')})`
    : tw('set.noTarget');
  const fieldProps = (f: Field) => ({
    id: `${idp}-${f}`,
    'aria-invalid': errors[f] ? ('true' as const) : undefined,
    'aria-describedby': `${idp}-${f}-hint${errors[f] ? ` ${idp}-${f}-error` : ''}`,
    disabled: !canEdit,
  });
  const fieldError = (f: Field) =>
    errors[f] && (
      <div class="invalid-feedback d-block" id={`${idp}-${f}-error`}>
        {errors[f]}
      </div>
    );
  return (
    <section class="panel settings-card" aria-labelledby={`${idp}-title`} data-settings={office ? office.slug : 'ente'}>
      <h3 class="h5" id={`${idp}-title`}>
        {title}
      </h3>
      {!data && !formError && <Loading />}
      {formError && (
        <div class="alert alert-danger" role="alert">
          {formError}
        </div>
      )}
      {saved && (
        <div class="alert alert-success" role="status">
          {saved}
        </div>
      )}
      {!canEdit && <p class="small">{tw('set.enteOnlyAdmin')}</p>}
      {data && (
        <form onSubmit={submit} noValidate>
          <div class="form-group mt-4">
            <label for={`${idp}-max_chats`} class="active">
              {tw('set.maxChats')}
            </label>
            <input
              type="text"
              inputMode="numeric"
              class={`form-control ${errors.max_chats ? 'is-invalid' : ''}`}
              value={chats}
              onInput={(e) => setChats(e.currentTarget.value)}
              {...fieldProps('max_chats')}
            />
            <small class="form-text" id={`${idp}-max_chats-hint`}>
              {tw('set.maxChatsHint', { inherit: chatsInherit })}
            </small>
            {fieldError('max_chats')}
          </div>
          <div class="select-wrapper form-group">
            <label for={`${idp}-auto_assign`}>{tw('set.autoAssign')}</label>
            <select value={aa} onChange={(e) => setAa(e.currentTarget.value)} {...fieldProps('auto_assign')}>
              <option value="">
                {inherit ? tw('set.aaInherit', { value: ente!.auto_assign ? tw('set.yes') : tw('set.no') }) : tw('set.aaUnset')}
              </option>
              <option value="yes">{tw('set.yes')}</option>
              <option value="no">{tw('set.no')}</option>
            </select>
            <small class="form-text" id={`${idp}-auto_assign-hint`} />
            {fieldError('auto_assign')}
          </div>
          <div class="form-group">
            <label for={`${idp}-target_wait_minutes`} class="active">
              {tw('set.targetWait')}
            </label>
            <input
              type="text"
              inputMode="numeric"
              class={`form-control ${errors.target_wait_minutes ? 'is-invalid' : ''}`}
              value={target}
              onInput={(e) => setTarget(e.currentTarget.value)}
              {...fieldProps('target_wait_minutes')}
            />
            <small class="form-text" id={`${idp}-target_wait_minutes-hint`}>
              {tw('set.targetWaitHint', { inherit: targetInherit })}
            </small>
            {fieldError('target_wait_minutes')}
          </div>
          <p class="small" id={`${idp}-effective`}>
            {effectiveText(data.effective)}
          </p>
          {canEdit && (
            <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
              {tw('set.save')}
              <span class="visually-hidden"> – {title}</span>
            </button>
          )}
        </form>
      )}
    </section>
  );
}

export function ContactSettingsPanel({ slug, operator }: { slug: string; operator: Operator }) {
  const [offices, setOffices] = useState<PublicOffice[] | null>(null);
  const [ente, setEnte] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ offices: PublicOffice[] }>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(a.offices))
      .catch((e) => setError(apiMessage(e)));
    get<Settings>(`/api/v1/enti/${enc(slug)}/contact-settings`)
      .then(setEnte)
      .catch(() => undefined);
  }, [slug]);
  return (
    <section class="panel" id="contact-settings" aria-labelledby="set-title">
      <h2 id="set-title" class="h4">
        {tw('set.title')}
      </h2>
      <p>{tw('set.intro')}</p>
      {error && (
        <div class="alert alert-danger" role="alert">
          {tw('set.loadError', { message: error })}
        </div>
      )}
      {!offices && !error && <Loading />}
      <div class="settings-grid">
        <SettingsForm slug={slug} office={null} title={tw('set.ente')} ente={null} canEdit={operator.role === 'admin'} />
        {offices?.map((o) => (
          <SettingsForm slug={slug} office={o} title={o.name} ente={ente} canEdit={operator.role !== 'operator'} key={o.id} />
        ))}
      </div>
    </section>
  );
}
