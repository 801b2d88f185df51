// The console's appointments panel: the day's bookings of one of the operator's offices (time,
// person, service, mode, state) with Arrivato (check-in: a priority ticket for the counters) /
// Non presentato / Concluso. Live: a `booking.updated` event on `ente:{slug}:staff` (a booking,
// a cancellation, a move, another operator's check-in) reloads the day; also every 60 s and after
// each action. The result of an action is said in a polite live region. "Assegna a me" /
// "Rilascia" set the operator who will receive the citizen (shown to them as "Ti riceverà"); a
// video appointment's visit is then reserved for that operator.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, type Operator } from '../api';
import { apiMessage } from '../components/forms';
import { Realtime } from '../realtime';
import type { Booking } from './booking-api';
import { tb } from './i18n-booking';
import './booking.css';

interface AgendaAnswer {
  office: { id: string; slug: string; name: string };
  date: string;
  bookings: (Booking & { ticket?: { id: string; code: string } | null })[];
}

function today(tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function AgendaPanel({ slug, operator, tz }: { slug: string; operator: Operator; tz: string }) {
  const offices = operator.offices ?? [];
  const [office, setOffice] = useState(offices[0]?.id ?? '');
  const [date, setDate] = useState(today(tz));
  const [data, setData] = useState<AgendaAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const [tickets, setTickets] = useState<Record<string, string>>({});

  // Answers can come back out of order (the office changed, then the day, before the first answer
  // came): only the answer to the latest request is shown, never an older day's list.
  const latest = useRef(0);
  const load = async () => {
    if (!office || !date) return;
    const ask = ++latest.current;
    try {
      const answer = await api<AgendaAnswer>('GET', `/api/v1/enti/${enc(slug)}/offices/${enc(office)}/agenda?date=${enc(date)}`);
      if (ask !== latest.current) return;
      setData(answer);
      setError(null);
    } catch (e) {
      if (ask !== latest.current) return;
      setError(apiMessage(e));
    }
  };

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), 60_000);
    return () => window.clearInterval(timer);
  }, [office, date]);

  // The latest load() (it closes over the chosen office and day) for the live events.
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (offices.length === 0) return;
    const rt = new Realtime();
    const off = rt.subscribe(`ente:${slug}:staff`, {
      // The session ended or this office is no longer ours: the page starts again (sign-in).
      onRevoked: () => location.reload(),
      onEvent: (type) => {
        if (type === 'booking.updated') void loader.current();
      },
      onResync: () => void loader.current(),
    });
    return () => {
      off();
      rt.close();
    };
  }, [slug]);

  const assign = async (b: Booking, action: 'assign' | 'unassign') => {
    try {
      const r = await api<Booking>('POST', `/api/v1/enti/${enc(slug)}/bookings/${enc(b.code)}/${action}`, {});
      setSaid(
        r.operator
          ? tb('agenda.assigned', { name: `${b.first_name} ${b.last_name}`, operator: r.operator.display_name })
          : tb('agenda.unassigned', { name: `${b.first_name} ${b.last_name}` }),
      );
      setError(null);
      await load();
    } catch (e) {
      setError(apiMessage(e));
    }
  };

  const act = async (b: Booking, action: 'arrived' | 'no-show' | 'done') => {
    try {
      const r = await api<Booking & { ticket?: { id: string; code: string } | null }>('POST', `/api/v1/enti/${enc(slug)}/bookings/${enc(b.code)}/${action}`, {});
      if (r.ticket) setTickets({ ...tickets, [b.code]: r.ticket.code });
      setSaid(
        tb('agenda.updated', { name: `${b.first_name} ${b.last_name}`, state: tb(`state.${r.state}`) }) +
          (r.ticket ? ` · ${tb('agenda.ticket', { code: r.ticket.code })}` : ''),
      );
      setError(null);
      await load();
    } catch (e) {
      setError(apiMessage(e));
    }
  };

  if (offices.length === 0) return null;
  return (
    <section class="panel mb-4" aria-labelledby="agenda-title" id="agenda-panel">
      <h2 id="agenda-title" class="h4">
        {tb('agenda.title')}
      </h2>
      <div class="row g-3 mb-3">
        <div class="col-sm-6">
          <label for="agenda-office" class="form-label">
            {tb('agenda.office')}
          </label>
          <select id="agenda-office" class="form-select" value={office} onChange={(e) => setOffice((e.target as HTMLSelectElement).value)}>
            {offices.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
        </div>
        <div class="col-sm-6">
          <label for="agenda-date" class="form-label">
            {tb('agenda.date')}
          </label>
          <input id="agenda-date" type="date" class="form-control" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <div class="visually-hidden" aria-live="polite">
        {said}
      </div>
      {said && <p class="text-success">{said}</p>}
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {data && data.bookings.length === 0 && <p>{tb('agenda.none')}</p>}
      {data && data.bookings.length > 0 && (
        <div class="table-responsive">
          <table class="table table-sm" id="agenda-table">
            <caption class="visually-hidden">
              {tb('agenda.title')}: {data.office.name}, {data.date}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tb('agenda.time')}</th>
                <th scope="col">{tb('agenda.person')}</th>
                <th scope="col">{tb('agenda.service')}</th>
                <th scope="col">{tb('agenda.state')}</th>
                <th scope="col">{tb('agenda.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.bookings.map((b) => (
                <tr data-code={b.code}>
                  <td>{b.start}</td>
                  <th scope="row">
                    {b.first_name} {b.last_name}
                    <span class="d-block small text-muted">
                      {b.code} · {tb(`mode.${b.mode}`)}
                    </span>
                  </th>
                  <td>{b.service?.name ?? '—'}</td>
                  <td>
                    {tb(`state.${b.state}`)}
                    {tickets[b.code] && <span class="d-block small">{tb('agenda.ticket', { code: tickets[b.code] })}</span>}
                    {b.operator && (
                      <span class="d-block small" data-testid="agenda-operator">
                        {tb('agenda.operator', { name: b.operator.display_name })}
                      </span>
                    )}
                  </td>
                  <td class="d-flex flex-wrap gap-1">
                    {b.state === 'booked' && b.operator?.id !== operator.id && offices.some((o) => o.id === b.office.id) && (
                      <button type="button" class="btn btn-sm btn-outline-primary" onClick={() => void assign(b, 'assign')}>
                        {tb('agenda.assignMe')}
                        <span class="visually-hidden">: {b.first_name} {b.last_name}</span>
                      </button>
                    )}
                    {b.state === 'booked' && b.operator && (
                      <button type="button" class="btn btn-sm btn-outline-secondary" onClick={() => void assign(b, 'unassign')}>
                        {tb('agenda.unassign')}
                        <span class="visually-hidden">: {b.first_name} {b.last_name}</span>
                      </button>
                    )}
                    {b.state === 'booked' && (
                      <>
                        <button type="button" class="btn btn-sm btn-primary" onClick={() => void act(b, 'arrived')}>
                          {tb('agenda.arrived')}
                          <span class="visually-hidden">: {b.first_name} {b.last_name}</span>
                        </button>
                        <button type="button" class="btn btn-sm btn-outline-primary" onClick={() => void act(b, 'no-show')}>
                          {tb('agenda.noShow')}
                          <span class="visually-hidden">: {b.first_name} {b.last_name}</span>
                        </button>
                      </>
                    )}
                    {(b.state === 'booked' || b.state === 'arrived') && (
                      <button type="button" class="btn btn-sm btn-outline-primary" onClick={() => void act(b, 'done')}>
                        {tb('agenda.done')}
                        <span class="visually-hidden">: {b.first_name} {b.last_name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
