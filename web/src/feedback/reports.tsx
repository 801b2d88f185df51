// The reports page's body (supervisors and admins): a period and filters, the figures of
// GET /api/v1/enti/{slug}/reports/figures as charts (each with its table), a breakdown table by
// office / service / channel / operator, CSV and JSON downloads of the same figures, printable.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, enc, get } from '../api';
import { announce } from '../components/layout';
import { COLORS, FigureChart } from './figure-chart';
import { tr } from './i18n-reports';

interface Duration {
  count: number;
  mean_s: number | null;
  median_s: number | null;
  p90_s: number | null;
}
interface Satisfaction {
  ratings: number;
  positive: number;
  neutral: number;
  negative: number;
  positive_share: number | null;
  neutral_share: number | null;
  negative_share: number | null;
  reasons: Record<string, number>;
}
export interface Group {
  day?: string;
  office?: string;
  service?: string;
  channel?: string;
  operator?: string;
  name?: string;
  contacts: number;
  served: number;
  abandoned: number;
  no_show: number;
  fcr: { eligible: number; resolved: number; rate: number | null; target: number; met: boolean | null };
  wait: Duration;
  service_time: Duration;
  satisfaction: Satisfaction;
}
export interface Figures {
  from: string;
  to: string;
  timezone: string;
  fcr_target: number;
  total: Group;
  by_day: Group[];
  by_hour: { hour: number; contacts: number }[];
  by_office: Group[];
  by_service: Group[];
  by_channel: Group[];
  by_operator: Group[] | null;
}

const REASONS = ['waiting_time', 'courtesy', 'competence', 'clarity', 'not_solved', 'technical'] as const;
export const REPORT_CHANNELS = ['visit', 'ticket', 'appointment', 'case', 'phone'] as const;
type Dimension = 'office' | 'service' | 'channel' | 'operator';

const pct = (v: number | null | undefined) => (v == null ? tr('reports.none') : `${Math.round(v * 1000) / 10}%`);
const minutes = (s: number | null | undefined) => (s == null ? null : Math.round((s / 60) * 10) / 10);
const fmtMin = (v: number | null) => (v == null ? tr('reports.none') : tr('unit.min', { n: v.toLocaleString() }));
const fmtDuration = (s: number | null | undefined) =>
  s == null ? tr('reports.none') : s < 120 ? tr('unit.s', { n: Math.round(s) }) : tr('unit.min', { n: minutes(s)!.toLocaleString() });

export function channelLabel(c: string): string {
  return (REPORT_CHANNELS as readonly string[]).includes(c) ? tr(`channel.${c}` as 'channel.visit') : c;
}

function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface Query {
  from: string;
  to: string;
  office: string;
  service: string;
  channel: string;
  operator: string;
}

function queryString(q: Query): string {
  const p = new URLSearchParams({ from: q.from, to: q.to });
  for (const k of ['office', 'service', 'channel', 'operator'] as const) if (q[k]) p.set(k, q[k]);
  return p.toString();
}

function initialQuery(): Query {
  const p = new URLSearchParams(location.search);
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  return {
    from: p.get('from') ?? isoDay(monthAgo),
    to: p.get('to') ?? isoDay(today),
    office: p.get('office') ?? '',
    service: p.get('service') ?? '',
    channel: p.get('channel') ?? '',
    operator: p.get('operator') ?? '',
  };
}

interface Option {
  id: string;
  name: string;
}

function mergeOptions(prev: Option[], groups: Group[] | null, key: 'office' | 'service' | 'operator'): Option[] {
  const m = new Map(prev.map((o) => [o.id, o.name]));
  for (const g of groups ?? []) {
    const id = g[key];
    if (typeof id === 'string' && id) m.set(id, g.name ?? id);
  }
  return [...m.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export function Reports({ slug }: { slug: string }) {
  const [draft, setDraft] = useState<Query>(initialQuery);
  const [query, setQuery] = useState<Query>(draft);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<{ office: Option[]; service: Option[]; operator: Option[] }>({ office: [], service: [], operator: [] });
  const [dimension, setDimension] = useState<Dimension>('office');

  const base = `/api/v1/enti/${enc(slug)}/reports/figures?${queryString(query)}`;
  useEffect(() => {
    setBusy(true);
    get<Figures>(base)
      .then((f) => {
        setFigures(f);
        setError(null);
        setOptions((o) => ({
          office: mergeOptions(o.office, f.by_office, 'office'),
          service: mergeOptions(o.service, f.by_service, 'service'),
          operator: mergeOptions(o.operator, f.by_operator, 'operator'),
        }));
        announce(tr('reports.period', { from: f.from, to: f.to, tz: f.timezone }));
      })
      .catch((e) => {
        setFigures(null);
        setError({ message: e instanceof Error ? e.message : String(e), field: e instanceof ApiError ? (e.field ?? null) : null });
      })
      .finally(() => setBusy(false));
  }, [base]);

  const submit = (ev: Event) => {
    ev.preventDefault();
    history.replaceState(null, '', `?${queryString(draft)}`);
    setQuery({ ...draft });
  };
  const field = (k: keyof Query) => ({
    id: `rq-${k}`,
    value: draft[k],
    onInput: (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value }),
    'aria-invalid': error?.field === k ? true : undefined,
    'aria-describedby': error?.field === k ? 'rq-error' : undefined,
  });
  const select = (k: 'office' | 'service' | 'operator' | 'channel', label: string, opts: Option[]) => (
    <div class="col-6 col-lg-3 mb-3">
      <label class="form-label d-block" for={`rq-${k}`}>
        {label}
      </label>
      <select class="form-select" {...field(k)} onChange={(e) => setDraft({ ...draft, [k]: (e.target as HTMLSelectElement).value })}>
        <option value="">{tr('reports.all')}</option>
        {opts.map((o) => (
          <option value={o.id}>{o.name}</option>
        ))}
      </select>
    </div>
  );

  return (
    <div class="reports">
      <p class="lead">{tr('reports.lead')}</p>
      <form class="reports-filters no-print" onSubmit={submit} aria-labelledby="rq-legend">
        <h2 class="h4" id="rq-legend">
          {tr('reports.filters')}
        </h2>
        <div class="row">
          <div class="col-6 col-lg-3 mb-3">
            <label class="form-label d-block" for="rq-from">
              {tr('reports.from')}
            </label>
            <input class="form-control" type="date" required {...field('from')} />
          </div>
          <div class="col-6 col-lg-3 mb-3">
            <label class="form-label d-block" for="rq-to">
              {tr('reports.to')}
            </label>
            <input class="form-control" type="date" required {...field('to')} />
          </div>
          {select('office', tr('reports.office'), options.office)}
          {select('channel', tr('reports.channel'), REPORT_CHANNELS.map((c) => ({ id: c, name: channelLabel(c) })))}
          {select('service', tr('reports.service'), options.service)}
          {select('operator', tr('reports.operator'), options.operator)}
        </div>
        <div class="d-flex flex-wrap gap-2 align-items-center">
          <button class="btn btn-primary" type="submit" disabled={busy}>
            {tr('reports.apply')}
          </button>
          <a class="btn btn-outline-primary" href={`${base}&format=csv`} download data-export="csv">
            {tr('reports.csv')}
          </a>
          <a class="btn btn-outline-primary" href={`${base}&format=json`} download={`sportello-${query.from}-${query.to}.json`} data-export="json">
            {tr('reports.json')}
          </a>
          <button class="btn btn-outline-secondary" type="button" onClick={() => window.print()}>
            {tr('reports.print')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {error && (
          <div class="alert alert-danger mt-3" role="alert" id="rq-error">
            {error.message}
          </div>
        )}
      </div>
      {figures && <FiguresView f={figures} dimension={dimension} setDimension={setDimension} />}
    </div>
  );
}

function Summary({ f }: { f: Figures }) {
  const t = f.total;
  const s = t.satisfaction;
  const items: [string, string, string?][] = [
    [tr('reports.contacts'), t.contacts.toLocaleString()],
    [tr('reports.served'), t.served.toLocaleString()],
    [tr('reports.abandoned'), t.abandoned.toLocaleString()],
    [tr('reports.noShow'), t.no_show.toLocaleString()],
    [
      tr('reports.fcr'),
      pct(t.fcr.rate),
      `${tr('reports.fcrTarget', { target: pct(f.fcr_target) })}${t.fcr.met == null ? '' : ` · ${t.fcr.met ? tr('reports.fcrMet') : tr('reports.fcrMissed')}`}`,
    ],
    [tr('reports.waitMedian'), fmtDuration(t.wait.median_s)],
    [tr('reports.waitP90'), fmtDuration(t.wait.p90_s)],
    [tr('reports.serviceMedian'), fmtDuration(t.service_time.median_s)],
    [tr('reports.serviceP90'), fmtDuration(t.service_time.p90_s)],
    [tr('reports.ratings'), s.ratings.toLocaleString(), s.ratings ? `${tr('reports.positive')} ${pct(s.positive_share)}` : undefined],
  ];
  return (
    <section aria-labelledby="rs-title" class="mt-4">
      <h2 class="h4" id="rs-title">
        {tr('reports.summary')}
      </h2>
      <p class="text-muted">{tr('reports.period', { from: f.from, to: f.to, tz: f.timezone })}</p>
      <dl class="reports-summary">
        {items.map(([k, v, note]) => (
          <div class="reports-kpi">
            <dt>{k}</dt>
            <dd>
              <span class="reports-kpi-value">{v}</span>
              {note && <span class="reports-kpi-note">{note}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function FiguresView({ f, dimension, setDimension }: { f: Figures; dimension: Dimension; setDimension: (d: Dimension) => void }) {
  if (f.total.contacts === 0 && f.total.satisfaction.ratings === 0) {
    return (
      <>
        <Summary f={f} />
        <p class="alert alert-info mt-3">{tr('reports.empty')}</p>
      </>
    );
  }
  const channels = f.by_channel;
  const reasons = REASONS.map((r) => f.total.satisfaction.reasons[r] ?? 0);
  return (
    <>
      <Summary f={f} />
      <div class="reports-charts">
        <FigureChart
          id="by-day"
          title={tr('chart.byDay')}
          category={tr('col.day')}
          labels={f.by_day.map((g) => g.day ?? '')}
          series={[{ label: tr('reports.contacts'), data: f.by_day.map((g) => g.contacts), color: COLORS.primary }]}
        />
        <FigureChart
          id="by-hour"
          title={tr('chart.byHour')}
          category={tr('col.hour')}
          labels={f.by_hour.map((h) => `${String(h.hour).padStart(2, '0')}:00`)}
          series={[{ label: tr('reports.contacts'), data: f.by_hour.map((h) => h.contacts), color: COLORS.primary }]}
        />
        <FigureChart
          id="times"
          title={tr('chart.times')}
          category={tr('col.office')}
          labels={f.by_office.map((g) => g.name ?? g.office ?? '')}
          format={fmtMin}
          series={[
            { label: tr('reports.waitMedian'), data: f.by_office.map((g) => minutes(g.wait.median_s)), color: COLORS.primary },
            { label: tr('reports.waitP90'), data: f.by_office.map((g) => minutes(g.wait.p90_s)), color: COLORS.light },
            { label: tr('reports.serviceMedian'), data: f.by_office.map((g) => minutes(g.service_time.median_s)), color: COLORS.green },
            { label: tr('reports.serviceP90'), data: f.by_office.map((g) => minutes(g.service_time.p90_s)), color: COLORS.amber },
          ]}
        />
        <FigureChart
          id="fcr"
          title={tr('chart.fcr')}
          category={tr('col.channel')}
          labels={channels.map((g) => channelLabel(g.channel ?? ''))}
          max={1}
          format={(v) => pct(v)}
          series={[
            { label: tr('reports.fcr'), data: channels.map((g) => g.fcr.rate), color: COLORS.primary },
            { label: tr('col.target'), data: channels.map(() => f.fcr_target), color: COLORS.red, type: 'line' },
          ]}
        />
        <FigureChart
          id="satisfaction"
          title={tr('chart.satisfaction')}
          category={tr('col.channel')}
          labels={channels.map((g) => channelLabel(g.channel ?? ''))}
          stacked
          max={1}
          format={(v) => pct(v)}
          series={[
            { label: tr('reports.positive'), data: channels.map((g) => g.satisfaction.positive_share), color: COLORS.green },
            { label: tr('reports.neutral'), data: channels.map((g) => g.satisfaction.neutral_share), color: COLORS.grey },
            { label: tr('reports.negative'), data: channels.map((g) => g.satisfaction.negative_share), color: COLORS.red },
          ]}
        />
        <FigureChart
          id="reasons"
          title={tr('chart.reasons')}
          category={tr('col.reason')}
          labels={REASONS.map((r) => tr(`reason.${r}`))}
          horizontal
          series={[{ label: tr('col.count'), data: reasons, color: COLORS.amber }]}
        />
        <FigureChart
          id="outcomes"
          title={tr('chart.outcomes')}
          category={tr('col.channel')}
          labels={channels.map((g) => channelLabel(g.channel ?? ''))}
          series={[
            { label: tr('reports.noShow'), data: channels.map((g) => g.no_show), color: COLORS.amber },
            { label: tr('reports.abandoned'), data: channels.map((g) => g.abandoned), color: COLORS.red },
          ]}
        />
      </div>
      <Breakdown f={f} dimension={dimension} setDimension={setDimension} />
    </>
  );
}

function Breakdown({ f, dimension, setDimension }: { f: Figures; dimension: Dimension; setDimension: (d: Dimension) => void }) {
  const groups: Group[] | null =
    dimension === 'office' ? f.by_office : dimension === 'service' ? f.by_service : dimension === 'channel' ? f.by_channel : f.by_operator;
  const nameOf = (g: Group) => {
    if (dimension === 'channel') return channelLabel(g.channel ?? '');
    if (dimension === 'service' && !g.name) return tr('breakdown.noService');
    return g.name ?? String(g[dimension] ?? '');
  };
  return (
    <section class="mt-5" aria-labelledby="rb-title">
      <h2 class="h4" id="rb-title">
        {tr('breakdown.title')}
      </h2>
      <div class="mb-3 no-print" style="max-width: 20rem">
        <label class="form-label d-block" for="rb-dim">
          {tr('breakdown.by')}
        </label>
        <select class="form-select" id="rb-dim" value={dimension} onChange={(e) => setDimension((e.target as HTMLSelectElement).value as Dimension)}>
          {(['office', 'service', 'channel', 'operator'] as const).map((d) => (
            <option value={d}>{tr(`breakdown.${d}`)}</option>
          ))}
        </select>
      </div>
      {groups == null ? (
        <p>{tr('breakdown.noOperators')}</p>
      ) : (
        <div class="table-responsive" tabIndex={0} role="region" aria-labelledby="rb-title">
          <table class="table table-sm reports-table">
            <caption class="visually-hidden">
              {tr('breakdown.title')}: {tr(`breakdown.${dimension}`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr(`breakdown.${dimension}`)}</th>
                <th scope="col">{tr('reports.contacts')}</th>
                <th scope="col">{tr('reports.served')}</th>
                <th scope="col">{tr('reports.abandoned')}</th>
                <th scope="col">{tr('reports.noShow')}</th>
                <th scope="col">{tr('reports.fcr')}</th>
                <th scope="col">{tr('reports.waitMedian')}</th>
                <th scope="col">{tr('reports.waitP90')}</th>
                <th scope="col">{tr('reports.serviceMedian')}</th>
                <th scope="col">{tr('reports.serviceP90')}</th>
                <th scope="col">{tr('reports.ratings')}</th>
                <th scope="col">{tr('reports.positive')}</th>
                <th scope="col">{tr('reports.neutral')}</th>
                <th scope="col">{tr('reports.negative')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr>
                  <th scope="row">{nameOf(g)}</th>
                  <td>{g.contacts}</td>
                  <td>{g.served}</td>
                  <td>{g.abandoned}</td>
                  <td>{g.no_show}</td>
                  <td>{pct(g.fcr.rate)}</td>
                  <td>{fmtDuration(g.wait.median_s)}</td>
                  <td>{fmtDuration(g.wait.p90_s)}</td>
                  <td>{fmtDuration(g.service_time.median_s)}</td>
                  <td>{fmtDuration(g.service_time.p90_s)}</td>
                  <td>{g.satisfaction.ratings}</td>
                  <td>{pct(g.satisfaction.positive_share)}</td>
                  <td>{pct(g.satisfaction.neutral_share)}</td>
                  <td>{pct(g.satisfaction.negative_share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
