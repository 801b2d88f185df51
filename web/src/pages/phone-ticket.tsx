// "/{slug}/ticket/{site}" (also "/phone-ticket.html?ente=…&site=…") — the citizen's queue ticket on the phone (no account): the
// site's open services with people waiting and estimated wait, "Prendi il numero" (source
// "phone"), then the ticket's status (code, people ahead, estimated wait, state) kept live through
// the `ticket:{id}` topic (with the ticket token) and refetched every 30 s. When the turn is near
// and when the ticket is called the page alerts: banner, chime, vibration, document title, live
// regions. The ticket's id and token stay in localStorage (one per site), so a reload shows the
// same ticket; "Rinuncia" cancels it and forgets it. The QR code of a paper ticket opens this page
// with "#id=…&t=…": that ticket is followed here (the fragment is stored, then removed).

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, holderCall, type Ente, type Method } from '../api';
import { announce, Loading, mount, Page } from '../components/layout';
import { chime } from '../queue/chime';
import { tq, type QueueKey } from '../queue/i18n-queue';
import { enteSlug, queuePath, siteId, ticketsPath, type QueueAnswer, type QueueService, type Ticket } from '../queue/queue-api';
import { Realtime, type RealtimeState } from '../realtime';
import { ContactRating } from '../feedback/contact-rating';
import { formatWait } from '../reception/text';
import '../queue/queue.css';
import { linkTicket } from '../citizens/signed-in';

const REFRESH_MS = 30_000;
const NEAR_AHEAD = 2;
const ENDED = new Set(['done', 'no_show', 'cancelled', 'expired']);

/** "Tocca quasi a te" only while some counter serving it is open: else nobody is calling. */
function isNear(t: PhoneTicket, within = NEAR_AHEAD): boolean {
  // within 0: the citizen asked to hear only the call itself.
  return within > 0 && t.state === 'waiting' && t.ahead !== null && t.ahead <= within && (t.counters_open ?? 1) > 0;
}

/** "Avvisami quando davanti a me restano N persone": the choices (0 = only when called). */
const NOTIFY_CHOICES = [0, 1, 2, 3, 5, 10];

/** The citizen's choice for this ticket, kept on the phone with the ticket. */
function notifyStore(ticketId: string) {
  const key = `${storageKey}.notify.${ticketId}`;
  return {
    load(): number {
      try {
        const n = Number(localStorage.getItem(key));
        return localStorage.getItem(key) !== null && NOTIFY_CHOICES.includes(n) ? n : NEAR_AHEAD;
      } catch {
        return NEAR_AHEAD;
      }
    },
    save(n: number): void {
      try {
        localStorage.setItem(key, String(n));
      } catch {
        // private mode: kept for this page only
      }
    },
  };
}

/** A notification of the system (the phone's) when the page is not in front, if allowed. */
function systemNotice(title: string, body: string): void {
  try {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    if (document.visibilityState === 'visible') return;
    new Notification(title, { body, tag: 'sportello-ticket' });
  } catch {
    // some phones allow notifications only from a service worker: the page's alerts remain
  }
}

const slug = enteSlug();
const site = siteId();
const storageKey = `sportello.phone-ticket.${slug}.${site}`;

interface PhoneTicket extends Ticket {
  ticket_topic?: string;
  ticket_seq?: number;
}

interface Stored {
  id: string;
  token: string;
}

/**
 * A ticket handed over by the QR code of a paper ticket: #id=…&t=… in the address. It replaces
 * the stored one and leaves the address (and the history) at once; the fragment never reaches
 * the server.
 */
function takeFromFragment(): void {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const id = p.get('id');
  const token = p.get('t');
  if (!id || !token) return;
  try {
    localStorage.setItem(storageKey, JSON.stringify({ id, token }));
  } catch {
    // private mode: nothing kept
  }
  history.replaceState(null, '', location.pathname + location.search);
}
takeFromFragment();

function loadStored(): Stored | null {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Stored>;
    return typeof v.id === 'string' && typeof v.token === 'string' ? { id: v.id, token: v.token } : null;
  } catch {
    return null;
  }
}

function saveStored(s: Stored | null): void {
  try {
    if (s) localStorage.setItem(storageKey, JSON.stringify(s));
    else {
      // The ticket and what was chosen for it ("avvisami quando…").
      for (const k of Object.keys(localStorage)) if (k === storageKey || k.startsWith(`${storageKey}.`)) localStorage.removeItem(k);
    }
  } catch {
    // private mode: the ticket lives as long as the page
  }
}

/** Calls the API as the ticket holder (no cookie; X-Ticket-Token when given). */
async function call<T>(method: Method, path: string, token: string | null, body?: unknown): Promise<T> {
  return holderCall<T>(method, path, token ? { 'X-Ticket-Token': token } : {}, body);
}

function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return tq('error.network');
    if (e.status === 429) return tq('phone.limit', { message: e.message });
    if (e.status === 409) return tq('phone.closed', { message: e.message });
    return e.message;
  }
  return tq('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

const waitText = (s: number | null) => formatWait(s === null ? null : s * 1000);

function PhoneTicketPage() {
  const [ente, setEnte] = useState<Ente | null>(null);
  const [queue, setQueue] = useState<QueueAnswer | null>(null);
  const [fatal, setFatal] = useState<string | null>(site ? null : tq('machine.siteNotFound'));
  const [stored, setStored] = useState<Stored | null>(loadStored);
  const [ticket, setTicket] = useState<PhoneTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadQueue = async () => {
    try {
      setQueue(await call<QueueAnswer>('GET', queuePath(slug, site), null));
      setFatal(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setFatal(tq('machine.siteNotFound'));
      else setError(errorMessage(e));
    }
  };

  useEffect(() => {
    if (!site) return;
    void loadQueue();
    get<Ente>(`/api/v1/enti/${enc(slug)}`)
      .then(setEnte)
      .catch(() => undefined);
  }, []);

  // Signed in with SPID/CIE: the ticket (taken now, or before signing in) goes to the personal area.
  useEffect(() => {
    if (stored) void linkTicket(slug, stored.id, stored.token);
  }, [stored?.id]);

  // Without a ticket, the services list refreshes every 30 s.
  useEffect(() => {
    if (stored || !site) return;
    const timer = window.setInterval(() => void loadQueue(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [stored]);

  const take = async (s: QueueService) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const a = await call<{ ticket: PhoneTicket; token: string }>('POST', ticketsPath(slug, site), null, {
        service: s.id,
        source: 'phone',
        lang: document.documentElement.lang === 'en' ? 'en' : 'it',
      });
      const st = { id: a.ticket.id, token: a.token };
      saveStored(st);
      setTicket(a.ticket);
      setStored(st);
    } catch (e) {
      setError(errorMessage(e));
      void loadQueue();
    } finally {
      setBusy(false);
    }
  };

  const forget = (msg: string | null) => {
    saveStored(null);
    setStored(null);
    setTicket(null);
    setNotice(msg);
    document.title = tq('phone.title');
    void loadQueue();
  };

  const title = tq('phone.title');
  let body;
  if (fatal) {
    body = (
      <div class="alert alert-danger" role="alert" id="pt-fatal">
        {fatal}
      </div>
    );
  } else if (stored) {
    body = <TicketStatus stored={stored} initial={ticket} onForget={forget} />;
  } else if (!queue) {
    body = <Loading />;
  } else {
    const open = queue.services.filter((s) => s.open);
    body = (
      <section aria-labelledby="pt-choose">
        <h2 id="pt-choose" class="h4">
          {queue.site.name}
        </h2>
        <p>{tq('phone.intro')}</p>
        {notice && (
          <div class="alert alert-info" role="status" id="pt-notice">
            {notice}
          </div>
        )}
        {error && (
          <div class="alert alert-danger" role="alert" id="pt-error">
            {error}
          </div>
        )}
        {busy && <p role="status">{tq('phone.taking')}</p>}
        {open.length === 0 ? (
          <p>{tq('machine.noServices')}</p>
        ) : (
          <ul class="pt-services" aria-busy={busy ? 'true' : 'false'}>
            {open.map((s) => (
              <li class="pt-service" data-prefix={s.prefix}>
                <h3 class="h5 mb-1">
                  <span class="pt-prefix" aria-hidden="true">
                    {s.prefix}
                  </span>{' '}
                  {s.name}
                </h3>
                <p class="mb-2">
                  {tq('phone.waiting', { n: s.waiting })} · {tq('phone.wait', { wait: waitText(s.estimated_wait_s) })}
                </p>
                <button type="button" class="btn btn-primary" disabled={busy} aria-label={tq('phone.takeFor', { service: s.name })} onClick={() => void take(s)}>
                  {tq('phone.take')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  }

  return (
    <Page title={title} ente={ente} slug={slug}>
      <div class="pt">
        <h1>{title}</h1>
        {body}
      </div>
    </Page>
  );
}

function TicketStatus({ stored, initial, onForget }: { stored: Stored; initial: PhoneTicket | null; onForget: (msg: string | null) => void }) {
  const [ticket, setTicket] = useState<PhoneTicket | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [live, setLive] = useState<RealtimeState>('connecting');
  const [urgent, setUrgent] = useState('');
  const alerted = useRef<{ near: boolean; called: string | null }>({ near: false, called: null });
  const heading = useRef<HTMLHeadingElement>(null);
  const notify = notifyStore(stored.id);
  const [within, setWithin] = useState(() => notify.load());
  const chooseWithin = (n: number) => {
    setWithin(n);
    notify.save(n);
    alerted.current.near = false;
    // Choosing is the gesture that may ask for the phone's notifications.
    try {
      if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
    } catch {
      // not offered here
    }
  };

  const refetch = async () => {
    try {
      const tk = await call<PhoneTicket>('GET', `/api/v1/tickets/${enc(stored.id)}`, stored.token);
      setTicket(tk);
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) onForget(tq('phone.lost'));
      else setError(errorMessage(e));
    }
  };

  useEffect(() => {
    heading.current?.focus();
    void refetch();
    const timer = window.setInterval(() => void refetch(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [stored.id]);

  // Live updates: any event of ticket:{id} refetches the ticket.
  const seqKnown = ticket !== null;
  const ended = ticket !== null && ENDED.has(ticket.state);
  useEffect(() => {
    if (!seqKnown || ended || !ticket) return;
    const rt = new Realtime();
    const offState = rt.onState(setLive);
    const off = rt.subscribe(ticket.ticket_topic ?? `ticket:${ticket.id}`, {
      token: stored.token,
      since: ticket.ticket_seq ?? 0,
      onEvent: () => void refetch(),
      onResync: () => void refetch(),
      onSubscribed: () => setLive('open'),
    });
    // The site's public board: a call moves everyone ahead, a counter opening or closing changes
    // whether anybody calls at all. Refetched at once instead of at the next 30 s poll.
    const offBoard = ticket.board_topic
      ? rt.subscribe(ticket.board_topic, {
          onEvent: (type) => {
            if (type === 'ticket.called' || type === 'counter.updated') void refetch();
          },
          onResync: () => void refetch(),
        })
      : () => undefined;
    return () => {
      offBoard();
      off();
      offState();
      rt.close();
    };
  }, [seqKnown, ended, stored.id]);

  // Alerts when the turn is near and when the ticket is called.
  useEffect(() => {
    if (!ticket) return;
    const a = alerted.current;
    if (ticket.state === 'called') {
      const key = `${ticket.counter?.name ?? ''}#${ticket.recalls}`;
      if (a.called !== key) {
        a.called = key;
        const msg = tq('phone.called', { counter: ticket.counter?.name ?? '' });
        chime();
        try {
          navigator.vibrate?.([300, 150, 300, 150, 300]);
        } catch {
          // no vibration
        }
        setUrgent('');
        window.setTimeout(() => setUrgent(`${ticket.code}: ${msg}`), 60);
        systemNotice(`${tq('phone.calledTitle')} ${ticket.code}`, msg);
      }
      document.title = `${tq('phone.calledTitle')} ${ticket.code} – ${ticket.counter?.name ?? ''}`;
    } else if (isNear(ticket, within)) {
      if (!a.near) {
        a.near = true;
        announce(tq('phone.near'));
        chime();
        systemNotice(ticket.code, tq('phone.near'));
        try {
          navigator.vibrate?.(200);
        } catch {
          // no vibration
        }
      }
      document.title = `${ticket.code} · ${tq('phone.near')}`;
    } else {
      document.title = `${ticket.code} · ${tq(`phone.state.${ticket.state}` as QueueKey)}`;
    }
  }, [ticket?.state, ticket?.ahead, ticket?.recalls, ticket?.counter?.name, within]);

  const cancel = async () => {
    setError(null);
    try {
      await call<PhoneTicket>('POST', `/api/v1/tickets/${enc(stored.id)}/cancel`, stored.token, {});
      onForget(tq('phone.cancelled', { code: ticket?.code ?? '' }));
    } catch (e) {
      setConfirming(false);
      setError(errorMessage(e));
      void refetch();
    }
  };

  const near = ticket !== null && isNear(ticket, within);
  const noCounter = ticket?.state === 'waiting' && ticket.counters_open === 0;
  const called = ticket?.state === 'called';
  return (
    <section class="pt-ticket" aria-labelledby="pt-ticket-title" data-state={ticket?.state ?? ''}>
      <h2 id="pt-ticket-title" class="h4" tabIndex={-1} ref={heading}>
        {tq('phone.yourTicket')}
      </h2>
      <div class="visually-hidden" aria-live="assertive" aria-atomic="true" id="pt-urgent">
        {urgent}
      </div>
      {error && (
        <div class="alert alert-danger" role="alert" id="pt-error">
          {error}
        </div>
      )}
      {!ticket ? (
        <Loading />
      ) : (
        <>
          {called && (
            <div class="alert alert-success pt-called" id="pt-called">
              <p class="pt-alert-title mb-1">{tq('phone.calledTitle')}</p>
              <p class="mb-0">{tq('phone.called', { counter: ticket.counter?.name ?? '' })}</p>
            </div>
          )}
          {near && (
            <div class="alert alert-warning pt-near" id="pt-near">
              {tq('phone.near')}
            </div>
          )}
          {noCounter && (
            <div class="alert alert-info" id="pt-no-counter" role="status">
              {tq('phone.noCounter')}
            </div>
          )}
          <p class="pt-code" id="pt-code">
            {ticket.code}
          </p>
          <dl class="pt-facts">
            <div>
              <dt>{tq('ticket.service')}</dt>
              <dd>{ticket.service.name}</dd>
            </div>
            <div>
              <dt>{tq('phone.state')}</dt>
              <dd id="pt-state">{tq(`phone.state.${ticket.state}` as QueueKey)}</dd>
            </div>
            {ticket.ahead !== null && (
              <div>
                <dt>{tq('ticket.ahead')}</dt>
                <dd id="pt-ahead">{ticket.ahead}</dd>
              </div>
            )}
            {ticket.state === 'waiting' && (
              <div>
                <dt>{tq('ticket.wait')}</dt>
                <dd id="pt-wait">{waitText(ticket.estimated_wait_s)}</dd>
              </div>
            )}
          </dl>
          {ticket.state === 'waiting' && (
            <div class="select-wrapper pt-notify">
              <label for="pt-notify">{tq('phone.notifyLabel')}</label>
              <select id="pt-notify" value={String(within)} aria-describedby="pt-notify-hint" onChange={(e) => chooseWithin(Number(e.currentTarget.value))}>
                {NOTIFY_CHOICES.map((n) => (
                  <option value={String(n)}>{n === 0 ? tq('phone.notifyCalled') : tq(n === 1 ? 'phone.notifyOne' : 'phone.notifyMany', { n: String(n) })}</option>
                ))}
              </select>
              <small id="pt-notify-hint" class="form-text field-hint">
                {tq('phone.notifyHint')}
              </small>
            </div>
          )}
          {!ended && <p class="pt-hint">{tq('phone.keepOpen')}</p>}
          {!ended && live === 'offline' && (
            <p class="alert alert-warning" role="status">
              {tq('phone.offline')}
            </p>
          )}
          {ended ? (
            <>
              <p role="status">{tq(ticket.state === 'expired' ? 'phone.expired' : 'phone.ended')}</p>
              <ContactRating slug={slug} channel="ticket" contact={stored.id} token={stored.token} over={ticket.state === 'done'} />
              <button type="button" class="btn btn-primary" onClick={() => onForget(null)}>
                {tq('phone.new')}
              </button>
            </>
          ) : ticket.state === 'waiting' ? (
            confirming ? (
              <div class="pt-confirm" role="group" aria-labelledby="pt-confirm-q">
                <p id="pt-confirm-q">{tq('phone.cancelConfirm')}</p>
                <button type="button" class="btn btn-danger me-2" onClick={() => void cancel()}>
                  {tq('phone.cancelYes')}
                </button>
                <button type="button" class="btn btn-outline-primary" onClick={() => setConfirming(false)}>
                  {tq('phone.cancelNo')}
                </button>
              </div>
            ) : (
              <button type="button" class="btn btn-outline-danger" id="pt-cancel" onClick={() => setConfirming(true)}>
                {tq('phone.cancel')}
              </button>
            )
          ) : null}
        </>
      )}
    </section>
  );
}

mount(PhoneTicketPage);
