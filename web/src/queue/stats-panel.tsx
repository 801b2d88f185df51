// The console's "Statistiche" view of the queue (docs/API.md, "Queue tickets (eliminacode)",
// queue-stats): for a site and a period of local days, per service and per counter the tickets
// issued, served, no-shows and cancelled, waiting time (issued → called) and service time
// (started → done) as median, p90 and mean, and the tickets issued per local hour. Plain tables
// with caption and headers; the status line is a polite live region.

import { useEffect, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { apiMessage } from '../components/forms';
import { tq } from './i18n-queue';
import './queue.css';

interface Durations {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

interface Group {
  issued: number;
  served: number;
  no_shows: number;
  cancelled: number;
  open: number;
  waiting_s: Durations;
  service_s: Durations;
  per_hour: number[];
}

interface StatsAnswer {
  site: { id: string; name: string };
  from: string;
  to: string;
  timezone: string;
  truncated: boolean;
  total: Group;
  services: (Group & { id: string; prefix: string; name: string })[];
  counters: (Group & { id: string; name: string })[];
}

interface Site {
  id: string;
  name: string;
}

function today(tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

/** Seconds as "m:ss" (minutes may exceed 59); "—" when unknown. */
export function mmss(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  const total = Math.round(s);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function Row({ name, g }: { name: string; g: Group }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>{g.issued}</td>
      <td>{g.served}</td>
      <td>{g.no_shows}</td>
      <td>{g.cancelled}</td>
      <td>{mmss(g.waiting_s.median)}</td>
      <td>{mmss(g.waiting_s.p90)}</td>
      <td>{mmss(g.waiting_s.mean)}</td>
      <td>{mmss(g.service_s.median)}</td>
      <td>{mmss(g.service_s.p90)}</td>
      <td>{mmss(g.service_s.mean)}</td>
    </tr>
  );
}

function GroupTable({ id, caption, first, rows, total }: { id: string; caption: string; first: string; rows: { name: string; g: Group }[]; total?: Group }) {
  return (
    // Wider than a phone: the table scrolls sideways, so it can take the focus (arrow keys).
    <div class="table-responsive" tabIndex={0} role="region" aria-label={caption}>
      <table class="table table-sm qs-table" id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">{tq('stats.issued')}</th>
            <th scope="col">{tq('stats.served')}</th>
            <th scope="col">{tq('stats.noShows')}</th>
            <th scope="col">{tq('stats.cancelled')}</th>
            <th scope="col">{tq('stats.waitMedian')}</th>
            <th scope="col">{tq('stats.waitP90')}</th>
            <th scope="col">{tq('stats.waitMean')}</th>
            <th scope="col">{tq('stats.serviceMedian')}</th>
            <th scope="col">{tq('stats.serviceP90')}</th>
            <th scope="col">{tq('stats.serviceMean')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Row name={r.name} g={r.g} />
          ))}
        </tbody>
        {total && (
          <tfoot>
            <Row name={tq('stats.total')} g={total} />
          </tfoot>
        )}
      </table>
    </div>
  );
}

export function QueueStatsPanel({ slug, tz }: { slug: string; tz: string }) {
  const [sites, setSites] = useState<Site[] | null>(null);
  const [site, setSite] = useState('');
  const [from, setFrom] = useState(today(tz));
  const [to, setTo] = useState(today(tz));
  const [stats, setStats] = useState<StatsAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (s: string, f: string, t: string) => {
    if (!s) return;
    setBusy(true);
    setError(null);
    try {
      const q = new URLSearchParams({ from: f, to: t });
      setStats(await get<StatsAnswer>(`/api/v1/enti/${enc(slug)}/sites/${enc(s)}/queue-stats?${q}`));
    } catch (e) {
      setStats(null);
      setError(apiMessage(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    get<{ sites: Site[] }>(`/api/v1/enti/${enc(slug)}/sites`)
      .then((a) => {
        setSites(a.sites);
        const first = a.sites[0]?.id ?? '';
        setSite(first);
        void load(first, from, to);
      })
      .catch((e) => setError(apiMessage(e)));
  }, []);

  const submit = (ev: Event) => {
    ev.preventDefault();
    void load(site, from, to);
  };

  const hours = stats ? stats.total.per_hour.map((n, h) => ({ h, n })).filter((x) => x.n > 0) : [];

  return (
    <section class="queue-stats mt-4" aria-labelledby="qs-title" id="queue-stats">
      <h2 id="qs-title" class="h4">
        {tq('stats.title')}
      </h2>
      <form class="qs-form" onSubmit={submit}>
        {/* bootstrap-italia floats a plain form-group's label over its control: a select sits in
            a select-wrapper and a date field's label is "active" (above the value), so no label
            covers a value at 390 px (issue 15). */}
        <div class="select-wrapper form-group">
          <label for="qs-site">{tq('stats.site')}</label>
          <select id="qs-site" value={site} onChange={(e) => setSite((e.target as HTMLSelectElement).value)}>
            {(sites ?? []).map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        </div>
        <div class="form-group">
          <label for="qs-from" class="active">
            {tq('stats.from')}
          </label>
          <input id="qs-from" type="date" class="form-control" value={from} required onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </div>
        <div class="form-group">
          <label for="qs-to" class="active">
            {tq('stats.to')}
          </label>
          <input id="qs-to" type="date" class="form-control" value={to} required onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy || !site}>
          {tq('stats.show')}
        </button>
      </form>
      <p role="status" aria-live="polite" class="qs-status" id="qs-status">
        {busy ? tq('stats.loading') : stats ? tq('stats.summary', { issued: stats.total.issued, site: stats.site.name }) : ''}
      </p>
      {error && (
        <div class="alert alert-danger" role="alert" id="qs-error">
          {error}
        </div>
      )}
      {stats && (
        <>
          <p class="small">{tq('stats.note')}</p>
          <GroupTable
            id="qs-services"
            caption={tq('stats.byService', { site: stats.site.name, from, to })}
            first={tq('stats.service')}
            rows={stats.services.map((s) => ({ name: `${s.prefix} · ${s.name}`, g: s }))}
            total={stats.total}
          />
          <GroupTable id="qs-counters" caption={tq('stats.byCounter', { site: stats.site.name, from, to })} first={tq('stats.counter')} rows={stats.counters.map((c) => ({ name: c.name, g: c }))} />
          <div class="table-responsive">
            <table class="table table-sm qs-table" id="qs-hours">
              <caption>{tq('stats.perHour', { tz: stats.timezone })}</caption>
              <thead>
                <tr>
                  <th scope="col">{tq('stats.hour')}</th>
                  <th scope="col">{tq('stats.issued')}</th>
                </tr>
              </thead>
              <tbody>
                {hours.length === 0 ? (
                  <tr>
                    <td colSpan={2}>{tq('stats.none')}</td>
                  </tr>
                ) : (
                  hours.map((x) => (
                    <tr>
                      <th scope="row">{`${String(x.h).padStart(2, '0')}:00–${String(x.h).padStart(2, '0')}:59`}</th>
                      <td>{x.n}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
