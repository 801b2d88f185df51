// "/ticket-machine/{site}" — the touchscreen ticket machine (eliminacode) at a site: the site's
// services as large buttons (closed ones disabled with their next opening), an optional priority
// reason, then the ticket with its code, time, people ahead and estimated wait, "Stampa"
// (receipt-width print stylesheet in queue.css) and back to the start after 20 s. The ticket
// carries a QR code (SVG from the server) that opens /{slug}/ticket/{site}#id=…&t=… on a phone.
// The ente comes from ?ente= ("esempio" by default). The kiosk device token arrives once in the
// URL fragment (#token=…), is kept in localStorage and removed from the address, like the kiosk.

import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get, type Ente } from '../api';
import { applyBranding, mount } from '../components/layout';
import { formatTime } from '../format';
import { getLang, LANGS, setLang, t } from '../i18n';
import { tq, type QueueKey } from '../queue/i18n-queue';
import {
  enteSlug,
  PRIORITY_REASONS,
  queuePath,
  siteId,
  ticketsPath,
  type IssueAnswer,
  type Priority,
  type QueueAnswer,
  type QueueService,
  type Ticket,
} from '../queue/queue-api';
import { formatWait, formatWhen } from '../reception/text';
import { Announcer, useAnnounce } from '../reception/ui';
import { request, VisitApiError } from '../reception/visit-api';
import '../queue/queue.css';

const TICKET_SHOWN_S = 20;
const REFRESH_MS = 30_000;

const slug = enteSlug();
const site = siteId();
const storageKey = `sportello.ticket-machine.${slug}.${site}`;

/** Takes #token=… into localStorage once and removes it from the address bar and history. */
function deviceToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  try {
    if (m) {
      localStorage.setItem(storageKey, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return localStorage.getItem(storageKey);
  } catch {
    return m ? decodeURIComponent(m[1]) : null;
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof VisitApiError) {
    if (e.code === 'network') return tq('error.network');
    if (e.status === 401 || e.status === 403) return tq('machine.badToken');
    return e.message;
  }
  return tq('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

type Phase =
  | { kind: 'start'; priority: Priority; choosingPriority: boolean }
  | { kind: 'issuing'; priority: Priority }
  | { kind: 'ticket'; ticket: Ticket; qr: string | null };

function LangButtons() {
  const lang = getLang();
  return (
    <div class="tm-lang" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button type="button" class={`btn tm-lang-btn ${l === lang ? 'active' : ''}`} aria-pressed={l === lang ? 'true' : 'false'} lang={l} onClick={() => setLang(l)}>
          {l === 'it' ? 'Italiano' : 'English'}
        </button>
      ))}
    </div>
  );
}

function TicketMachine() {
  const token = useRef(deviceToken()).current;
  const [queue, setQueue] = useState<QueueAnswer | null>(null);
  const [ente, setEnte] = useState<Ente | null>(null);
  const [fatal, setFatal] = useState<string | null>(token ? null : tq('machine.noToken'));
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'start', priority: 'none', choosingPriority: false });
  const resetTimer = useRef<number>();

  const load = async () => {
    try {
      const q = await request<QueueAnswer>('GET', queuePath(slug, site), null);
      setQueue(q);
      if (!token) return;
      setFatal(null);
    } catch (e) {
      if (e instanceof VisitApiError && e.status === 404) setFatal(tq('machine.siteNotFound'));
      else if (!queue) setFatal(errorMessage(e));
    }
  };

  useEffect(() => {
    document.documentElement.classList.add('queue-root');
    void load();
    get<Ente>(`/api/v1/enti/${enc(slug)}`)
      .then((e) => {
        setEnte(e);
        applyBranding({ primary_color: e.primary_color ?? null });
      })
      .catch(() => undefined);
    const refresh = window.setInterval(() => void load(), REFRESH_MS);
    const onHash = () => /token=/.test(location.hash) && location.reload();
    window.addEventListener('hashchange', onHash);
    return () => {
      window.clearInterval(refresh);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  useEffect(() => {
    document.title = queue ? `${tq('machine.title')} – ${queue.site.name}` : tq('machine.title');
  });

  const backToStart = () => {
    window.clearTimeout(resetTimer.current);
    setError(null);
    setPhase({ kind: 'start', priority: 'none', choosingPriority: false });
    void load();
  };

  const issue = async (service: QueueService, priority: Priority) => {
    if (!token) return;
    setError(null);
    setPhase({ kind: 'issuing', priority });
    try {
      const body: Record<string, unknown> = { service: service.id, source: 'machine', lang: getLang() };
      if (priority !== 'none') body.priority = priority;
      const a = await request<IssueAnswer>('POST', ticketsPath(slug, site), { deviceToken: token }, body);
      setPhase({ kind: 'ticket', ticket: a.ticket, qr: a.qr_svg ?? null });
      window.clearTimeout(resetTimer.current);
      resetTimer.current = window.setTimeout(backToStart, TICKET_SHOWN_S * 1000);
    } catch (e) {
      setError(errorMessage(e));
      setPhase({ kind: 'start', priority, choosingPriority: false });
      void load();
    }
  };

  const tz = ente?.timezone ?? 'Europe/Rome';

  let body;
  if (fatal) {
    body = (
      <div class="alert alert-danger tm-alert" role="alert" id="tm-error">
        {fatal}
      </div>
    );
  } else if (!queue) {
    body = (
      <p class="tm-loading" role="status">
        {t('loading')}
      </p>
    );
  } else if (phase.kind === 'ticket') {
    body = <TicketView ticket={phase.ticket} qr={phase.qr} tz={tz} onDone={backToStart} />;
  } else if (phase.kind === 'start' && phase.choosingPriority) {
    body = (
      <section class="tm-priority-choice" aria-labelledby="tm-priority-title">
        <h2 id="tm-priority-title" tabIndex={-1}>
          {tq('machine.priorityTitle')}
        </h2>
        <div class="tm-grid">
          {PRIORITY_REASONS.map((r) => (
            <button type="button" class="btn btn-primary tm-service" onClick={() => setPhase({ kind: 'start', priority: r, choosingPriority: false })}>
              <span class="tm-service-name">{tq(`priority.${r}` as QueueKey)}</span>
            </button>
          ))}
        </div>
        <button type="button" class="btn btn-outline-primary tm-secondary" onClick={() => setPhase({ kind: 'start', priority: 'none', choosingPriority: false })}>
          {tq('machine.priorityCancel')}
        </button>
      </section>
    );
  } else {
    const priority = phase.priority;
    const issuing = phase.kind === 'issuing';
    body = (
      <section aria-labelledby="tm-choose">
        <h2 id="tm-choose">{tq('machine.choose')}</h2>
        {error && (
          <div class="alert alert-danger tm-alert" role="alert" id="tm-issue-error">
            {error}
          </div>
        )}
        {priority !== 'none' && (
          <div class="tm-priority-set" role="status">
            <span>{tq('machine.priorityChosen', { reason: tq(`priority.${priority}` as QueueKey) })}</span>
            <button type="button" class="btn btn-outline-primary" onClick={() => setPhase({ kind: 'start', priority: 'none', choosingPriority: false })}>
              {tq('machine.priorityRemove')}
            </button>
          </div>
        )}
        {issuing && (
          <p class="tm-loading" role="status">
            {tq('machine.issuing')}
          </p>
        )}
        {queue.services.length === 0 ? (
          <p>{tq('machine.noServices')}</p>
        ) : (
          <ul class="tm-grid" aria-busy={issuing ? 'true' : 'false'}>
            {queue.services.map((s) => {
              const descId = `tm-svc-${s.id}-desc`;
              return (
                <li>
                  <button
                    type="button"
                    class="btn btn-primary tm-service"
                    data-prefix={s.prefix}
                    disabled={!s.open || issuing}
                    aria-describedby={descId}
                    onClick={() => void issue(s, priority)}
                  >
                    <span class="tm-service-prefix" aria-hidden="true">
                      {s.prefix}
                    </span>
                    <span class="tm-service-name">{s.name}</span>
                    <span class="tm-service-info" id={descId}>
                      {s.open
                        ? tq('machine.waiting', { n: s.waiting })
                        : s.next_opens_at
                          ? tq('machine.closedUntil', { when: formatWhen(s.next_opens_at, tz) })
                          : tq('machine.closedNoNext')}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {priority === 'none' && (
          <button type="button" class="btn btn-outline-primary tm-secondary" id="tm-priority" disabled={issuing} onClick={() => setPhase({ kind: 'start', priority: 'none', choosingPriority: true })}>
            {tq('machine.priority')}
          </button>
        )}
      </section>
    );
  }

  return (
    <Announcer>
      <main id="main" class="tm" data-phase={phase.kind}>
        <header class="tm-header">
          <div>
            <p class="tm-ente mb-0">{ente?.name ?? ''}</p>
            <h1 class="tm-site">{queue ? `${tq('machine.title')} – ${queue.site.name}` : tq('machine.title')}</h1>
          </div>
          <LangButtons />
        </header>
        {body}
      </main>
    </Announcer>
  );
}

/** The server's QR SVG as an image (a data: URL: no markup from the network enters the page). */
const qrSrc = (svg: string) => `data:image/svg+xml;base64,${btoa(svg)}`;

function TicketView({ ticket, qr, tz, onDone }: { ticket: Ticket; qr: string | null; tz: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const announce = useAnnounce();
  useEffect(() => {
    heading.current?.focus();
    announce(`${tq('ticket.title')}: ${ticket.code}`);
  }, [ticket.id]);
  return (
    <section class="tm-ticket" aria-labelledby="tm-ticket-title">
      <div class="tm-receipt" id="tm-receipt">
        <h2 id="tm-ticket-title" tabIndex={-1} ref={heading}>
          {tq('ticket.title')}
        </h2>
        <p class="tm-code" id="tm-code">
          {ticket.code}
        </p>
        <dl class="tm-facts">
          <div>
            <dt>{tq('ticket.service')}</dt>
            <dd>{ticket.service.name}</dd>
          </div>
          <div>
            <dt>{tq('ticket.issuedAt')}</dt>
            <dd>{formatTime(ticket.issued_at, tz)}</dd>
          </div>
          {ticket.ahead !== null && (
            <div>
              <dt>{tq('ticket.ahead')}</dt>
              <dd id="tm-ahead">{ticket.ahead}</dd>
            </div>
          )}
          <div>
            <dt>{tq('ticket.wait')}</dt>
            <dd id="tm-wait">{formatWait(ticket.estimated_wait_s === null ? null : ticket.estimated_wait_s * 1000)}</dd>
          </div>
          {ticket.priority !== 'none' && (
            <div>
              <dt>{tq('ticket.priority')}</dt>
              <dd>{tq(`priority.${ticket.priority}` as QueueKey)}</dd>
            </div>
          )}
        </dl>
        <p class="tm-hint">{tq('ticket.hint')}</p>
        {qr && (
          <figure class="tm-qr">
            <img id="tm-qr" src={qrSrc(qr)} alt={tq('ticket.qrAlt', { code: ticket.code })} width={160} height={160} />
            <figcaption>{tq('ticket.qrHint')}</figcaption>
          </figure>
        )}
      </div>
      <div class="tm-actions">
        <button type="button" class="btn btn-primary tm-action" onClick={() => window.print()}>
          {tq('ticket.print')}
        </button>
        <button type="button" class="btn btn-outline-primary tm-action" onClick={onDone}>
          {tq('ticket.done')}
        </button>
      </div>
      <p class="tm-reset">{tq('ticket.resetSoon')}</p>
    </section>
  );
}

mount(TicketMachine);
