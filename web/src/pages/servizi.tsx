// "/{slug}/servizi" — the Comune's services and information: a search box whose results come
// while the person types (debounced), and every published scheda grouped by the office that
// handles it. Each entry links to its scheda (/{slug}/servizi/{article}).

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, type OfficesAnswer } from '../api';
import { apiMessage } from '../components/forms';
import { FatalError, Icon, Loading, mount, Page, slugFromPath } from '../components/layout';
import { getLang, t } from '../i18n';
import { useDebounced } from '../knowledge/debounce';
import { tk } from '../knowledge/i18n-kb';
import { listArticles, schedaUrl, searchArticles, type ArticleHit } from '../knowledge/kb-api';
import '../knowledge/kb.css';

const SEARCH_DEBOUNCE_MS = 300;

function ArticleLink({ slug, a, idPrefix }: { slug: string; a: ArticleHit; idPrefix: string }) {
  const id = `${idPrefix}-${a.slug}`;
  return (
    <li class="kb-item" data-article={a.slug}>
      <a class="kb-item-title" href={schedaUrl(slug, a.slug)} aria-describedby={a.summary ? `${id}-summary` : undefined}>
        {a.title}
      </a>
      {a.summary && (
        <p class="kb-item-summary mb-0" id={`${id}-summary`}>
          {a.summary}
        </p>
      )}
    </li>
  );
}

interface Group {
  id: string;
  name: string;
  articles: ArticleHit[];
}

/** Articles by office, in the offices page's order; those without an office at the end. */
function groupByOffice(articles: ArticleHit[], offices: { id: string; name: string }[]): Group[] {
  const groups = new Map<string, Group>();
  for (const o of offices) groups.set(o.id, { id: o.id, name: o.name, articles: [] });
  const other: Group = { id: 'other', name: tk('servizi.other'), articles: [] };
  for (const a of articles) {
    if (a.offices.length === 0) other.articles.push(a);
    for (const o of a.offices) {
      if (!groups.has(o.id)) groups.set(o.id, { id: o.id, name: o.name, articles: [] });
      groups.get(o.id)!.articles.push(a);
    }
  }
  return [...groups.values(), other].filter((g) => g.articles.length > 0);
}

function Search({ slug }: { slug: string }) {
  const [q, setQ] = useState(new URLSearchParams(location.search).get('q') ?? '');
  const query = useDebounced(q.trim(), SEARCH_DEBOUNCE_MS);
  const [answer, setAnswer] = useState<{ q: string; results: ArticleHit[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef('');

  useEffect(() => {
    latest.current = query;
    // Keep the address in step, so the search can be shared or reopened with Back.
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url.toString());
    if (!query) {
      setAnswer(null);
      setError(null);
      return;
    }
    setBusy(true);
    searchArticles(slug, query, { limit: 10 })
      .then((r) => {
        // Only the answer to what is in the box now: an older one arriving last is dropped.
        if (latest.current !== query) return;
        setAnswer({ q: query, results: r.results });
        setError(null);
      })
      .catch((e) => latest.current === query && setError(apiMessage(e)))
      .finally(() => latest.current === query && setBusy(false));
  }, [query, getLang()]);

  const status = !query
    ? ''
    : busy && !answer
      ? tk('servizi.searching')
      : answer
        ? answer.results.length === 0
          ? tk('servizi.noResults', { q: answer.q })
          : answer.results.length === 1
            ? tk('servizi.found1', { q: answer.q })
            : tk('servizi.found', { n: answer.results.length, q: answer.q })
        : '';

  return (
    <section class="kb-search mb-5" aria-labelledby="kb-search-title">
      <h2 class="visually-hidden" id="kb-search-title">
        {tk('servizi.results')}
      </h2>
      <form role="search" noValidate onSubmit={(e) => e.preventDefault()} class="kb-search-form">
        <div class="form-group mb-2">
          <label for="kb-q" class="active kb-search-label">
            {tk('servizi.search')}
          </label>
          <div class="kb-search-box">
            <Icon name="search" className="kb-search-icon" />
            <input
              id="kb-q"
              name="q"
              type="search"
              class="form-control"
              value={q}
              autoComplete="off"
              maxLength={200}
              aria-describedby="kb-q-hint"
              aria-controls="kb-results"
              onInput={(e) => setQ(e.currentTarget.value)}
            />
          </div>
          <small id="kb-q-hint" class="form-text field-hint">
            {tk('servizi.searchHint')}
          </small>
        </div>
      </form>
      <p class="kb-search-status mb-2" role="status" aria-live="polite" id="kb-search-status">
        {status}
      </p>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <ul class="kb-list list-unstyled" id="kb-results" aria-label={tk('servizi.results')} hidden={!answer || answer.results.length === 0}>
        {answer?.results.map((a) => <ArticleLink slug={slug} a={a} idPrefix="res" />)}
      </ul>
    </section>
  );
}

function Servizi() {
  const slug = slugFromPath();
  const [data, setData] = useState<{ offices: OfficesAnswer; articles: ArticleHit[] } | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);

  const load = () =>
    Promise.all([get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`), listArticles(slug)])
      .then(([offices, a]) => {
        setError(null);
        setData({ offices, articles: a.articles });
      })
      .catch((e) => setError({ status: e instanceof ApiError ? e.status : 0, message: apiMessage(e) }));
  useEffect(() => {
    void load();
  }, [slug, getLang()]);

  if (error) {
    const notFound = error.status === 404;
    return (
      <Page title={notFound ? t('error.enteNotFound') : tk('servizi.title')} slug={notFound ? null : slug}>
        <FatalError
          title={notFound ? t('error.enteNotFound') : tk('servizi.title')}
          message={notFound ? t('error.enteNotFoundText') : tk('servizi.error')}
          onRetry={notFound ? undefined : () => void load()}
        />
      </Page>
    );
  }
  const groups = data ? groupByOffice(data.articles, data.offices.offices) : [];
  return (
    <Page title={tk('servizi.title')} ente={data?.offices.ente} slug={slug} staffLink>
      <h1>{tk('servizi.title')}</h1>
      <p class="lead">{tk('servizi.lead')}</p>
      <Search slug={slug} />
      <section aria-labelledby="kb-all-title" id="kb-all">
        <h2 id="kb-all-title" class="h3">
          {tk('servizi.all')}
        </h2>
        {!data && <Loading />}
        {data && groups.length === 0 && <p>{tk('servizi.none')}</p>}
        <div class="kb-groups">
          {groups.map((g) => (
            <section class="kb-group card" aria-labelledby={`kb-group-${g.id}`} data-office={g.id}>
              <div class="card-body">
                <h3 class="h5 card-title" id={`kb-group-${g.id}`}>
                  {g.name}
                </h3>
                <ul class="kb-list list-unstyled mb-0">
                  {g.articles.map((a) => (
                    <ArticleLink slug={slug} a={a} idPrefix={`g-${g.id}`} />
                  ))}
                </ul>
              </div>
            </section>
          ))}
        </div>
        <p class="mt-4">
          <a href={`/${enc(slug)}/`}>{tk('servizi.offices')}</a>
        </p>
      </section>
    </Page>
  );
}

mount(Servizi);
