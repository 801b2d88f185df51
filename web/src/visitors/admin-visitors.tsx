// Administration of the info point (issue 18; admin tab "Punto informazioni"): the settings (the
// office whose operators run the info point, how many hours visitor data is kept), the areas
// with the offices they contain (a pass opens the areas of its destination office), and the
// turnstiles and door tablets: register one in an area, which shows its device token once as the
// tablet page's address with a QR to set the tablet up; a new token (the old one stops working);
// deactivate. For the monitoring: entries, exits and refusals per hour of a day (no names) and
// the record of who read the visitor lists. docs/API.md, "Visitors"; docs/OPERATIONS.md.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, get, listOf } from '../api';
import {
  apiMessage,
  CheckboxGroup,
  FormMessages,
  SelectField,
  TextField,
  useSubmit,
  type Errors,
} from '../components/forms';
import { announce, Loading } from '../components/layout';
import { locale, t } from '../i18n';
import { tv } from './i18n-visitors';
import type { Area, Rights, TurnstileInfo, TurnstileSecret } from './visitors-api';
import './visitors.css';

interface Named {
  id: string;
  name: string;
}

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short' }) : tv('adm.never');

const firstError = (errors: Errors, prefix: string) =>
  Object.entries(errors).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];

// ---- Settings -------------------------------------------------------------------------------

function SettingsForm({ slug, offices }: { slug: string; offices: Named[] }) {
  const [info, setInfo] = useState('');
  const [hours, setHours] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const { state, run } = useSubmit((f) => f === 'info_office' || f === 'retention_hours');
  useEffect(() => {
    get<Rights>(`/api/v1/enti/${enc(slug)}/visitors/rights`)
      .then((r) => {
        setInfo(r.settings.info_office?.id ?? '');
        setHours(String(r.settings.retention_hours));
      })
      .catch((e) => setLoadError(apiMessage(e)));
  }, [slug]);
  const save = (e: Event) => {
    e.preventDefault();
    const n = Number(hours);
    const local: Errors = {};
    if (!/^\d+$/.test(hours.trim()) || n < 1 || n > 720) local.retention_hours = tv('adm.hoursInvalid');
    void run(async () => {
      await api<unknown>('PUT', `/api/v1/enti/${enc(slug)}/visitors/settings`, {
        info_office: info || null,
        retention_hours: n,
      });
      announce(tv('adm.settingsSaved'));
      return tv('adm.settingsSaved');
    }, local);
  };
  if (loadError) return <div class="alert alert-danger" role="alert">{loadError}</div>;
  return (
    <form onSubmit={save} noValidate aria-labelledby="vis-settings-title" id="vis-settings" class="mb-5">
      <h3 class="h4" id="vis-settings-title">{tv('adm.settings')}</h3>
      <SelectField
        id="vis-info-office"
        label={tv('adm.infoOffice')}
        hint={tv('adm.infoOfficeHint')}
        value={info}
        onChange={setInfo}
        error={state.errors.info_office}
        options={[{ value: '', label: tv('adm.noInfoOffice') }, ...offices.map((o) => ({ value: o.id, label: o.name }))]}
      />
      <TextField
        id="vis-retention"
        type="number"
        min={1}
        max={720}
        label={tv('adm.retention')}
        hint={tv('adm.retentionHint')}
        value={hours}
        onInput={setHours}
        required
        error={state.errors.retention_hours}
      />
      <FormMessages error={state.formError} success={state.success} />
      <button type="submit" class="btn btn-primary" disabled={state.busy}>{tv('adm.save')}</button>
    </form>
  );
}

// ---- Areas ----------------------------------------------------------------------------------

function AreasEditor({ slug, offices, areas, reload }: { slug: string; offices: Named[]; areas: Area[] | null; reload: () => void }) {
  const base = `/api/v1/enti/${enc(slug)}/visitor-areas`;
  const [editing, setEditing] = useState<Area | null>(null);
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [rowMsg, setRowMsg] = useState<{ error?: string; success?: string }>({});
  const { state, run, clear } = useSubmit((f) => f === 'name' || f.startsWith('offices'));
  const nameInput = useRef<HTMLDivElement>(null);

  const edit = (a: Area) => {
    setEditing(a);
    setName(a.name);
    setPicked(a.offices.map((o) => o.id));
    clear();
    nameInput.current?.querySelector('input')?.focus();
  };
  const reset = () => {
    setEditing(null);
    setName('');
    setPicked([]);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!name.trim()) local.name = t('form.required');
    if (picked.length === 0) local.offices = tv('adm.officesRequired');
    const what = editing;
    const ok = await run(async () => {
      const body = { name: name.trim(), offices: picked };
      if (what) await api<Area>('PUT', `${base}/${enc(what.id)}`, body);
      else await api<Area>('POST', base, body);
      const msg = tv(what ? 'adm.areaSaved' : 'adm.areaCreated', { name: name.trim() });
      announce(msg);
      return msg;
    }, local);
    if (ok) {
      reset();
      reload();
    }
  };
  const remove = async (a: Area) => {
    setConfirm(null);
    try {
      await api<unknown>('DELETE', `${base}/${enc(a.id)}`);
      const msg = tv('adm.areaDeleted', { name: a.name });
      announce(msg);
      setRowMsg({ success: msg });
      if (editing?.id === a.id) reset();
      reload();
    } catch (err) {
      setRowMsg({ error: apiMessage(err) });
    }
  };

  return (
    <section aria-labelledby="vis-areas-title" class="mb-5" id="vis-areas">
      <h3 class="h4" id="vis-areas-title">{tv('adm.areas')}</h3>
      <p>{tv('adm.areasLead')}</p>
      <FormMessages error={rowMsg.error} success={rowMsg.success} />
      {!areas && <Loading />}
      {areas && (
        <div class="table-responsive mb-3">
          <table class="table table-striped" id="vis-areas-table">
            <caption>{tv('adm.areasList')}</caption>
            <thead>
              <tr>
                <th scope="col">{tv('adm.areaName')}</th>
                <th scope="col">{tv('adm.areaOffices')}</th>
                <th scope="col">{t('form.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {areas.length === 0 && (
                <tr>
                  <td colSpan={3}>{tv('adm.noAreas')}</td>
                </tr>
              )}
              {areas.map((a) => (
                <tr key={a.id} data-id={a.id}>
                  <th scope="row">{a.name}</th>
                  <td>{a.offices.map((o) => o.name).join(', ')}</td>
                  <td>
                    {confirm === a.id ? (
                      <span class="d-inline-flex flex-wrap gap-2 align-items-center">
                        <span>{tv('adm.areaDeleteConfirm', { name: a.name })}</span>
                        <button type="button" class="btn btn-danger btn-sm" onClick={() => void remove(a)}>{tv('adm.yes')}</button>
                        <button type="button" class="btn btn-outline-secondary btn-sm" onClick={() => setConfirm(null)}>{tv('adm.cancel')}</button>
                      </span>
                    ) : (
                      <span class="d-inline-flex flex-wrap gap-2">
                        <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => edit(a)}>
                          {tv('adm.edit')}
                          <span class="visually-hidden"> – {a.name}</span>
                        </button>
                        <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => setConfirm(a.id)}>
                          {tv('adm.delete')}
                          <span class="visually-hidden"> – {a.name}</span>
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4 class="h5" id="vis-area-form-title">{editing ? tv('adm.editArea', { name: editing.name }) : tv('adm.newArea')}</h4>
      <form onSubmit={submit} noValidate aria-labelledby="vis-area-form-title" id="vis-area-form">
        <div ref={nameInput}>
          <TextField id="vis-area-name" label={tv('adm.areaName')} hint={tv('adm.areaNameHint')} value={name} onInput={setName} required maxLength={120} error={state.errors.name} />
        </div>
        <CheckboxGroup
          id="vis-area-offices"
          label={tv('adm.areaOffices')}
          hint={tv('adm.areaOfficesHint')}
          required
          values={picked}
          onChange={setPicked}
          error={firstError(state.errors, 'offices')}
          options={offices.map((o) => ({ value: o.id, label: o.name }))}
        />
        <FormMessages error={state.formError} success={state.success} />
        <div class="d-flex flex-wrap gap-2">
          <button type="submit" class="btn btn-primary" disabled={state.busy}>{editing ? tv('adm.save') : tv('adm.createArea')}</button>
          {editing && (
            <button type="button" class="btn btn-outline-secondary" onClick={() => { reset(); clear(); }}>{tv('adm.cancel')}</button>
          )}
        </div>
      </form>
    </section>
  );
}

// ---- Turnstiles -----------------------------------------------------------------------------

/** The device token shown once: the tablet page's address (token in the fragment) and its QR. */
function SetupSecret({ name, secret }: { name: string; secret: TurnstileSecret }) {
  const [copied, setCopied] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [secret.token]);
  const url = new URL(secret.url, location.origin).href;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(tv('adm.copied'));
    } catch {
      input.current?.select();
      setCopied(tv('adm.copyFailed'));
    }
  };
  return (
    <div class="alert alert-warning vis-secret" id="vis-secret" data-testid="turnstile-secret">
      <p class="fw-semibold">{tv('adm.secretWarning')}</p>
      <div class="vis-secret-body">
        {secret.qr_svg && (
          <img src={`data:image/svg+xml;base64,${btoa(secret.qr_svg)}`} alt={tv('adm.setupQrAlt', { name })} width={176} height={176} />
        )}
        <div class="flex-grow-1">
          <label for="vis-setup-url" class="form-label fw-semibold">{tv('adm.setupUrl', { name })}</label>
          <div class="d-flex flex-wrap gap-2 align-items-center">
            <input id="vis-setup-url" ref={input} class="form-control flex-grow-1" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" class="btn btn-primary btn-sm" onClick={() => void copy()}>{tv('adm.copy')}</button>
          </div>
          <p class="small mt-2 mb-0">{tv('adm.setupHint')}</p>
          <p role="status" class="mb-0 mt-2 small">{copied}</p>
        </div>
      </div>
    </div>
  );
}

function TurnstilesEditor({ slug, areas }: { slug: string; areas: Area[] | null }) {
  const base = `/api/v1/enti/${enc(slug)}/turnstiles`;
  const [list, setList] = useState<TurnstileInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [area, setArea] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: TurnstileSecret } | null>(null);
  const [confirm, setConfirm] = useState<{ id: string; what: 'token' | 'deactivate' } | null>(null);
  const { state, run } = useSubmit((f) => f === 'name' || f === 'area');
  const [rowMsg, setRowMsg] = useState<{ error?: string; success?: string }>({});

  const reload = () =>
    get<unknown>(base)
      .then((a) => {
        setList(listOf<TurnstileInfo>(a, 'turnstiles'));
        setLoadError(null);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  useEffect(() => void reload(), [slug]);

  const create = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!name.trim()) local.name = t('form.required');
    if (!area) local.area = tv('adm.areaRequired');
    const ok = await run(async () => {
      const s = await api<TurnstileSecret>('POST', base, { name: name.trim(), area });
      setSecret({ name: name.trim(), secret: s });
      const msg = tv('adm.turnstileCreated', { name: name.trim() });
      announce(msg);
      return msg;
    }, local);
    if (ok) {
      setName('');
      void reload();
    }
  };
  const act = async (d: TurnstileInfo, what: 'token' | 'deactivate') => {
    setConfirm(null);
    try {
      let msg;
      if (what === 'token') {
        setSecret({ name: d.name, secret: await api<TurnstileSecret>('POST', `${base}/${enc(d.id)}/token`) });
        msg = tv('adm.tokenReplaced', { name: d.name });
      } else {
        await api<unknown>('DELETE', `${base}/${enc(d.id)}`);
        if (secret?.secret.turnstile.id === d.id) setSecret(null);
        msg = tv('adm.turnstileDeactivated', { name: d.name });
      }
      announce(msg);
      setRowMsg({ success: msg });
    } catch (err) {
      setRowMsg({ error: apiMessage(err) });
    }
    void reload();
  };

  return (
    <section aria-labelledby="vis-ts-title" id="vis-turnstiles">
      <h3 class="h4" id="vis-ts-title">{tv('adm.turnstiles')}</h3>
      <p>{tv('adm.turnstilesLead')}</p>
      {secret && <SetupSecret name={secret.name} secret={secret.secret} />}
      <FormMessages error={rowMsg.error ?? loadError ?? undefined} success={rowMsg.success} />
      {!list && !loadError && <Loading />}
      {list && (
        <div class="table-responsive mb-3">
          <table class="table table-striped" id="vis-ts-table">
            <caption>{tv('adm.turnstilesList')}</caption>
            <thead>
              <tr>
                <th scope="col">{tv('adm.tsName')}</th>
                <th scope="col">{tv('adm.tsArea')}</th>
                <th scope="col">{tv('adm.tsActive')}</th>
                <th scope="col">{tv('adm.tsLastSeen')}</th>
                <th scope="col">{t('form.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.length === 0 && (
                <tr>
                  <td colSpan={5}>{tv('adm.noTurnstiles')}</td>
                </tr>
              )}
              {list.map((d) => (
                <tr key={d.id} data-id={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{d.area_name}</td>
                  <td>{d.active ? t('form.yes') : t('form.no')}</td>
                  <td>{when(d.last_seen_at)}</td>
                  <td>
                    {confirm?.id === d.id ? (
                      <span class="d-inline-flex flex-wrap gap-2 align-items-center">
                        <span>{confirm.what === 'token' ? tv('adm.tokenConfirm', { name: d.name }) : tv('adm.deactivateConfirm', { name: d.name })}</span>
                        <button type="button" class="btn btn-danger btn-sm" onClick={() => void act(d, confirm.what)}>{tv('adm.yes')}</button>
                        <button type="button" class="btn btn-outline-secondary btn-sm" onClick={() => setConfirm(null)}>{tv('adm.cancel')}</button>
                      </span>
                    ) : (
                      <span class="d-inline-flex flex-wrap gap-2">
                        <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => setConfirm({ id: d.id, what: 'token' })}>
                          {d.active ? tv('adm.newToken') : tv('adm.reactivate')}
                          <span class="visually-hidden"> – {d.name}</span>
                        </button>
                        {d.active && (
                          <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => setConfirm({ id: d.id, what: 'deactivate' })}>
                            {tv('adm.deactivate')}
                            <span class="visually-hidden"> – {d.name}</span>
                          </button>
                        )}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4 class="h5" id="vis-ts-form-title">{tv('adm.newTurnstile')}</h4>
      {areas && areas.length === 0 && <p class="alert alert-info">{tv('adm.areaFirst')}</p>}
      <form onSubmit={create} noValidate aria-labelledby="vis-ts-form-title" id="vis-ts-form">
        <TextField id="vis-ts-name" label={tv('adm.tsName')} hint={tv('adm.tsNameHint')} value={name} onInput={setName} required maxLength={80} error={state.errors.name} />
        <SelectField
          id="vis-ts-area"
          label={tv('adm.tsArea')}
          value={area}
          onChange={setArea}
          required
          error={state.errors.area}
          options={[{ value: '', label: tv('adm.chooseArea') }, ...(areas ?? []).map((a) => ({ value: a.id, label: a.name }))]}
        />
        <FormMessages error={state.formError} success={state.success} />
        <button type="submit" class="btn btn-primary" disabled={state.busy}>{tv('adm.registerTurnstile')}</button>
      </form>
    </section>
  );
}

// ---- Monitoring: entries per hour, who read the lists -----------------------------------------

interface Hour {
  hour: string;
  entries: number;
  exits: number;
  denied: number;
}
interface View {
  operator_name: string;
  what: string;
  at: string;
}

function Monitoring({ slug }: { slug: string }) {
  const [day, setDay] = useState('');
  const [hours, setHours] = useState<Hour[] | null>(null);
  const [views, setViews] = useState<View[] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const load = () => {
    const q = day ? `?day=${enc(day)}` : '';
    Promise.all([
      get<{ hours: Hour[] }>(`/api/v1/enti/${enc(slug)}/visitors/entries${q}`),
      get<{ views: View[] }>(`/api/v1/enti/${enc(slug)}/visitors/views?days=30`),
    ])
      .then(([h, v]) => {
        setHours(h.hours);
        setViews(v.views);
        setError(undefined);
      })
      .catch((e) => setError(apiMessage(e)));
  };
  const hourOf = (iso: string) => new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
  const whatOf = (w: string) => (w === 'occupancy' ? tv('adm.viewOccupancy') : tv('adm.viewList', { day: w.replace(/^list:/, '') }));
  return (
    <section aria-labelledby="vis-mon-title" class="mt-5" id="vis-monitoring">
      <h3 class="h4" id="vis-mon-title">{tv('adm.monitoring')}</h3>
      <p>{tv('adm.monitoringLead')}</p>
      <form
        class="d-flex flex-wrap gap-2 align-items-end mb-3 mt-5"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <div>
          <TextField id="vis-mon-day" type="date" label={tv('adm.day')} hint={tv('adm.dayHint')} value={day} onInput={setDay} />
        </div>
        <button type="submit" class="btn btn-outline-primary">{tv('adm.showMonitoring')}</button>
      </form>
      <FormMessages error={error} />
      {hours && (
        <div class="table-responsive mb-4">
          <table class="table table-sm" id="vis-hours">
            <caption>{tv('adm.hoursCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{tv('adm.hour')}</th>
                <th scope="col">{tv('adm.entries')}</th>
                <th scope="col">{tv('adm.exits')}</th>
                <th scope="col">{tv('adm.denied')}</th>
              </tr>
            </thead>
            <tbody>
              {hours.length === 0 && (
                <tr>
                  <td colSpan={4}>{tv('adm.noChecks')}</td>
                </tr>
              )}
              {hours.map((h) => (
                <tr key={h.hour}>
                  <th scope="row">{hourOf(h.hour)}</th>
                  <td>{h.entries}</td>
                  <td>{h.exits}</td>
                  <td>{h.denied}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {views && (
        <div class="table-responsive">
          <table class="table table-sm" id="vis-views">
            <caption>{tv('adm.viewsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{tv('adm.viewWho')}</th>
                <th scope="col">{tv('adm.viewWhat')}</th>
                <th scope="col">{tv('adm.viewWhen')}</th>
              </tr>
            </thead>
            <tbody>
              {views.length === 0 && (
                <tr>
                  <td colSpan={3}>{tv('adm.noViews')}</td>
                </tr>
              )}
              {views.map((v, i) => (
                <tr key={i}>
                  <td>{v.operator_name}</td>
                  <td>{whatOf(v.what)}</td>
                  <td>{when(v.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function VisitorsAdmin({ slug }: { slug: string }) {
  const [offices, setOffices] = useState<Named[]>([]);
  const [areas, setAreas] = useState<Area[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reloadAreas = () =>
    get<unknown>(`/api/v1/enti/${enc(slug)}/visitor-areas`)
      .then((a) => setAreas(listOf<Area>(a, 'areas')))
      .catch((e) => setError(apiMessage(e)));
  useEffect(() => {
    get<unknown>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(listOf<Named>(a, 'offices')))
      .catch((e) => setError(apiMessage(e)));
    void reloadAreas();
  }, [slug]);
  return (
    <div id="visitors-admin">
      <p>{tv('adm.lead')}</p>
      {error && <div class="alert alert-danger" role="alert">{error}</div>}
      <SettingsForm slug={slug} offices={offices} />
      <AreasEditor slug={slug} offices={offices} areas={areas} reload={() => void reloadAreas()} />
      <TurnstilesEditor slug={slug} areas={areas} />
      <Monitoring slug={slug} />
    </div>
  );
}
