// "/{slug}/admin" — administration of the ente (role admin): ente data, sites, offices,
// services, reception hours, holidays, operators, cases (escalation chain, canned answers),
// kiosks. Sections are ARIA tabs (arrow keys, Home/End) and follow the URL hash (#schedule,
// #operators…).

import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  CHANNELS,
  enc,
  get,
  listOf,
  type Ente,
  type HolidayEntry,
  type Operator,
  type Session,
} from '../api';
import { CrudSection, type FieldDef } from '../components/crud';
import {
  apiMessage,
  FormMessages,
  SelectField,
  TextArea,
  TextField,
  useSubmit,
  type Errors,
  type Option,
} from '../components/forms';
import { announce, FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { channelName } from '../components/office';
import { ScheduleEditor } from '../components/schedule-editor';
import { LogoutButton, roleName, useStaffSession } from '../components/staff';
import { formatDateLong } from '../format';
import { t, type I18nKey } from '../i18n';
import { KiosksSection } from '../reception/console-kiosks';
import { CountersSection } from '../queue/admin-counters';
import { tq } from '../queue/i18n-queue';
import { tc } from '../reception/i18n-console';
import { tb } from '../booking/i18n-booking';
import { PlansAdmin } from '../booking/plans-admin';
import { CasesAdmin } from '../cases/admin-cases';
import { tc as tk } from '../cases/i18n-cases';
import { KbAdmin } from '../knowledge/admin-kb';
import { tk as tkb } from '../knowledge/i18n-kb';
import { VisitorsAdmin } from '../visitors/admin-visitors';
import { tv } from '../visitors/i18n-visitors';

const TABS = ['ente', 'sites', 'offices', 'services', 'counters', 'schedule', 'booking', 'cases', 'kb', 'holidays', 'operators', 'kiosks', 'visitors'] as const;
type Tab = (typeof TABS)[number];
/** A supervisor administers the knowledge base only (the rest is the admin's). */
const SUPERVISOR_TABS: readonly Tab[] = ['kb'];

function tabName(tab: Tab): string {
  if (tab === 'booking') return tb('admin.tab');
  if (tab === 'counters') return tq('admin.countersTab');
  if (tab === 'cases') return tk('admin.tab');
  if (tab === 'kb') return tkb('admin.tab');
  if (tab === 'visitors') return tv('adm.tab');
  return tab === 'kiosks' ? tc('kiosks.tab') : t(`tab.${tab}` as I18nKey);
}

function tabFromHash(tabs: readonly Tab[] = TABS): Tab {
  const h = location.hash.replace(/^#/, '').split('/')[0];
  return (tabs as readonly string[]).includes(h) ? (h as Tab) : tabs[0];
}

// ---- Ente ----------------------------------------------------------------------------------

function EnteSection({ slug, session, onChange }: { slug: string; session: Session; onChange: (e: Ente) => void }) {
  const [ente, setEnte] = useState<Ente | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [v, setV] = useState({ name: '', logo_url: '', primary_color: '', patron_day: '', patron_name: '', embed_origins: '' });
  const fields = new Set(Object.keys(v));
  const { state, run } = useSubmit((f) => fields.has(f) || f.startsWith('embed_origins'));

  const fill = (e: Ente) => {
    setEnte(e);
    setV({
      name: e.name ?? '',
      logo_url: e.logo_url ?? '',
      primary_color: e.primary_color ?? '',
      patron_day: e.patron_day ?? '',
      patron_name: e.patron_name ?? '',
      embed_origins: (e.embed_origins ?? []).join('\n'),
    });
  };
  useEffect(() => {
    get<Ente>(`/api/v1/enti/${enc(slug)}`)
      // The public ente has no embed_origins: take them from the session's ente when present.
      .then((e) => fill({ ...session.ente, ...e, embed_origins: e.embed_origins ?? session.ente.embed_origins }))
      .catch((e) => setLoadError(apiMessage(e)));
  }, [slug]);

  const set = (k: keyof typeof v) => (val: string) => setV((o) => ({ ...o, [k]: val }));

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!v.name.trim()) local.name = t('form.required');
    await run(async () => {
      const body = {
        name: v.name.trim(),
        logo_url: v.logo_url.trim() === '' ? null : v.logo_url.trim(),
        primary_color: v.primary_color.trim(),
        patron_day: v.patron_day.trim() === '' ? null : v.patron_day.trim(),
        patron_name: v.patron_name.trim(),
        embed_origins: v.embed_origins
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      };
      const saved = await api<Ente | undefined>('PATCH', `/api/v1/enti/${enc(slug)}`, body);
      const merged = { ...(ente as Ente), ...body, ...(saved ?? {}) } as Ente;
      fill(merged);
      onChange(merged);
      announce(t('form.saved'));
      return t('form.saved');
    }, local);
  };

  if (loadError)
    return (
      <div class="alert alert-danger" role="alert">
        {loadError}
      </div>
    );
  if (!ente) return <Loading />;
  const embedErr =
    state.errors.embed_origins ??
    Object.entries(state.errors).find(([k]) => k.startsWith('embed_origins.'))?.[1];
  return (
    <>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={submit} noValidate class="mt-4" id="ente-form">
        <TextField id="ente-name" label={t('ente.name')} value={v.name} onInput={set('name')} required error={state.errors.name} />
        <TextField id="ente-logo_url" type="url" label={t('ente.logo_url')} value={v.logo_url} onInput={set('logo_url')} error={state.errors.logo_url} />
        <TextField
          id="ente-primary_color"
          label={t('ente.primary_color')}
          hint={t('ente.primary_colorHint')}
          value={v.primary_color}
          onInput={set('primary_color')}
          placeholder="#0066cc"
          maxLength={7}
          error={state.errors.primary_color}
        />
        <TextField
          id="ente-patron_day"
          label={t('ente.patron_day')}
          hint={t('ente.patron_dayHint')}
          value={v.patron_day}
          onInput={set('patron_day')}
          placeholder="MM-GG"
          maxLength={5}
          error={state.errors.patron_day}
        />
        <TextField id="ente-patron_name" label={t('ente.patron_name')} value={v.patron_name} onInput={set('patron_name')} error={state.errors.patron_name} />
        <TextArea
          id="ente-embed_origins"
          label={t('ente.embed_origins')}
          hint={t('ente.embed_originsHint')}
          value={v.embed_origins}
          onInput={set('embed_origins')}
          rows={4}
          error={embedErr}
        />
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {t('form.save')}
        </button>
      </form>
    </>
  );
}

// ---- Sites / offices / services / operators -------------------------------------------------

interface Site {
  id: string;
  name: string;
  address?: string | null;
  kind?: string;
}
interface AdminOffice {
  id: string;
  slug: string;
  name: string;
  description?: string;
  site_id?: string | null;
  site?: { id: string; name: string } | null;
  channels?: string[];
  email?: string | null;
  phone?: string | null;
  sort?: number;
}
interface AdminService {
  id: string;
  name: string;
  prefix: string;
  office_id?: string | null;
  duration_minutes?: number;
  documents?: string;
  sort?: number;
}

const str = (x: unknown) => (x === null || x === undefined ? '' : String(x));

function useCollection<T>(slug: string, name: string): T[] {
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    api<unknown>('GET', `/api/v1/enti/${enc(slug)}/${name}`)
      .then((a) => setItems(listOf<T>(a, name)))
      .catch(() => setItems([]));
  }, [slug, name]);
  return items;
}

function SitesSection({ slug }: { slug: string }) {
  const kinds: Option[] = ['town_hall', 'kiosk', 'other'].map((k) => ({ value: k, label: t(`kind.${k}` as I18nKey) }));
  const fields: FieldDef[] = [
    { name: 'name', label: 'field.name', kind: 'text', required: true },
    { name: 'address', label: 'field.address', kind: 'text' },
    { name: 'kind', label: 'field.kind', kind: 'select', options: kinds, initial: 'town_hall' },
  ];
  return (
    <CrudSection<Site>
      id="sites"
      slug={slug}
      fields={fields}
      itemName={(s) => s.name}
      toForm={(s) => ({ name: s.name, address: str(s.address), kind: s.kind ?? 'other' })}
      columns={[
        { label: t('field.name'), cell: (s) => s.name },
        { label: t('field.address'), cell: (s) => str(s.address) },
        { label: t('field.kind'), cell: (s) => (s.kind ? t(`kind.${s.kind}` as I18nKey) : '') },
      ]}
    />
  );
}

function OfficesSection({ slug }: { slug: string }) {
  const sites = useCollection<Site>(slug, 'sites');
  const siteName = (id?: string | null) => sites.find((s) => s.id === id)?.name ?? '';
  const fields: FieldDef[] = [
    { name: 'name', label: 'field.name', kind: 'text', required: true },
    { name: 'slug', label: 'field.slug', kind: 'text', required: true, hint: 'field.slugHint' },
    { name: 'description', label: 'field.description', kind: 'textarea' },
    { name: 'site_id', label: 'field.site', kind: 'select', nullable: true, options: sites.map((s) => ({ value: s.id, label: s.name })) },
    { name: 'channels', label: 'field.channels', kind: 'checkboxes', options: CHANNELS.map((c) => ({ value: c, label: channelName(c) })) },
    { name: 'email', label: 'field.email', kind: 'email' },
    { name: 'phone', label: 'field.phone', kind: 'tel' },
    { name: 'sort', label: 'field.sort', kind: 'number' },
  ];
  return (
    <CrudSection<AdminOffice>
      id="offices"
      slug={slug}
      fields={fields}
      itemName={(o) => o.name}
      toForm={(o) => ({
        name: o.name,
        slug: o.slug,
        description: str(o.description),
        site_id: str(o.site_id ?? o.site?.id),
        channels: o.channels ?? [],
        email: str(o.email),
        phone: str(o.phone),
        sort: str(o.sort),
      })}
      columns={[
        { label: t('field.name'), cell: (o) => o.name },
        { label: t('field.slug'), cell: (o) => o.slug },
        { label: t('field.site'), cell: (o) => o.site?.name ?? siteName(o.site_id) },
        { label: t('field.channels'), cell: (o) => (o.channels ?? []).map(channelName).join(', ') },
      ]}
    />
  );
}

function ServicesSection({ slug }: { slug: string }) {
  const offices = useCollection<AdminOffice>(slug, 'offices');
  const fields: FieldDef[] = [
    { name: 'name', label: 'field.name', kind: 'text', required: true },
    { name: 'prefix', label: 'field.prefix', kind: 'text', required: true, maxLength: 1 },
    { name: 'office_id', label: 'field.office', kind: 'select', nullable: true, options: offices.map((o) => ({ value: o.id, label: o.name })) },
    { name: 'duration_minutes', label: 'field.duration', kind: 'number' },
    { name: 'documents', label: 'field.documents', kind: 'textarea' },
    { name: 'sort', label: 'field.sort', kind: 'number' },
  ];
  return (
    <CrudSection<AdminService>
      id="services"
      slug={slug}
      fields={fields}
      itemName={(s) => s.name}
      toForm={(s) => ({
        name: s.name,
        prefix: s.prefix,
        office_id: str(s.office_id),
        duration_minutes: str(s.duration_minutes),
        documents: str(s.documents),
        sort: str(s.sort),
      })}
      columns={[
        { label: t('field.name'), cell: (s) => s.name },
        { label: t('field.prefix'), cell: (s) => s.prefix },
        { label: t('field.office'), cell: (s) => offices.find((o) => o.id === s.office_id)?.name ?? '' },
        { label: t('field.duration'), cell: (s) => str(s.duration_minutes) },
      ]}
    />
  );
}

function ResetPassword({ slug, operators }: { slug: string; operators: Operator[] }) {
  const [who, setWho] = useState('');
  const [pw, setPw] = useState('');
  const { state, run } = useSubmit((f) => f === 'password');
  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!who) local.operator = t('form.required');
    if (pw.length < 10) local.password = t('console.passwordShort');
    const ok = await run(async () => {
      await api<unknown>('PATCH', `/api/v1/enti/${enc(slug)}/operators/${enc(who)}`, { password: pw });
      const name = operators.find((o) => o.id === who)?.display_name ?? '';
      const msg = t('operators.resetDone', { name });
      announce(msg);
      return msg;
    }, local);
    if (ok) setPw('');
  };
  return (
    <section aria-labelledby="reset-title" class="mt-5">
      <h3 class="h4" id="reset-title">
        {t('operators.reset')}
      </h3>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={submit} noValidate class="mt-4" id="reset-form">
        <SelectField
          id="reset-operator"
          label={t('operators.resetWho')}
          value={who}
          onChange={setWho}
          required
          error={state.errors.operator}
          options={[{ value: '', label: t('form.optionNone') }, ...operators.map((o) => ({ value: o.id, label: `${o.display_name} (${o.username})` }))]}
        />
        <TextField
          id="reset-password"
          type="password"
          label={t('operators.resetNew')}
          hint={t('field.passwordHint')}
          value={pw}
          onInput={setPw}
          autoComplete="new-password"
          required
          error={state.errors.password}
        />
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {t('operators.resetSubmit')}
        </button>
      </form>
    </section>
  );
}

function OperatorsSection({ slug }: { slug: string }) {
  const offices = useCollection<AdminOffice>(slug, 'offices');
  const roles: Option[] = ['operator', 'supervisor', 'admin'].map((r) => ({ value: r, label: roleName(r) }));
  const fields: FieldDef[] = [
    { name: 'display_name', label: 'field.display_name', kind: 'text', required: true },
    { name: 'username', label: 'field.username', kind: 'text', required: true },
    { name: 'email', label: 'field.email', kind: 'email' },
    { name: 'role', label: 'field.role', kind: 'select', required: true, options: roles, initial: 'operator' },
    { name: 'password', label: 'field.password', kind: 'password', required: true, createOnly: true, hint: 'field.passwordHint' },
    { name: 'office_ids', label: 'field.offices', kind: 'checkboxes', options: offices.map((o) => ({ value: o.id, label: o.name })) },
    { name: 'active', label: 'field.active', kind: 'checkbox', initial: true },
  ];
  return (
    <CrudSection<Operator>
      id="operators"
      slug={slug}
      fields={fields}
      itemName={(o) => o.display_name}
      toForm={(o) => ({
        display_name: o.display_name,
        username: o.username,
        email: str(o.email),
        role: o.role,
        office_ids: o.office_ids ?? (o.offices ?? []).map((x) => x.id),
        active: o.active !== false,
      })}
      columns={[
        { label: t('field.display_name'), cell: (o) => o.display_name },
        { label: t('field.username'), cell: (o) => o.username },
        { label: t('field.role'), cell: (o) => roleName(o.role) },
        {
          label: t('field.offices'),
          cell: (o) =>
            (o.offices ?? []).map((x) => x.name).join(', ') ||
            (o.office_ids ?? []).map((id) => offices.find((x) => x.id === id)?.name ?? '').join(', '),
        },
        { label: t('field.active'), cell: (o) => (o.active !== false ? t('form.yes') : t('form.no')) },
      ]}
      extra={(items) => <ResetPassword slug={slug} operators={items} />}
      // Operators are never deleted (their names stay on the cases and visits they handled):
      // the row's action deactivates them (docs/API.md, "Administration").
      removeAs={{
        label: 'operators.deactivate',
        confirm: 'operators.confirmDeactivate',
        confirmButton: 'operators.confirmDeactivateButton',
        done: 'operators.deactivated',
        body: { active: false },
        shown: (o) => o.active !== false,
      }}
    />
  );
}

// ---- Holidays ------------------------------------------------------------------------------

function HolidaysSection({ slug }: { slug: string }) {
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [shownYear, setShownYear] = useState(year);
  const [list, setList] = useState<HolidayEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const { state, run } = useSubmit((f) => f === 'date' || f === 'name');
  const base = `/api/v1/enti/${enc(slug)}/holidays`;

  const load = (y: string) =>
    api<unknown>('GET', `${base}?year=${enc(y)}`)
      .then((a) => {
        setList(listOf<HolidayEntry>(a, 'holidays').sort((x, z) => x.date.localeCompare(z.date)));
        setShownYear(y);
        setLoadError(null);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  useEffect(() => {
    void load(year);
  }, [slug]);

  const add = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!date) local.date = t('form.required');
    if (!name.trim()) local.name = t('form.required');
    const ok = await run(async () => {
      await api<unknown>('POST', base, { date, name: name.trim() });
      const msg = t('holidays.added', { name: name.trim() });
      announce(msg);
      return msg;
    }, local);
    if (ok) {
      const y = date.slice(0, 4);
      setYear(y);
      setDate('');
      setName('');
      void load(y);
    }
  };
  const remove = async (h: HolidayEntry) => {
    setConfirmId(null);
    await run(async () => {
      await api<void>('DELETE', `${base}/${enc(h.id ?? '')}`);
      const msg = t('holidays.removed', { name: h.name });
      announce(msg);
      return msg;
    });
    void load(shownYear);
  };

  return (
    <>
      <form
        class="d-flex flex-wrap align-items-end gap-3 mb-4"
        onSubmit={(e) => {
          e.preventDefault();
          void load(year);
        }}
        id="holidays-year-form"
      >
        <TextField id="holidays-year" type="number" label={t('holidays.year')} value={year} onInput={setYear} min={2000} max={2100} />
        <button type="submit" class="btn btn-outline-primary mb-4">
          {t('holidays.show')}
        </button>
      </form>
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {!list && !loadError && <Loading />}
      {list && (
        <div class="table-responsive mb-4">
          <table class="table table-striped" id="holidays-table">
            <caption>{t('holidays.list', { year: shownYear })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('holidays.date')}</th>
                <th scope="col">{t('holidays.name')}</th>
                <th scope="col">{t('holidays.kind')}</th>
                <th scope="col">{t('form.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.length === 0 && (
                <tr>
                  <td colSpan={4}>{t('holidays.none')}</td>
                </tr>
              )}
              {list.map((h) => (
                <tr data-kind={h.kind} data-date={h.date}>
                  <th scope="row">{formatDateLong(h.date)}</th>
                  <td>{h.name}</td>
                  <td>{t(`holidays.kind.${h.kind}` as I18nKey)}</td>
                  <td>
                    {h.kind === 'ente' && h.id && confirmId === h.id ? (
                      <span class="d-inline-flex flex-wrap gap-2 align-items-center">
                        <span>{t('form.confirmDelete', { name: h.name })}</span>
                        <button type="button" class="btn btn-danger btn-sm" onClick={() => void remove(h)}>
                          {t('form.confirm')}
                        </button>
                        <button type="button" class="btn btn-outline-secondary btn-sm" onClick={() => setConfirmId(null)}>
                          {t('form.cancel')}
                        </button>
                      </span>
                    ) : h.kind === 'ente' && h.id ? (
                      <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => setConfirmId(h.id ?? null)}>
                        {t('form.delete')}
                        <span class="visually-hidden"> – {t('holidays.remove', { name: h.name })}</span>
                      </button>
                    ) : h.kind === 'patron' ? (
                      <span class="empty-hint small">{t('holidays.fromEnte')}</span>
                    ) : (
                      <>
                        <span aria-hidden="true">—</span>
                        <span class="visually-hidden">{t('holidays.byLaw')}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 class="h4" id="holiday-add-title">
        {t('holidays.add')}
      </h3>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={add} noValidate class="mt-4" aria-labelledby="holiday-add-title" id="holiday-form">
        <TextField id="holiday-date" type="date" label={t('holidays.date')} value={date} onInput={setDate} required error={state.errors.date} />
        <TextField id="holiday-name" label={t('holidays.name')} value={name} onInput={setName} required error={state.errors.name} />
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {t('form.add')}
        </button>
      </form>
    </>
  );
}

// ---- Page ----------------------------------------------------------------------------------

function Tabs({ tabs, active, onSelect }: { tabs: readonly Tab[]; active: Tab; onSelect: (t: Tab) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: KeyboardEvent, i: number) => {
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j < 0) return;
    e.preventDefault();
    onSelect(tabs[j]);
    refs.current[tabs[j]]?.focus();
  };
  return (
    <div class="nav nav-tabs admin-tabs" role="tablist" aria-label={t('admin.sections')}>
      {tabs.map((tab, i) => (
        <button
          type="button"
          role="tab"
          id={`tab-${tab}`}
          class={`nav-link ${tab === active ? 'active' : ''}`}
          aria-selected={tab === active ? 'true' : 'false'}
          aria-controls={`panel-${tab}`}
          tabIndex={tab === active ? 0 : -1}
          ref={(el) => {
            refs.current[tab] = el;
          }}
          onClick={() => onSelect(tab)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {tabName(tab)}
        </button>
      ))}
    </div>
  );
}

function Admin() {
  const slug = slugFromPath();
  const { session, setSession, error } = useStaffSession(slug);
  const tabs = session?.operator.role === 'supervisor' ? SUPERVISOR_TABS : TABS;
  const [picked, setTab] = useState<Tab>(tabFromHash());
  const tab = tabs.includes(picked) ? picked : tabs[0];

  useEffect(() => {
    const onHash = () => setTab(tabFromHash(tabs));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [tabs]);
  const select = (next: Tab) => {
    setTab(next);
    if (tabFromHash(tabs) !== next) history.replaceState(null, '', `#${next}`);
  };

  if (error) {
    return (
      <Page title={t('admin.title')} slug={slug}>
        <FatalError title={t('admin.title')} message={error} onRetry={() => location.reload()} />
      </Page>
    );
  }
  if (!session) {
    return (
      <Page title={t('admin.title')} slug={slug}>
        <h1>{t('admin.title')}</h1>
        <Loading />
      </Page>
    );
  }
  const actions = (
    <>
      <a class="header-link" href={`/${encodeURIComponent(slug)}/console`}>
        {t('admin.backConsole')}
      </a>
      <LogoutButton slug={slug} />
    </>
  );
  if (session.operator.role !== 'admin' && session.operator.role !== 'supervisor') {
    return (
      <Page title={t('admin.forbidden')} ente={session.ente} slug={slug} headerActions={actions}>
        <h1>{t('admin.forbidden')}</h1>
        <p>{t('admin.forbiddenText')}</p>
        <a class="btn btn-primary" href={`/${encodeURIComponent(slug)}/console`}>
          {t('admin.backConsole')}
        </a>
      </Page>
    );
  }

  return (
    <Page title={t('admin.title')} ente={session.ente} slug={slug} headerActions={actions}>
      <h1>{t('admin.title')}</h1>
      <Tabs tabs={tabs} active={tab} onSelect={select} />
      <div class="admin-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        <h2 class="h3 mb-4">{tab === 'ente' ? t('ente.title') : tabName(tab)}</h2>
        {tab === 'ente' && (
          <EnteSection slug={slug} session={session} onChange={(e) => setSession({ ...session, ente: { ...session.ente, ...e } })} />
        )}
        {tab === 'sites' && <SitesSection slug={slug} />}
        {tab === 'offices' && <OfficesSection slug={slug} />}
        {tab === 'services' && <ServicesSection slug={slug} />}
        {tab === 'schedule' && <ScheduleEditor slug={slug} />}
        {tab === 'holidays' && <HolidaysSection slug={slug} />}
        {tab === 'operators' && <OperatorsSection slug={slug} />}
        {tab === 'kiosks' && <KiosksSection slug={slug} tz={session.ente.timezone} />}
        {tab === 'booking' && <PlansAdmin slug={slug} />}
        {tab === 'counters' && <CountersSection slug={slug} />}
        {tab === 'cases' && <CasesAdmin slug={slug} />}
        {tab === 'kb' && <KbAdmin slug={slug} />}
        {tab === 'visitors' && <VisitorsAdmin slug={slug} />}
      </div>
    </Page>
  );
}

mount(Admin);
