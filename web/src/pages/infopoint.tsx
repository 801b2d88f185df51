// "/{slug}/infopoint" — the info point for staff (issue 18): find the right office or service
// (the offices and the knowledge base), act on it (register a visitor for it, issue a queue
// ticket, book, log the information given as a case resolved at first contact), register or
// pre-register a visitor, print the badge (first name, destination and the pass's QR only;
// receipt width or A6), today's visitors (confirm, new pass, revoke) and, for the info point,
// the occupancy list to print in an evacuation. Every load of the two lists is recorded by the
// server; they load only when asked, and once opened follow the live topic (visitors/live.ts):
// each change read again, each read recorded.

import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get, api, listOf, type OfficesAnswer, type Operator, type PublicOffice } from '../api';
import { FormMessages, SelectField, TextField, useSubmit, apiMessage, type Errors } from '../components/forms';
import { FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { LogoutButton, useStaffSession } from '../components/staff';
import { locale, t } from '../i18n';
import { searchArticles, type ArticleHit } from '../knowledge/kb-api';
import { tv } from '../visitors/i18n-visitors';
import {
  confirmVisitor,
  expectVisitor,
  occupancy,
  registerVisitor,
  reissuePass,
  revokePass,
  rights,
  visitorsToday,
  type IssuedPass,
  type Occupancy,
  type Rights,
  type Visitor,
} from '../visitors/visitors-api';
import { useVisitorsLive } from '../visitors/live';
import '../visitors/visitors.css';

const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }) : '';

function Badge({ pass }: { pass: IssuedPass }) {
  const print = (kind: 'receipt' | 'a6') => {
    document.body.classList.add('print-badge', kind === 'receipt' ? 'print-receipt' : 'print-a6');
    window.print();
    document.body.classList.remove('print-badge', 'print-receipt', 'print-a6');
  };
  return (
    <section aria-labelledby="badge-title" class="mt-3 mb-5">
      <h3 id="badge-title" class="h5">{tv('ip.badge')}</h3>
      <div class="badge-pass" data-testid="badge">
        <p class="badge-name">{pass.badge.first_name}</p>
        <p class="badge-dest">
          <span class="visually-hidden">{tv('ip.badgeFor')}: </span>
          {pass.badge.destination}
        </p>
        <img class="badge-qr" src={`data:image/svg+xml;base64,${btoa(pass.qr_svg)}`} alt={tv('ip.qrAlt')} width={224} height={224} />
        <p class="mb-0">{tv('ip.badgeUntil', { until: time(pass.visitor.pass?.valid_until ?? null) })}</p>
      </div>
      <div class="ip-actions mt-2">
        <button type="button" class="btn btn-primary" onClick={() => print('receipt')}>{tv('ip.printReceipt')}</button>
        <button type="button" class="btn btn-outline-primary" onClick={() => print('a6')}>{tv('ip.printA6')}</button>
      </div>
      {pass.phone_url && (
        <div class="ip-phone no-print mt-3" data-testid="phone-pass">
          <img src={`data:image/svg+xml;base64,${btoa(pass.phone_qr_svg)}`} alt={tv('ip.phoneQrAlt')} width={160} height={160} />
          <div>
            <p class="mb-1 fw-semibold">{tv('ip.phoneTitle')}</p>
            <p class="small mb-1">{tv('ip.phoneHint')}</p>
            <a href={pass.phone_url} target="_blank" rel="noopener" id="phone-pass-link">{tv('ip.phoneLink')}</a>
          </div>
        </div>
      )}
    </section>
  );
}

interface Prefill {
  office: string;
  n: number;
}

/**
 * `infoOffice`: where an information given here is logged (a case resolved at first contact is
 * the info point's own work: the info office, else the operator's first office).
 */
function Finder({ slug, offices, infoOffice, onRegisterFor }: { slug: string; offices: PublicOffice[]; infoOffice: string | null; onRegisterFor: (office: string) => void }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const timer = useRef<number | undefined>();
  useEffect(() => {
    window.clearTimeout(timer.current);
    if (q.trim().length < 2) {
      setHits(null);
      return;
    }
    timer.current = window.setTimeout(() => {
      searchArticles(slug, q.trim(), { limit: 5 })
        .then((r) => setHits(r.results))
        .catch(() => setHits([]));
    }, 250);
  }, [q, slug]);
  const words = q.trim().toLowerCase();
  const matching = words.length < 2 ? [] : offices.filter((o) => `${o.name} ${o.description ?? ''}`.toLowerCase().includes(words));
  const officeOf = (id?: string) => offices.find((o) => o.id === id);
  const ticket = async (serviceId: string, prefix: string, name: string, officeId?: string) => {
    const site = officeOf(officeId)?.site?.id ?? officeOf(infoOffice ?? undefined)?.site?.id;
    if (!site) return;
    try {
      const r = await api<{ ticket: { code: string } }>('POST', `/api/v1/enti/${enc(slug)}/sites/${enc(site)}/tickets`, {
        service: prefix || serviceId,
        source: 'machine',
      });
      const s = tv('ip.ticketDone', { code: r.ticket.code, service: name });
      setMsg({ success: s });
    } catch (e) {
      setMsg({ error: apiMessage(e) });
    }
  };
  const logInfo = async (answer: string) => {
    if (!infoOffice) return;
    try {
      const r = await api<{ case: { code: string } }>('POST', `/api/v1/enti/${enc(slug)}/cases`, {
        office: infoOffice,
        subject: tv('ip.infoSubject', { q: q.trim() }).slice(0, 400),
        channel: 'walk_in',
        answer,
        resolved_now: true,
      });
      const s = tv('ip.logDone', { code: r.case.code });
      setMsg({ success: s });
    } catch (e) {
      setMsg({ error: apiMessage(e) });
    }
  };
  return (
    <section aria-labelledby="find-title" class="mb-5 ip-section">
      <h2 id="find-title" class="h4">{tv('ip.find')}</h2>
      <TextField id="ip-find" label={tv('ip.findLabel')} hint={tv('ip.findHint')} value={q} onInput={setQ} />
      <FormMessages error={msg.error} success={msg.success} />
      {words.length >= 2 && (
        <div aria-live="polite">
          <h3 class="h6">{tv('ip.offices')}</h3>
          {matching.length === 0 ? (
            <p>{tv('ip.noMatch', { q: q.trim() })}</p>
          ) : (
            <ul class="ip-results">
              {matching.map((o) => (
                <li key={o.id}>
                  <strong>{o.name}</strong> – {o.status.open ? tv('ip.open') : tv('ip.closed')}
                  {o.site?.name ? `, ${o.site.name}` : ''}
                  <div class="ip-actions">
                    <button type="button" class="btn btn-sm btn-primary" onClick={() => onRegisterFor(o.id)}>
                      {tv('ip.registerFor', { office: o.name })}
                    </button>
                    <a class="btn btn-sm btn-outline-primary" href={`/${enc(slug)}/prenota?office=${enc(o.slug)}`}>{tv('ip.book')}</a>
                    {infoOffice && (
                      <button type="button" class="btn btn-sm btn-outline-secondary" onClick={() => logInfo(o.name)}>
                        {tv('ip.logInfo')}
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {hits && hits.length > 0 && (
            <>
              <h3 class="h6">{tv('ip.articles')}</h3>
              <ul class="ip-results">
                {hits.map((h) => (
                  <li key={h.slug}>
                    <a href={`/${enc(slug)}/servizi/${enc(h.slug)}`} target="_blank" rel="noopener">{h.title}</a>
                    <div>{h.summary}</div>
                    <div class="ip-actions">
                      {h.offices.map((o) => (
                        <button key={o.id} type="button" class="btn btn-sm btn-primary" onClick={() => onRegisterFor(o.id)}>
                          {tv('ip.registerFor', { office: o.name })}
                        </button>
                      ))}
                      {h.services.map((s) => (
                        <button key={s.id} type="button" class="btn btn-sm btn-outline-primary" onClick={() => ticket(s.id, s.prefix, s.name, s.office ?? h.offices[0]?.id)}>
                          {tv('ip.ticket', { service: s.name })}
                        </button>
                      ))}
                      {infoOffice && (
                        <button type="button" class="btn btn-sm btn-outline-secondary" onClick={() => logInfo(h.title)}>
                          {tv('ip.logInfo')}
                        </button>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

const FIELDS = ['first_name', 'last_name', 'document_type', 'document_number', 'office', 'host_operator', 'host_name', 'reason', 'expected_minutes', 'expected_at'];

function RegisterForm({ slug, offices, colleagues, canRegister, prefill, onIssued }: {
  slug: string;
  offices: PublicOffice[];
  /** The ente's active operators: the host can be one of the destination office's. */
  colleagues: Operator[];
  canRegister: boolean;
  prefill: Prefill | null;
  onIssued: (p: IssuedPass | null) => void;
}) {
  const [f, setF] = useState({ first_name: '', last_name: '', document_type: '', document_number: '', office: '', host_operator: '', host_name: '', reason: '', expected_minutes: '30', expected_at: '' });
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const { state, run } = useSubmit((x) => FIELDS.includes(x));
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!prefill) return;
    setF((old) => ({ ...old, office: prefill.office }));
    first.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [prefill?.n]);
  const body = () => {
    const b: Record<string, unknown> = {
      first_name: f.first_name.trim(),
      last_name: f.last_name.trim(),
      office: f.office,
      reason: f.reason.trim(),
      expected_minutes: Number(f.expected_minutes) || 30,
    };
    if (f.document_type) {
      b.document_type = f.document_type;
      b.document_number = f.document_number;
    }
    if (f.host_operator) b.host_operator = f.host_operator;
    else if (f.host_name.trim()) b.host_name = f.host_name.trim();
    return b;
  };
  const local = (expect: boolean): Errors => {
    const e: Errors = {};
    if (!f.first_name.trim()) e.first_name = t('form.required');
    if (!f.last_name.trim()) e.last_name = t('form.required');
    if (!f.office) e.office = t('form.required');
    if (!f.reason.trim()) e.reason = t('form.required');
    if (expect && !f.expected_at) e.expected_at = t('form.required');
    return e;
  };
  const reset = () => setF({ first_name: '', last_name: '', document_type: '', document_number: '', office: '', host_operator: '', host_name: '', reason: '', expected_minutes: '30', expected_at: '' });
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const p = await registerVisitor(slug, body());
      onIssued(p);
      reset();
      return tv('ip.registered', { until: time(p.visitor.pass?.valid_until ?? null) });
    }, local(false));
  };
  const preregister = () =>
    run(async () => {
      await expectVisitor(slug, { ...body(), expected_at: new Date(f.expected_at).toISOString() });
      onIssued(null);
      reset();
      return tv('ip.expectedSaved');
    }, local(true));
  const docs = [
    { value: '', label: tv('ip.docNone') },
    { value: tv('ip.docId'), label: tv('ip.docId') },
    { value: tv('ip.docLicence'), label: tv('ip.docLicence') },
    { value: tv('ip.docPassport'), label: tv('ip.docPassport') },
  ];
  return (
    <section aria-labelledby="reg-title" class="mb-5 ip-section">
      <h2 id="reg-title" class="h4">{tv('ip.register')}</h2>
      {!canRegister && <p class="alert alert-info">{tv('ip.notAllowed')}</p>}
      <form onSubmit={submit} noValidate>
        <div class="row">
          <div class="col-md-6" ref={first}>
            <TextField id="first_name" label={tv('ip.firstName')} required value={f.first_name} onInput={set('first_name')} error={state.errors.first_name} autoComplete="off" maxLength={80} />
          </div>
          <div class="col-md-6">
            <TextField id="last_name" label={tv('ip.lastName')} required value={f.last_name} onInput={set('last_name')} error={state.errors.last_name} autoComplete="off" maxLength={80} />
          </div>
          <div class="col-md-6">
            <SelectField id="document_type" label={tv('ip.docType')} value={f.document_type} onChange={set('document_type')} options={docs} error={state.errors.document_type} />
          </div>
          <div class="col-md-6">
            {f.document_type && (
              <TextField id="document_number" label={tv('ip.docNumber')} hint={tv('ip.docNumberHint')} value={f.document_number} onInput={set('document_number')} error={state.errors.document_number} autoComplete="off" maxLength={40} />
            )}
          </div>
          <div class="col-md-6">
            <SelectField id="office" label={tv('ip.office')} required value={f.office} onChange={set('office')} error={state.errors.office}
              options={[{ value: '', label: tv('ip.chooseOffice') }, ...offices.map((o) => ({ value: o.id, label: o.name }))]} />
          </div>
          <div class="col-md-6">
            <SelectField id="host_operator" label={tv('ip.hostOperator')} value={f.host_operator} onChange={set('host_operator')} error={state.errors.host_operator}
              options={[{ value: '', label: tv('ip.hostNobody') }, ...colleagues.filter((o) => o.offices.some((x) => x.id === f.office)).map((o) => ({ value: o.id, label: o.display_name }))]} />
          </div>
          <div class="col-md-6">
            {!f.host_operator && (
              <TextField id="host_name" label={tv('ip.host')} hint={tv('ip.hostHint')} value={f.host_name} onInput={set('host_name')} error={state.errors.host_name} maxLength={120} />
            )}
          </div>
          <div class="col-12">
            <TextField id="reason" label={tv('ip.reason')} required value={f.reason} onInput={set('reason')} error={state.errors.reason} maxLength={300} />
          </div>
          <div class="col-md-6">
            <TextField id="expected_minutes" type="number" min={5} max={600} label={tv('ip.minutes')} value={f.expected_minutes} onInput={set('expected_minutes')} error={state.errors.expected_minutes} />
          </div>
          <div class="col-md-6">
            <div class="form-group">
              <label for="expected_at" class="active">{tv('ip.expectedAt')}</label>
              <input id="expected_at" class="form-control" type="datetime-local" value={f.expected_at}
                onInput={(e) => set('expected_at')(e.currentTarget.value)} aria-invalid={state.errors.expected_at ? 'true' : undefined}
                aria-describedby={state.errors.expected_at ? 'expected_at-error' : undefined} />
              {state.errors.expected_at && <div id="expected_at-error" class="field-error" role="alert">{state.errors.expected_at}</div>}
            </div>
          </div>
        </div>
        <FormMessages error={state.formError} success={state.success} />
        <div class="ip-actions">
          {canRegister && <button type="submit" class="btn btn-primary" disabled={state.busy}>{tv('ip.submit')}</button>}
          <button type="button" class="btn btn-outline-primary" disabled={state.busy} onClick={preregister}>{tv('ip.preregister')}</button>
        </div>
      </form>
    </section>
  );
}

function stateText(v: Visitor): string {
  if (v.state === 'expected') return `${tv('ip.stateExpected')} ${time(v.expected_at)}`;
  if (v.pass?.inside) return tv('ip.stateInside', { area: v.pass.inside.area_name });
  if (v.pass?.revoked_at) return tv('ip.stateRevoked');
  return tv('ip.stateRegistered');
}

function TodayList({ slug, canManage, onIssued, stamp, topic }: { slug: string; canManage: boolean; onIssued: (p: IssuedPass) => void; stamp: number; topic: string | null }) {
  const [list, setList] = useState<Visitor[] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const load = () =>
    visitorsToday(slug)
      .then((r) => { setList(r.visitors); setError(undefined); })
      .catch((e) => setError(apiMessage(e)));
  useEffect(() => { if (list) load(); }, [stamp]);
  useVisitorsLive(list ? topic : null, load, (m) => setError(tv('ip.liveStopped', { why: m })));
  const act = async (fn: () => Promise<unknown>) => {
    try {
      const r = await fn();
      if (r && typeof r === 'object' && 'token' in (r as object)) onIssued(r as IssuedPass);
      await load();
    } catch (e) {
      setError(apiMessage(e));
    }
  };
  return (
    <section aria-labelledby="today-title" class="mb-5">
      <h2 id="today-title" class="h4">{tv('ip.today')}</h2>
      <p class="small">{tv('ip.todayNote')} {topic && canManage ? tv('ip.live') : ''}</p>
      <button type="button" class="btn btn-outline-primary mb-2" onClick={load}>{tv('ip.load')}</button>
      <FormMessages error={error} />
      {list && (list.length === 0 ? <p>{tv('ip.none')}</p> : (
        <div class="table-responsive">
          <table class="table ip-table">
            <caption class="visually-hidden">{tv('ip.today')}</caption>
            <thead><tr><th scope="col">{tv('ip.colName')}</th><th scope="col">{tv('ip.colOffice')}</th><th scope="col">{tv('ip.colState')}</th>{canManage && <th scope="col">{tv('ip.colActions')}</th>}</tr></thead>
            <tbody>
              {list.map((v) => {
                const name = `${v.first_name} ${v.last_name}`;
                return (
                  <tr key={v.id}>
                    <td>{name}</td>
                    <td>{v.office.name}</td>
                    <td>{stateText(v)}</td>
                    {canManage && (
                      <td class="ip-actions">
                        {v.state === 'expected' ? (
                          <button type="button" class="btn btn-sm btn-primary" onClick={() => act(() => confirmVisitor(slug, v.id))}>{tv('ip.confirm', { name })}</button>
                        ) : (
                          <>
                            <button type="button" class="btn btn-sm btn-outline-primary" onClick={() => act(() => reissuePass(slug, v.id))}>{tv('ip.reprint', { name })}</button>
                            {!v.pass?.revoked_at && (
                              <button type="button" class="btn btn-sm btn-outline-danger" onClick={() => act(() => revokePass(slug, v.id))}>{tv('ip.revoke', { name })}</button>
                            )}
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

function OccupancyList({ slug, topic }: { slug: string; topic: string | null }) {
  const [occ, setOcc] = useState<Occupancy | null>(null);
  const [error, setError] = useState<string | undefined>();
  const load = () => occupancy(slug).then((o) => { setOcc(o); setError(undefined); }).catch((e) => setError(apiMessage(e)));
  useVisitorsLive(occ ? topic : null, load, (m) => setError(tv('ip.liveStopped', { why: m })));
  const print = () => {
    document.body.classList.add('print-list');
    window.print();
    document.body.classList.remove('print-list');
  };
  return (
    <section aria-labelledby="occ-title" class="mb-5">
      <h2 id="occ-title" class="h4">{tv('ip.occupancy')}</h2>
      <p class="small no-print">{tv('ip.occupancyNote')} {topic ? tv('ip.live') : ''}</p>
      <div class="ip-actions no-print mb-2">
        <button type="button" class="btn btn-outline-primary" onClick={load}>{tv('ip.occupancyLoad')}</button>
        {occ && <button type="button" class="btn btn-outline-secondary" onClick={print}>{tv('ip.print')}</button>}
      </div>
      <FormMessages error={error} />
      {occ && (
        <div data-testid="occupancy">
          <p>{tv('ip.asOf', { time: time(occ.at) })}</p>
          {occ.areas.map((a) => (
            <div key={a.id} class="mb-3">
              <h3 class="h6">{tv('ip.areaCount', { area: a.name, n: a.count })}</h3>
              {a.inside.length > 0 && (
                <ul>
                  {a.inside.map((p) => (
                    <li key={p.id}>
                      {p.first_name} {p.last_name} – {p.office}, {tv('ip.enteredAt', { time: time(p.entered_at) })}
                      {p.overstay && <span class="ip-overstay"> – {tv('ip.overstay')}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

/** The info office when the caller works there (or serves every office), else their first office. */
function logOffice(r: Rights, op: Operator): string | null {
  const io = r.settings.info_office?.id;
  if (io && (op.role !== 'operator' || op.offices.some((o) => o.id === io))) return io;
  return op.offices[0]?.id ?? null;
}

function InfoPoint() {
  const slug = slugFromPath();
  const { session, error } = useStaffSession(slug);
  const [r, setR] = useState<Rights | null>(null);
  const [offices, setOffices] = useState<PublicOffice[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedPass | null>(null);
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  const [stamp, setStamp] = useState(0);
  const [colleagues, setColleagues] = useState<Operator[]>([]);
  useEffect(() => {
    if (!session) return;
    Promise.all([rights(slug), get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`)])
      .then(([rr, o]) => { setR(rr); setOffices(o.offices); })
      .catch((e) => setLoadError(apiMessage(e)));
    // The colleagues' directory (any staff): a host can be picked among the destination's.
    get<unknown>(`/api/v1/enti/${enc(slug)}/operators`)
      .then((a) => setColleagues(listOf<Operator>(a, 'operators').filter((o) => o.active)))
      .catch(() => setColleagues([]));
  }, [session]);
  const title = tv('ip.title');
  const actions = session ? (
    <>
      <a class="header-link" href={`/${enc(slug)}/console`}>{tv('ip.console')}</a>
      <LogoutButton slug={slug} />
    </>
  ) : null;
  let body;
  if (error || loadError) body = <FatalError title={title} message={(error ?? loadError) as string} />;
  else if (!session || !r) body = <Loading />;
  else {
    body = (
      <>
        <h1>{title}</h1>
        <p class="lead">{tv('ip.lead')}</p>
        <Finder slug={slug} offices={offices}
          infoOffice={logOffice(r, session.operator)}
          onRegisterFor={(office) => setPrefill({ office, n: (prefill?.n ?? 0) + 1 })} />
        <RegisterForm slug={slug} offices={offices} colleagues={colleagues} canRegister={r.info_point} prefill={prefill}
          onIssued={(p) => { setIssued(p); setStamp((x) => x + 1); }} />
        {issued && <Badge pass={issued} />}
        <TodayList slug={slug} canManage={r.info_point} stamp={stamp} onIssued={(p) => setIssued(p)} topic={r.topic} />
        {r.info_point && <OccupancyList slug={slug} topic={r.topic} />}
      </>
    );
  }
  return (
    <Page title={title} ente={session?.ente ?? null} slug={slug} headerActions={actions}>
      {body}
    </Page>
  );
}

mount(InfoPoint);
