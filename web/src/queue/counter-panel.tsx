// The console's counter view (docs/API.md, "Queue tickets (eliminacode)"): the operator chooses
// one of the ente's counters (remembered in localStorage), sees its state, its services with the
// people waiting (live from the site's staff topic) and the current ticket, and works it: call
// next (showing which rule chose the ticket), recall, start, done, no-show, transfer, pause.
// A polite live region says the called code; a wrong state (409) is shown as an alert.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, get } from '../api';
import { apiMessage } from '../components/forms';
import { Realtime } from '../realtime';
import { tq, type QueueKey } from './i18n-queue';
import { countersPath, queuePath, type CallKind, type CallNextAnswer, type Counter, type QueueAnswer, type Ticket } from './queue-api';
import './queue.css';

const STORE_KEY = 'sportello.counter';

function stored(): string {
  try {
    return localStorage.getItem(STORE_KEY) ?? '';
  } catch {
    return '';
  }
}

function store(id: string): void {
  try {
    if (id) localStorage.setItem(STORE_KEY, id);
    else localStorage.removeItem(STORE_KEY);
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

function priorityLabel(p: string): string {
  const key = `priority.${p}` as QueueKey;
  return ['none', 'pregnancy', 'age', 'disability', 'appointment'].includes(p) ? tq(key) : p;
}

function timeOf(iso: string, tz: string): string {
  try {
    return new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function errorText(e: unknown): string {
  if (e instanceof ApiError && e.status === 409) return tq('counter.conflict', { message: e.message });
  return apiMessage(e);
}

export function CounterPanel({ slug, tz, counterId }: { slug: string; tz: string; counterId?: string }) {
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const [chosen, setChosen] = useState<string>(stored());
  const [queue, setQueue] = useState<QueueAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<{ ticket: string; kind: CallKind } | null>(null);
  const [said, setSaid] = useState('');
  const [info, setInfo] = useState('');
  const [transferTo, setTransferTo] = useState<string | null>(null);
  const [live, setLive] = useState('');
  const realtime = useRef<Realtime | null>(null);
  const chosenRef = useRef(chosen);
  chosenRef.current = chosen;

  const counter = counters?.find((c) => c.id === chosen) ?? null;
  const siteOf = counter?.site_id ?? '';

  const loadCounters = async () => {
    try {
      const a = await get<{ counters: Counter[] }>(countersPath(slug));
      setCounters(a.counters);
    } catch (e) {
      setError(apiMessage(e));
    }
  };
  const loadQueue = async (site: string) => {
    try {
      setQueue(await get<QueueAnswer>(queuePath(slug, site)));
    } catch (e) {
      setError(apiMessage(e));
    }
  };

  useEffect(() => {
    void loadCounters();
  }, [slug]);

  // The desk opened at a counter (../line/desk-panel): this panel works that counter.
  useEffect(() => {
    if (counterId && counterId !== chosenRef.current) choose(counterId);
  }, [counterId]);

  // The site's staff topic: any issue / update / counter change reloads the counts and counters.
  useEffect(() => {
    if (!siteOf) return;
    void loadQueue(siteOf);
    if (!realtime.current) realtime.current = new Realtime();
    const rt = realtime.current;
    setLive('connecting');
    const reload = () => {
      void loadQueue(siteOf);
      void loadCounters();
    };
    const off = rt.subscribe(`site:${siteOf}:staff`, {
      // The session ended or this office is no longer ours: the page starts again (sign-in).
      onRevoked: () => location.reload(),
      onEvent: (type) => {
        if (type === 'ticket.issued' || type === 'ticket.updated' || type === 'counter.updated') reload();
      },
      onResync: reload,
      onSubscribed: () => setLive('subscribed'),
      onError: () => setLive('error'),
    });
    return () => off();
  }, [siteOf, slug]);

  useEffect(() => () => realtime.current?.close(), []);

  const choose = (id: string) => {
    setChosen(id);
    store(id);
    setError(null);
    setInfo('');
    setTransferTo(null);
  };

  const say = (msg: string) => {
    setSaid('');
    window.setTimeout(() => setSaid(msg), 60);
  };

  const act = async (fn: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    try {
      const msg = await fn();
      if (msg) {
        setInfo(msg);
        say(msg);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      await loadCounters();
      if (siteOf) await loadQueue(siteOf);
    }
  };

  const callNext = () =>
    act(async () => {
      if (!counter) return null;
      const a = await api<CallNextAnswer>('POST', `/api/v1/counters/${encodeURIComponent(counter.id)}/call-next`, {});
      if (!a.ticket) {
        setKind(null);
        return tq('counter.nobody');
      }
      const k = a.kind ?? 'normal';
      setKind({ ticket: a.ticket.id, kind: k });
      return tq('counter.called', { code: a.ticket.code, rule: tq(`counter.kind.${k}` as QueueKey) });
    });

  const ticketAction = (path: string, msgKey: QueueKey, body: unknown = {}) =>
    act(async () => {
      const cur = counter?.current;
      if (!cur) return null;
      const tk = await api<Ticket>('POST', `/api/v1/tickets/${encodeURIComponent(cur.id)}/${path}`, body);
      return tq(msgKey, { code: tk.code, service: tk.service?.name ?? '' });
    });

  const pause = () =>
    act(async () => {
      if (!counter) return null;
      await api<Counter>('POST', `/api/v1/counters/${encodeURIComponent(counter.id)}/pause`, {});
      return tq('counter.paused');
    });

  const cur = counter?.current ?? null;
  const serviceName = (id: string) => queue?.services.find((s) => s.id === id);
  const others = (queue?.services ?? []).filter((s) => !cur || s.id !== cur.service.id);

  return (
    <section class="panel counter-panel" aria-labelledby="counter-title" id="counter-panel" data-live={live}>
      <h2 id="counter-title" class="h4">
        {tq('counter.title')}
      </h2>
      {counters && counters.length === 0 && <p>{tq('counter.noCounters')}</p>}
      {counters && counters.length > 0 && (
        <div class="select-wrapper mb-4">
          <label for="counter-select">{tq('counter.choose')}</label>
          <select id="counter-select" value={chosen} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
            <option value="">{tq('counter.chooseNone')}</option>
            {counters.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </div>
      )}
      {error && (
        <div class="alert alert-danger" role="alert" id="counter-error">
          {error}
        </div>
      )}
      {counter && (
        <div class="counter-body" data-counter={counter.name}>
          <p class="mb-2">
            {tq('counter.state')}:{' '}
            <strong id="counter-state" data-state={counter.state}>
              {tq(`counter.state.${counter.state}` as QueueKey)}
            </strong>
          </p>
          <h3 class="h6" id="counter-services-title">
            {tq('counter.services')}
          </h3>
          <ul class="counter-services" aria-labelledby="counter-services-title" id="counter-services">
            {counter.services.map((id) => {
              const s = serviceName(id);
              return (
                <li data-service={s?.prefix ?? id}>
                  <span class="counter-prefix">{s?.prefix ?? ''}</span> <span>{s?.name ?? id}</span>{' '}
                  <span class="counter-waiting">{tq('counter.waitingN', { n: s?.waiting ?? 0 })}</span>
                </li>
              );
            })}
          </ul>

          <h3 class="h6">{tq('counter.current')}</h3>
          {!cur ? (
            <p id="counter-no-current">{tq('counter.noCurrent')}</p>
          ) : (
            <div class="counter-current" id="counter-current" data-ticket={cur.id} data-state={cur.state}>
              <p class="counter-code" id="counter-code">
                {cur.code}
              </p>
              <dl class="counter-facts">
                <div>
                  <dt>{tq('counter.ticketState')}</dt>
                  <dd id="counter-ticket-state">{tq(`counter.tstate.${cur.state}` as QueueKey)}</dd>
                </div>
                <div>
                  <dt>{tq('counter.service')}</dt>
                  <dd>{cur.service.name}</dd>
                </div>
                <div>
                  <dt>{tq('counter.priority')}</dt>
                  <dd>{priorityLabel(cur.priority)}</dd>
                </div>
                <div>
                  <dt>{tq('counter.since')}</dt>
                  <dd>{timeOf(cur.issued_at, tz)}</dd>
                </div>
                {cur.recalls > 0 && (
                  <div>
                    <dt>{tq('counter.recalls')}</dt>
                    <dd>{cur.recalls}</dd>
                  </div>
                )}
                {kind && kind.ticket === cur.id && (
                  <div>
                    <dt>{tq('counter.rule')}</dt>
                    <dd id="counter-rule">{tq(`counter.kind.${kind.kind}` as QueueKey)}</dd>
                  </div>
                )}
              </dl>
            </div>
          )}

          <div class="counter-actions" role="group" aria-label={tq('counter.actions')}>
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void callNext()}>
              {tq('counter.callNext')}
            </button>
            <button type="button" class="btn btn-outline-primary" disabled={busy || cur?.state !== 'called'} onClick={() => void ticketAction('recall', 'counter.recalled')}>
              {tq('counter.recall')}
            </button>
            <button type="button" class="btn btn-outline-primary" disabled={busy || cur?.state !== 'called'} onClick={() => void ticketAction('start', 'counter.started')}>
              {tq('counter.start')}
            </button>
            <button type="button" class="btn btn-outline-primary" disabled={busy || cur?.state !== 'serving'} onClick={() => void ticketAction('done', 'counter.finished')}>
              {tq('counter.done')}
            </button>
            <button type="button" class="btn btn-outline-danger" disabled={busy || cur?.state !== 'called'} onClick={() => void ticketAction('no-show', 'counter.noShowDone')}>
              {tq('counter.noShow')}
            </button>
            <button
              type="button"
              class="btn btn-outline-secondary"
              disabled={busy || !cur || others.length === 0}
              aria-expanded={transferTo !== null}
              aria-controls="counter-transfer"
              onClick={() => setTransferTo(transferTo === null ? (others[0]?.id ?? '') : null)}
            >
              {tq('counter.transfer')}
            </button>
            <button type="button" class="btn btn-outline-secondary" disabled={busy || counter.state !== 'open'} onClick={() => void pause()}>
              {tq('counter.pause')}
            </button>
          </div>

          {transferTo !== null && cur && (
            <form
              id="counter-transfer"
              class="counter-transfer mt-3"
              onSubmit={(e) => {
                e.preventDefault();
                const to = transferTo;
                setTransferTo(null);
                void ticketAction('transfer', 'counter.transferred', { service: to });
              }}
            >
              <div class="select-wrapper mb-3">
                <label for="counter-transfer-service">{tq('counter.transferTo')}</label>
                <select id="counter-transfer-service" value={transferTo} onChange={(e) => setTransferTo((e.target as HTMLSelectElement).value)}>
                  {others.map((s) => (
                    <option value={s.id}>
                      {s.prefix} – {s.name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="btn btn-primary me-2" disabled={busy || !transferTo}>
                {tq('counter.transferConfirm')}
              </button>
              <button type="button" class="btn btn-outline-secondary" onClick={() => setTransferTo(null)}>
                {tq('counter.transferCancel')}
              </button>
            </form>
          )}
          {info && (
            <p class="counter-info mt-3 mb-0" id="counter-info">
              {info}
            </p>
          )}
        </div>
      )}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="counter-announcer">
        {said}
      </div>
    </section>
  );
}
