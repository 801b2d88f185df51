// "/{slug}/area-personale" — the citizen's personal area (issue 19): sign in with the Comune's
// SPID / CIE providers (one button each), who is signed in (the attributes Sportello keeps),
// sign out (also at the provider when it offers it), and what the citizen made or claimed on this
// ente: appointments (move, cancel), today's tickets (followed live), cases with the replies
// they may see, visits with their chat transcript, ratings. Signing in is never required: the
// page says so and links the services.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, type OfficesAnswer } from '../api';
import { apiMessage } from '../components/forms';
import { announce, FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { formatDay, SlotPicker, type SlotChoice } from '../booking/slot-picker';
import '../booking/booking.css';
import { formatTime, localDate } from '../format';
import { getLang, t } from '../i18n';
import {
  appointmentDetail,
  area,
  cancelAppointment,
  claim,
  currentCitizen,
  loginUrl,
  moveAppointment,
  parseObjectLink,
  providers,
  signOut,
  type AreaAppointment,
  type AreaCase,
  type AreaData,
  type AreaTicket,
  type AreaVisit,
  type CitizenSession,
  type SignInProvider,
} from './citizens-api';
import { tc } from './i18n-citizens';

interface Data {
  offices: OfficesAnswer;
  providers: SignInProvider[];
  session: CitizenSession | null;
}

function SignIn({ slug, list }: { slug: string; list: SignInProvider[] }) {
  const failed = new URLSearchParams(location.search).has('errore_accesso');
  return (
    <section aria-labelledby="area-signin-title">
      <h2 id="area-signin-title" class="h3">
        {tc('area.signIn')}
      </h2>
      {failed && (
        <div class="alert alert-danger" role="alert">
          {tc('area.error')}
        </div>
      )}
      {list.length === 0 ? (
        <p>{tc('area.noProviders')}</p>
      ) : (
        <ul class="list-unstyled d-flex flex-wrap gap-2">
          {list.map((p) => (
            <li>
              <a class="btn btn-primary" href={loginUrl(slug, p.key, `/${slug}/area-personale`)} data-provider={p.key}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Identity({ slug, s, onOut }: { slug: string; s: CitizenSession; onOut: () => void }) {
  const c = s.citizen;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const out = async () => {
    setBusy(true);
    try {
      const end = await signOut(slug);
      if (end) location.assign(end);
      else onOut();
    } catch (e) {
      setError(apiMessage(e));
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="area-identity-title">
      <p class="lead" id="area-welcome">
        {tc('area.welcome', { name: c.given_name || c.family_name })}
      </p>
      <h2 id="area-identity-title" class="h3">
        {tc('area.identity')}
      </h2>
      <p>
        <span class="badge bg-success" data-testid="verified">
          {tc('area.verified')}
        </span>
      </p>
      <dl class="row">
        <dt class="col-sm-3">{tc('area.name')}</dt>
        <dd class="col-sm-9">{`${c.given_name} ${c.family_name}`.trim()}</dd>
        <dt class="col-sm-3">{tc('area.fiscalNumber')}</dt>
        <dd class="col-sm-9" data-testid="fiscal-number">
          {c.fiscal_number}
        </dd>
        {c.email && (
          <>
            <dt class="col-sm-3">{tc('area.email')}</dt>
            <dd class="col-sm-9">{c.email}</dd>
          </>
        )}
        {c.phone && (
          <>
            <dt class="col-sm-3">{tc('area.phone')}</dt>
            <dd class="col-sm-9">{c.phone}</dd>
          </>
        )}
      </dl>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <button type="button" class="btn btn-outline-primary" onClick={() => void out()} disabled={busy}>
        {tc('area.signOut')}
      </button>
    </section>
  );
}

const when = (instant: string, tz: string) => `${formatDay(localDate(instant, tz))}, ${formatTime(instant, tz)}`;

/** A translation key that may not exist (a state the page does not know yet): the fallback. */
function tcOr(key: string, fallback: string): string {
  return tc.has(key) ? tc(key) : fallback;
}

function Section({ id, title, children }: { id: string; title: string; children: preact.ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-title`} class="mt-5" id={`${id}-section`}>
      <h2 id={`${id}-title`} class="h3">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Visits({ list, tz }: { list: AreaVisit[]; tz: string }) {
  if (list.length === 0) return <p>{tc('area.noVisits')}</p>;
  return (
    <ul class="list-unstyled" id="area-visits">
      {list.map((v) => (
        <li class="mb-3" data-visit={v.id}>
          <strong>{tc('area.visit', { date: when(v.knocked_at, tz), office: v.office })}</strong>
          <br />
          <span>{tcOr(`area.visitState.${v.state}`, v.state)}</span>
          {v.topic && <span> · {v.topic}</span>}
          <details class="mt-1">
            <summary>{tc('area.transcript', { n: v.transcript.length })}</summary>
            {v.transcript.length === 0 ? (
              <p class="mb-0">{tc('area.noTranscript')}</p>
            ) : (
              <ol class="list-unstyled area-transcript mb-0">
                {v.transcript.map((m) => (
                  <li>
                    <span class="fw-semibold">
                      {m.from === 'operator' && m.operator ? m.operator : tcOr(`area.from.${m.from}`, m.from)}
                    </span>{' '}
                    <small>({formatTime(m.at, tz)})</small>: <span>{m.body}</span>
                  </li>
                ))}
              </ol>
            )}
          </details>
        </li>
      ))}
    </ul>
  );
}

function Cases({ slug, list, tz }: { slug: string; list: AreaCase[]; tz: string }) {
  if (list.length === 0) return <p>{tc('area.noCases')}</p>;
  return (
    <ul class="list-unstyled" id="area-cases">
      {list.map((k) => (
        <li class="mb-3" data-case={k.code}>
          <strong>{tc('area.case', { code: k.code, subject: k.subject })}</strong>
          <br />
          <span class="badge bg-primary me-2">{k.state_label[getLang() === 'en' ? 'en' : 'it']}</span>
          <span>{tc('area.caseOffice', { office: k.office })}</span>
          <h3 class="h6 mt-2 mb-1">{tc('area.caseUpdates')}</h3>
          <ol class="list-unstyled area-case-timeline mb-1">
            {k.timeline.map((e) => (
              <li>
                <small>{when(e.at, tz)}</small> · <span class="fw-semibold">{tcOr(`area.entry.${e.kind}`, tc('area.entry.other'))}</span>
                {e.body && <span>: {e.body}</span>}
              </li>
            ))}
          </ol>
          <a href={`/${enc(slug)}/pratica/${enc(k.code)}`}>{tc('area.caseTrack')}</a>
        </li>
      ))}
    </ul>
  );
}

function Tickets({ list, tz }: { list: AreaTicket[]; tz: string }) {
  if (list.length === 0) return <p>{tc('area.noTickets')}</p>;
  return (
    <ul class="list-unstyled" id="area-tickets">
      {list.map((t) => (
        <li class="mb-2" data-ticket={t.code}>
          <strong>{tc('area.ticket', { code: t.code, service: t.service })}</strong> <small>({formatTime(t.issued_at, tz)})</small>
          <br />
          <span data-testid="ticket-state">{tcOr(`area.ticketState.${t.state}`, t.state)}</span>
          {t.counter && (t.state === 'called' || t.state === 'serving') && <span> · {tc('area.ticketCounter', { counter: t.counter })}</span>}
        </li>
      ))}
    </ul>
  );
}

function Ratings({ data, tz }: { data: AreaData; tz: string }) {
  const rows: { what: string; score: string }[] = [];
  for (const v of data.visits) if (v.rating) rows.push({ what: tc('area.rated.visit', { date: when(v.knocked_at, tz) }), score: v.rating.score });
  for (const k of data.cases) if (k.rating) rows.push({ what: tc('area.rated.case', { code: k.code }), score: k.rating.score });
  for (const a of data.appointments) if (a.rating) rows.push({ what: tc('area.rated.appointment', { date: formatDay(a.date) }), score: a.rating.score });
  for (const t of data.tickets) if (t.rating) rows.push({ what: tc('area.rated.ticket', { code: t.code }), score: t.rating.score });
  if (rows.length === 0) return <p>{tc('area.noRatings')}</p>;
  return (
    <ul id="area-ratings">
      {rows.map((r) => (
        <li>{tc('area.rating', { what: r.what, score: tcOr(`area.score.${r.score}`, r.score) })}</li>
      ))}
    </ul>
  );
}

function MovePanel({ slug, a, onDone, onClose }: { slug: string; a: AreaAppointment; onDone: (msg: string) => void; onClose: () => void }) {
  const [detail, setDetail] = useState<{ office: string; service: string | null } | null>(null);
  const [slot, setSlot] = useState<SlotChoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    appointmentDetail(slug, a.code)
      .then((b) => setDetail({ office: b.office.id, service: b.service?.id ?? null }))
      .catch((e) => setError(apiMessage(e)));
    titleRef.current?.focus();
  }, [a.code]);
  const confirm = async () => {
    if (!slot) {
      setError(tc('area.slotRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const b = await moveAppointment(slug, a.code, slot.date, slot.start);
      onDone(tc('area.moved', { code: a.code, date: formatDay(b.date), start: b.start }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'slot_full') {
        setSlot(null);
        setReload(reload + 1);
      }
      setError(apiMessage(e));
      setBusy(false);
    }
  };
  return (
    <div class="card card-bg mt-2 mb-3 area-move" role="group" aria-labelledby={`move-${a.code}`}>
      <div class="card-body">
        <h3 class="h5" id={`move-${a.code}`} tabIndex={-1} ref={titleRef}>
          {tc('area.moveTitle', { code: a.code })}
        </h3>
        {!detail && !error && <Loading />}
        {detail && (
          <SlotPicker slug={slug} office={detail.office} service={detail.service} initialMonth={a.date.slice(0, 7)} value={slot} onChange={setSlot} reload={reload} />
        )}
        {error && (
          <div class="alert alert-danger mt-2" role="alert">
            {error}
          </div>
        )}
        <p class="d-flex flex-wrap gap-2 mt-3 mb-0">
          <button type="button" class="btn btn-primary" disabled={busy || !detail} onClick={() => void confirm()}>
            {tc('area.moveConfirm')}
          </button>
          <button type="button" class="btn btn-outline-primary" onClick={onClose}>
            {tc('area.moveClose')}
          </button>
        </p>
      </div>
    </div>
  );
}

function Appointments({ slug, list, onChanged }: { slug: string; list: AreaAppointment[]; onChanged: (msg: string) => void }) {
  const [moving, setMoving] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stateText = (s: string) => tcOr(`area.state.${s}`, tc('area.state.other'));
  const cancel = async (a: AreaAppointment) => {
    setBusy(true);
    setError(null);
    try {
      await cancelAppointment(slug, a.code);
      setConfirming(null);
      onChanged(tc('area.cancelled', { code: a.code }));
    } catch (e) {
      setError(apiMessage(e));
    } finally {
      setBusy(false);
    }
  };
  if (list.length === 0) return <p>{tc('area.noAppointments')}</p>;
  return (
    <>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <ul class="list-unstyled" id="area-appointments">
        {list.map((a) => (
          <li class="mb-3" data-code={a.code}>
            <strong>{tc('area.appointment', { date: formatDay(a.date), start: a.start, office: a.office })}</strong>
            <br />
            <span>{tc('area.code', { code: a.code })}</span> · <span data-testid="appointment-state">{stateText(a.state)}</span>
            {a.can_change && moving !== a.code && confirming !== a.code && (
              <p class="d-flex flex-wrap gap-2 mt-2 mb-0">
                <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => { setConfirming(null); setMoving(a.code); }}>
                  {tc('area.move')}
                  <span class="visually-hidden"> {a.code}</span>
                </button>
                <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => { setMoving(null); setConfirming(a.code); }}>
                  {tc('area.cancel')}
                  <span class="visually-hidden"> {a.code}</span>
                </button>
              </p>
            )}
            {confirming === a.code && (
              <div class="alert alert-warning mt-2" role="alertdialog" aria-labelledby={`cancel-q-${a.code}`}>
                <p id={`cancel-q-${a.code}`}>{tc('area.cancelConfirm', { date: formatDay(a.date), start: a.start })}</p>
                <div class="d-flex flex-wrap gap-2">
                  <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void cancel(a)}>
                    {tc('area.cancelYes')}
                  </button>
                  <button type="button" class="btn btn-outline-primary" onClick={() => setConfirming(null)}>
                    {tc('area.keep')}
                  </button>
                </div>
              </div>
            )}
            {moving === a.code && <MovePanel slug={slug} a={a} onClose={() => setMoving(null)} onDone={(m) => { setMoving(null); onChanged(m); }} />}
          </li>
        ))}
      </ul>
    </>
  );
}

function ClaimForm({ slug, onClaimed }: { slug: string; onClaimed: (msg: string) => void }) {
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const parsed = parseObjectLink(link);
    if (!parsed) {
      setError(tc('area.claimBad'));
      return;
    }
    try {
      const r = await claim(slug, parsed.kind, parsed.code, parsed.token);
      setError(null);
      setLink('');
      onClaimed(tc('area.claimed', { code: r.ref }));
    } catch (e) {
      setError(apiMessage(e));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} class="mt-5" aria-labelledby="area-claim-title">
      <h2 class="h4 mb-4" id="area-claim-title">
        {tc('area.claimTitle')}
      </h2>
      <div class="form-group">
        <label for="area-claim-link" class="active">
          {tc('area.claimLabel')}
        </label>
        <input
          id="area-claim-link"
          type="url"
          class="form-control"
          value={link}
          aria-describedby="area-claim-hint"
          onInput={(e) => setLink((e.target as HTMLInputElement).value)}
          required
        />
        <small id="area-claim-hint" class="form-text">
          {tc('area.claimHint')}
        </small>
      </div>
      <button type="submit" class="btn btn-primary">
        {tc('area.claimButton')}
      </button>
      {error && (
        <div class="alert alert-danger mt-3" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}

/** Tickets still waiting or called: the area follows them (every 15 s) until they are served. */
const LIVE_MS = 15_000;

function Area({ slug, tz }: { slug: string; tz: string }) {
  const [data, setData] = useState<AreaData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const load = () =>
    area(slug)
      .then((a) => {
        setData(a);
        setError(null);
      })
      .catch((e) => setError(apiMessage(e)));
  useEffect(() => {
    void load();
  }, [slug]);
  const live = !!data?.tickets.some((t) => t.state === 'waiting' || t.state === 'called' || t.state === 'serving');
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => void load(), LIVE_MS);
    return () => window.clearInterval(timer);
  }, [live]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const changed = (msg: string) => {
    setNotice(msg);
    announce(msg);
    void load();
  };
  return (
    <>
      {notice && (
        <div class="alert alert-success mt-4" role="status" tabIndex={-1} ref={noticeRef}>
          {notice}
        </div>
      )}
      {error && (
        <div class="alert alert-danger mt-4" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <Loading />}
      {data && (
        <>
          <Section id="area-appointments" title={tc('area.appointments')}>
            <Appointments slug={slug} list={data.appointments} onChanged={changed} />
          </Section>
          <Section id="area-tickets" title={tc('area.tickets')}>
            <Tickets list={data.tickets} tz={tz} />
          </Section>
          <Section id="area-cases" title={tc('area.cases')}>
            <Cases slug={slug} list={data.cases} tz={tz} />
          </Section>
          <Section id="area-visits" title={tc('area.visits')}>
            <Visits list={data.visits} tz={tz} />
          </Section>
          <Section id="area-ratings" title={tc('area.ratings')}>
            <Ratings data={data} tz={tz} />
          </Section>
        </>
      )}
      <ClaimForm slug={slug} onClaimed={changed} />
    </>
  );
}

function AreaPersonale() {
  const slug = slugFromPath();
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  const load = () =>
    Promise.all([get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`), providers(slug), currentCitizen(slug)])
      .then(([offices, p, session]) => {
        setError(null);
        setData({ offices, providers: p.providers, session });
      })
      .catch((e) => setError({ status: e instanceof ApiError ? e.status : 0, message: apiMessage(e) }));
  useEffect(() => {
    void load();
  }, [slug, getLang()]);

  if (error) {
    const notFound = error.status === 404;
    return (
      <Page title={notFound ? t('error.enteNotFound') : tc('area.title')} slug={notFound ? null : slug}>
        <FatalError
          title={notFound ? t('error.enteNotFound') : tc('area.title')}
          message={notFound ? t('error.enteNotFoundText') : tc('area.loadError')}
          onRetry={notFound ? undefined : () => void load()}
        />
      </Page>
    );
  }
  return (
    <Page title={tc('area.title')} ente={data?.offices.ente} slug={slug} staffLink>
      <h1>{tc('area.title')}</h1>
      {!data && <Loading />}
      {data && !data.session && <p>{tc('area.lead')}</p>}
      {signedOut && (
        <div class="alert alert-success" role="status">
          {tc('area.signedOut')}
        </div>
      )}
      {data && data.session && (
        <Identity
          slug={slug}
          s={data.session}
          onOut={() => {
            setSignedOut(true);
            setData({ ...data, session: null });
          }}
        />
      )}
      {data && data.session && <Area slug={slug} tz={data.offices.ente.timezone || 'Europe/Rome'} />}
      {data && !data.session && <SignIn slug={slug} list={data.providers} />}
      {data && (
        <nav aria-label={tc('area.services')} class="mt-4">
          <ul class="list-unstyled">
            <li>
              <a href={`/${enc(slug)}/servizi`}>{tc('area.services')}</a>
            </li>
            <li>
              <a href={`/${enc(slug)}/`}>{tc('area.offices')}</a>
            </li>
          </ul>
        </nav>
      )}
    </Page>
  );
}

mount(AreaPersonale);
