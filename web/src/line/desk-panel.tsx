// The console's desk (sportello) panel — the one line (docs/LINE.md): the operator opens a desk
// at a counter (the hall's numbers, and remote contacts too when the station has camera and
// headset) or remotely (remote contacts only); "Chiama il prossimo" takes the next entry by the
// one policy whatever its channel; the desk's line lists who waits, in the order they would be
// served, each with its own "Chiama" (the operator's pick). A called number shows on the
// counter panel and the board, an admitted knock opens in the conversations, a callback shows
// here with its phone number until it is recorded as made. The line reloads live (the site's
// and the offices' staff topics) and every 30 s (callbacks falling due).

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, get, type Operator } from '../api';
import { apiMessage, Checkbox, CheckboxGroup, SelectField, TextField } from '../components/forms';
import { announce } from '../components/layout';
import { Realtime } from '../realtime';
import { countersPath, type Counter, type Ticket } from '../queue/queue-api';
import { tl, type LineKey } from './i18n-line';
import './desk.css';

export interface Desk {
  id: string;
  operator_id: string;
  kind: 'counter' | 'remote';
  counter: { id: string; name: string } | null;
  site_id: string | null;
  remote: boolean;
  services: string[];
  offices: string[];
  opened_at: string;
}

type Channel = 'ticket' | 'visit' | 'callback';
type Kind = 'appointment' | 'priority' | 'normal' | 'fairness';

interface LineEntry {
  id: string;
  channel: Channel;
  class: Kind;
  arrived_at: string;
  // tickets
  code?: string;
  service?: { id: string; name: string };
  source?: string;
  priority?: string;
  appointment_at?: string | null;
  // visits
  name?: string;
  topic?: string;
  mode?: string;
  via?: string;
  office?: { id: string; name: string };
  // callbacks
  case?: { code: string; subject: string };
  /** A phone call logged as waiting (in line by the time of the call), not a promised callback. */
  waiting_call?: boolean;
}

interface Callback {
  id: string;
  case: { id: string; code: string; subject: string };
  phone: string;
  note: string;
  due_at: string;
}

interface NextAnswer {
  desk: Desk;
  channel: Channel | null;
  kind: Kind | null;
  ticket?: Ticket;
  visit?: { id: string; name?: string | null };
  callback?: Callback;
}

function timeOf(iso: string, tz: string): string {
  try {
    return new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function who(e: LineEntry): string {
  if (e.channel === 'ticket') return tl('desk.channel.ticket', { code: e.code ?? '' });
  if (e.channel === 'callback') return tl('desk.case', { code: e.case?.code ?? '' });
  return e.name?.trim() || tl('desk.someone');
}

function detail(e: LineEntry): string {
  if (e.channel === 'ticket') {
    const source = e.priority === 'appointment' ? 'appointment' : (e.source ?? '');
    const src = `desk.source.${source}` as LineKey;
    return [e.service?.name, ['machine', 'phone', 'appointment', 'staff'].includes(source) ? tl(src) : null]
      .filter(Boolean)
      .join(' · ');
  }
  if (e.channel === 'callback')
    return [tl(e.waiting_call ? 'desk.channel.waitingCall' : 'desk.channel.callback'), e.case?.subject, e.office?.name].filter(Boolean).join(' · ');
  const mode = e.mode === 'video' || e.mode === 'chat' ? tl(`desk.mode.${e.mode}` as LineKey) : e.mode;
  const via = ['web', 'widget', 'kiosk', 'appointment'].includes(e.via ?? '') ? tl(`desk.via.${e.via}` as LineKey) : '';
  return [`${tl('desk.channel.visit')} (${mode}${via ? ', ' + via : ''})`, e.topic, e.office?.name].filter(Boolean).join(' · ');
}

function errorText(e: unknown): string {
  if (e instanceof ApiError && e.code === 'taken') return tl('desk.taken');
  if (e instanceof ApiError && e.code === 'gone') return tl('desk.gone');
  return apiMessage(e);
}

function OpenForm({ slug, operator, onOpened }: { slug: string; operator: Operator; onOpened: (d: Desk) => void }) {
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const [where, setWhere] = useState<'counter' | 'remote'>('counter');
  const [counterId, setCounterId] = useState(() => {
    try {
      return localStorage.getItem('sportello.counter') ?? '';
    } catch {
      return '';
    }
  });
  const [camera, setCamera] = useState(false);
  const [offices, setOffices] = useState<string[]>(operator.offices.map((o) => o.id));
  const [errors, setErrors] = useState<{ counter_id?: string; offices?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ counters: Counter[] }>(countersPath(slug))
      .then((a) => setCounters(a.counters.filter((k) => k.active !== false)))
      .catch((e) => setErrors({ form: apiMessage(e) }));
  }, [slug]);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (where === 'counter' && !counterId) return setErrors({ counter_id: tl('desk.noCounter') });
    if (where === 'remote' && offices.length === 0) return setErrors({ offices: tl('desk.noOffice') });
    setErrors({});
    setBusy(true);
    try {
      const body = where === 'counter' ? { counter_id: counterId, remote: camera } : { offices };
      const d = await api<Desk>('POST', '/api/v1/desks', body);
      try {
        if (d.counter) localStorage.setItem('sportello.counter', d.counter.id);
      } catch {
        // storage unavailable: the choice lasts for this page only
      }
      announce(tl('desk.opened'));
      onOpened(d);
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      if (field === 'counter_id' || field === 'offices') setErrors({ [field]: errorText(e) });
      else setErrors({ form: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate id="desk-open-form">
      <p>{tl('desk.intro')}</p>
      {errors.form && (
        <div class="alert alert-danger" role="alert">
          {errors.form}
        </div>
      )}
      <fieldset class="form-fieldset mb-3">
        <legend class="fieldset-legend">{tl('desk.where')}</legend>
        {(['counter', 'remote'] as const).map((w) => (
          <div class="form-check">
            <input
              type="radio"
              name="desk-where"
              id={`desk-where-${w}`}
              checked={where === w}
              onChange={() => setWhere(w)}
              aria-describedby={w === 'remote' ? 'desk-where-remote-hint' : undefined}
            />
            <label for={`desk-where-${w}`}>{tl(w === 'counter' ? 'desk.atCounter' : 'desk.atHome')}</label>
            {w === 'remote' && (
              <small class="form-text d-block" id="desk-where-remote-hint">
                {tl('desk.atHomeHint')}
              </small>
            )}
          </div>
        ))}
      </fieldset>
      {where === 'counter' && (
        <>
          <SelectField
            id="desk-counter"
            label={tl('desk.counter')}
            value={counterId}
            onChange={setCounterId}
            error={errors.counter_id}
            options={[
              { value: '', label: tl('desk.counterNone') },
              ...(counters ?? []).map((k) => ({ value: k.id, label: k.name })),
            ]}
          />
          <Checkbox id="desk-camera" label={tl('desk.camera')} checked={camera} onChange={setCamera} />
        </>
      )}
      {where === 'remote' && (
        <CheckboxGroup
          id="desk-offices"
          label={tl('desk.offices')}
          values={offices}
          onChange={setOffices}
          error={errors.offices}
          options={operator.offices.map((o) => ({ value: o.id, label: o.name }))}
        />
      )}
      <button type="submit" class="btn btn-primary mt-3" disabled={busy}>
        {tl('desk.open')}
      </button>
    </form>
  );
}

function CallbackCard({ callback, onDone }: { callback: Callback; onDone: () => void }) {
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (!outcome.trim()) return setError(tl('desk.outcome'));
    setBusy(true);
    try {
      await api('POST', `/api/v1/case-callbacks/${encodeURIComponent(callback.id)}/done`, { outcome: outcome.trim() });
      announce(tl('desk.callbackSaved'));
      onDone();
    } catch (e) {
      setError(apiMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="desk-current" id="desk-callback" data-callback={callback.id}>
      <dl class="desk-facts">
        <div>
          <dt>{tl('desk.callbackPhone')}</dt>
          <dd>
            <a href={`tel:${callback.phone.replace(/[^+\d]/g, '')}`} id="desk-callback-phone">
              {callback.phone}
            </a>
          </dd>
        </div>
        <div>
          <dt>{tl('desk.callbackSubject')}</dt>
          <dd>
            {tl('desk.case', { code: callback.case.code })}: {callback.case.subject}
          </dd>
        </div>
        {callback.note && (
          <div>
            <dt>{tl('desk.callbackNote')}</dt>
            <dd>{callback.note}</dd>
          </div>
        )}
      </dl>
      <form onSubmit={submit} noValidate>
        <TextField id="desk-callback-outcome" label={tl('desk.outcome')} value={outcome} onInput={setOutcome} error={error} required />
        <button type="submit" class="btn btn-outline-primary" disabled={busy}>
          {tl('desk.callbackDone')}
        </button>
      </form>
    </div>
  );
}

export function DeskPanel({
  slug,
  operator,
  tz,
  onDesk,
}: {
  slug: string;
  operator: Operator;
  tz: string;
  onDesk?: (d: Desk | null) => void;
}) {
  const [desk, setDesk] = useState<Desk | null | undefined>(undefined);
  const [entries, setEntries] = useState<LineEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const [callback, setCallback] = useState<Callback | null>(null);
  const [said, setSaid] = useState('');
  const realtime = useRef<Realtime | null>(null);

  const show = (d: Desk | null) => {
    setDesk(d);
    onDesk?.(d);
  };
  const loadLine = async () => {
    try {
      const a = await get<{ desk: Desk; entries: LineEntry[] }>('/api/v1/desks/mine/line');
      setEntries(a.entries);
      setError(null);
    } catch (e) {
      // The desk was closed elsewhere (logout on another tab, away): back to the form.
      if (e instanceof ApiError && e.status === 404) {
        show(null);
        setEntries([]);
      } else setError(apiMessage(e));
    }
  };
  const loadDesk = async () => {
    try {
      const a = await get<{ desk: Desk | null }>('/api/v1/desks/mine');
      show(a.desk);
      if (a.desk) await loadLine();
    } catch (e) {
      setError(apiMessage(e));
    }
  };

  // The server closes the desk when the operator goes away: follow the presence.
  useEffect(() => {
    void loadDesk();
  }, [slug, operator.presence]);

  const deskKey = desk ? desk.id : '';
  useEffect(() => {
    if (!desk) return;
    if (!realtime.current) realtime.current = new Realtime();
    const rt = realtime.current;
    let timer = 0;
    const reload = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void loadLine(), 150);
    };
    const topics = [
      ...(desk.site_id ? [`site:${desk.site_id}:staff`] : []),
      ...(desk.remote ? desk.offices.map((o) => `office:${o}:staff`) : []),
    ];
    const offs = topics.map((topic) =>
      rt.subscribe(topic, { onEvent: reload, onResync: reload, onRevoked: () => location.reload() }),
    );
    const poll = window.setInterval(() => void loadLine(), 30_000);
    return () => {
      offs.forEach((off) => off());
      window.clearInterval(poll);
      window.clearTimeout(timer);
    };
  }, [deskKey]);
  useEffect(() => () => realtime.current?.close(), []);

  const say = (msg: string) => {
    setInfo(msg);
    setSaid('');
    window.setTimeout(() => setSaid(msg), 60);
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      await loadLine();
    }
  };

  const took = (a: NextAnswer) => {
    setDesk(a.desk);
    if (!a.channel) return say(tl('desk.nobody'));
    const rule = tl(`desk.class.${a.kind ?? 'normal'}` as LineKey);
    if (a.ticket) say(tl('desk.calledTicket', { code: a.ticket.code, rule }));
    if (a.visit) say(tl('desk.calledVisit', { who: a.visit.name?.trim() || tl('desk.someone'), rule }));
    if (a.callback) {
      setCallback(a.callback);
      say(tl('desk.calledCallback', { code: a.callback.case.code, rule }));
    }
  };
  const next = () => run(async () => took(await api<NextAnswer>('POST', '/api/v1/desks/mine/next', {})));
  const take = (id: string) => run(async () => took(await api<NextAnswer>('POST', '/api/v1/desks/mine/take', { id })));
  const close = () =>
    run(async () => {
      await api('DELETE', '/api/v1/desks/mine');
      show(null);
      setEntries([]);
      setInfo('');
      say(tl('desk.closed'));
    });

  const summary = desk
    ? desk.counter
      ? tl(desk.remote ? 'desk.isCounterRemote' : 'desk.isCounter', { counter: desk.counter.name })
      : tl('desk.isRemote')
    : '';

  return (
    <section class="panel desk-panel" aria-labelledby="desk-title" id="desk-panel" data-desk={desk ? desk.kind : 'none'}>
      <h2 id="desk-title" class="h4">
        {tl('desk.title')}
      </h2>
      {error && (
        <div class="alert alert-danger" role="alert" id="desk-error">
          {error}
        </div>
      )}
      {desk === null && <OpenForm slug={slug} operator={operator} onOpened={(d) => { show(d); void loadLine(); }} />}
      {desk && (
        <>
          <div class="desk-head">
            <p class="desk-summary mb-0" id="desk-summary">
              <strong>{summary}</strong>
              <small class="d-block">{tl('desk.away')}</small>
            </p>
            <div class="desk-actions">
              <button type="button" class="btn btn-primary btn-lg" id="desk-next" disabled={busy} onClick={() => void next()}>
                {tl('desk.callNext')}
              </button>
              <button type="button" class="btn btn-outline-secondary" id="desk-close" disabled={busy} onClick={() => void close()}>
                {tl('desk.close')}
              </button>
            </div>
          </div>
          {info && (
            <p class="desk-info" id="desk-info">
              {info}
            </p>
          )}
          {callback && <CallbackCard callback={callback} onDone={() => setCallback(null)} />}
          <h3 class="h6 mt-3" id="desk-line-title">
            {tl('desk.line')} <span class="badge bg-secondary" id="desk-line-count">{tl('desk.lineCount', { n: entries.length })}</span>
          </h3>
          {entries.length === 0 ? (
            <p id="desk-line-empty">{tl('desk.lineEmpty')}</p>
          ) : (
            <ol class="desk-line" aria-labelledby="desk-line-title" id="desk-line">
              {entries.map((e) => (
                <li class="desk-entry" data-channel={e.channel} data-class={e.class} data-id={e.id}>
                  <div class="desk-entry-text">
                    <span class="desk-who">{who(e)}</span>
                    {(e.class === 'appointment' || e.class === 'priority') && (
                      <span class={`badge desk-class desk-class-${e.class}`}>{tl(`desk.class.${e.class}` as LineKey)}</span>
                    )}
                    <span class="desk-detail d-block">{detail(e)}</span>
                    <span class="desk-since d-block">
                      {e.class === 'appointment' && e.appointment_at
                        ? tl('desk.at', { time: timeOf(e.appointment_at, tz) })
                        : tl('desk.since', { time: timeOf(e.arrived_at, tz) })}
                    </span>
                  </div>
                  <button
                    type="button"
                    class="btn btn-outline-primary btn-sm desk-take"
                    disabled={busy}
                    aria-label={tl('desk.takeWho', { who: who(e) })}
                    onClick={() => void take(e.id)}
                  >
                    {tl('desk.take')}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="desk-announcer">
        {said}
      </div>
    </section>
  );
}
