// "/{slug}/opendata" — open data of the ente's front office (public, issue 16): monthly
// satisfaction and waiting times per office from GET /api/v1/enti/{slug}/opendata/figures, the
// dataset's record (DCAT-AP_IT field names in the JSON), CSV and JSON downloads. Small counts
// are suppressed by the server: such cells read "non pubblicato".

import { useEffect, useState } from 'preact/hooks';
import { enc, get, type Ente } from '../api';
import { FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { tr } from '../feedback/i18n-reports';
import '../feedback/reports.css';

interface Row {
  month: string;
  office_id: string;
  office: string;
  contacts: number | null;
  wait_count: number | null;
  wait_median_s: number | null;
  wait_p90_s: number | null;
  ratings: number | null;
  positive_share: number | null;
}
interface Dataset {
  year: string;
  rows: Row[];
  metadata: {
    title: string;
    title_en: string;
    description: string;
    publisher: { name: string };
    license: { name: string; uri: string };
    modified: string;
    suppression: { min_count: number };
    distribution: { format: string; accessURL: string }[];
  };
}

function Suppressed() {
  return <span class="text-muted">{tr('opendata.suppressed')}</span>;
}
const num = (v: number | null) => (v == null ? <Suppressed /> : v.toLocaleString());
const mins = (s: number | null) => (s == null ? <Suppressed /> : tr('unit.min', { n: (Math.round((s / 60) * 10) / 10).toLocaleString() }));
const share = (v: number | null) => (v == null ? <Suppressed /> : `${Math.round(v * 1000) / 10}%`);

function App() {
  const slug = slugFromPath();
  const [ente, setEnte] = useState<Ente | null>(null);
  const [year, setYear] = useState(() => new URLSearchParams(location.search).get('year') ?? String(new Date().getFullYear()));
  const [draft, setDraft] = useState(year);
  const [data, setData] = useState<Dataset | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/v1/enti/${enc(slug)}/opendata/figures?year=${enc(year)}`;

  useEffect(() => {
    get<Ente>(`/api/v1/enti/${enc(slug)}`)
      .then(setEnte)
      .catch(() => setEnte(null));
  }, [slug]);
  useEffect(() => {
    get<Dataset>(base)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
  }, [base]);

  const m = data?.metadata;
  const en = document.documentElement.lang === 'en';
  return (
    <Page title={tr('opendata.title')} ente={ente} slug={slug} staffLink>
      <h1 class="mb-3">{tr('opendata.title')}</h1>
      <p class="lead">{tr('opendata.lead')}</p>
      <form
        class="d-flex flex-wrap gap-2 align-items-end mb-4 no-print"
        onSubmit={(e) => {
          e.preventDefault();
          history.replaceState(null, '', `?year=${enc(draft)}`);
          setYear(draft);
        }}
      >
        <div>
          <label class="form-label d-block" for="od-year">
            {tr('opendata.year')}
          </label>
          <input class="form-control" id="od-year" inputMode="numeric" pattern="[0-9]{4}" size={6} value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
        </div>
        <button class="btn btn-primary" type="submit">
          {tr('opendata.show')}
        </button>
      </form>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <Loading />}
      {data && m && (
        <>
          <section aria-labelledby="od-meta" class="mb-4">
            <h2 class="h4" id="od-meta">
              {tr('opendata.metadata')}
            </h2>
            <dl class="row">
              <dt class="col-sm-3">{tr('opendata.titleField')}</dt>
              <dd class="col-sm-9">{en ? m.title_en : m.title}</dd>
              <dt class="col-sm-3">{tr('opendata.description')}</dt>
              <dd class="col-sm-9">{m.description}</dd>
              <dt class="col-sm-3">{tr('opendata.publisher')}</dt>
              <dd class="col-sm-9">{m.publisher.name}</dd>
              <dt class="col-sm-3">{tr('opendata.license')}</dt>
              <dd class="col-sm-9">
                <a href={m.license.uri} rel="license">
                  {m.license.name}
                </a>
              </dd>
              <dt class="col-sm-3">{tr('opendata.modified')}</dt>
              <dd class="col-sm-9">{m.modified}</dd>
              <dt class="col-sm-3">{tr('opendata.frequency')}</dt>
              <dd class="col-sm-9">{tr('opendata.monthly')}</dd>
              <dt class="col-sm-3">{tr('opendata.suppression')}</dt>
              <dd class="col-sm-9">{tr('opendata.suppressionText', { n: m.suppression.min_count })}</dd>
              <dt class="col-sm-3">{tr('opendata.downloads')}</dt>
              <dd class="col-sm-9 d-flex gap-2 flex-wrap">
                <a class="btn btn-outline-primary btn-sm" href={`${base}&format=csv`} download data-export="csv">
                  CSV
                </a>
                <a class="btn btn-outline-primary btn-sm" href={`${base}&format=json`} download={`${slug}-sportello-${data.year}.json`} data-export="json">
                  JSON
                </a>
              </dd>
            </dl>
          </section>
          {data.rows.length === 0 ? (
            <p class="alert alert-info">{tr('opendata.empty')}</p>
          ) : (
            <div class="table-responsive" tabIndex={0} role="region" aria-labelledby="od-caption">
              <table class="table table-sm reports-table">
                <caption id="od-caption">{tr('opendata.tableCaption', { year: data.year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tr('opendata.month')}</th>
                    <th scope="col">{tr('opendata.office')}</th>
                    <th scope="col">{tr('opendata.contacts')}</th>
                    <th scope="col">{tr('opendata.waitMedian')}</th>
                    <th scope="col">{tr('opendata.waitP90')}</th>
                    <th scope="col">{tr('opendata.ratings')}</th>
                    <th scope="col">{tr('opendata.positive')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr>
                      <th scope="row">{r.month}</th>
                      <td>{r.office}</td>
                      <td>{num(r.contacts)}</td>
                      <td>{mins(r.wait_median_s)}</td>
                      <td>{mins(r.wait_p90_s)}</td>
                      <td>{num(r.ratings)}</td>
                      <td>{share(r.positive_share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {error && !data && <FatalError title={tr('opendata.title')} message={error} />}
    </Page>
  );
}

mount(App);
