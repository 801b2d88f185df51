// "/{slug}/" — the Comune's public page: its offices, whether each is open now, this week's hours.
// Reloads every 60 s and whenever the ente's directory topic reports a change.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, type OfficesAnswer } from '../api';
import { apiMessage } from '../components/forms';
import { announce, FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { OfficeCard } from '../components/office';
import { describeStatus } from '../format';
import { getLang, t } from '../i18n';
import { tk } from '../knowledge/i18n-kb';
import { listArticles, type ArticleHit } from '../knowledge/kb-api';
import '../knowledge/kb.css';
import { Realtime } from '../realtime';

const REFRESH_MS = 60_000;

function Offices() {
  const slug = slugFromPath();
  const [data, setData] = useState<OfficesAnswer | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const prevOpen = useRef<Map<string, boolean>>(new Map());
  const hasData = useRef(false);
  const [bookable, setBookable] = useState<Set<string>>(new Set());
  useEffect(() => {
    get<{ offices: { id: string }[] }>(`/api/v1/enti/${enc(slug)}/booking/offices`)
      .then((b) => setBookable(new Set(b.offices.map((o) => o.id))))
      .catch(() => undefined);
  }, []);
  // Each office's schede: one request for the ente's published list, grouped here by office
  // (rather than one ?office= request per office card).
  const [articles, setArticles] = useState<Map<string, ArticleHit[]>>(new Map());
  useEffect(() => {
    listArticles(slug)
      .then((a) => {
        const by = new Map<string, ArticleHit[]>();
        for (const art of a.articles) for (const o of art.offices) by.set(o.id, [...(by.get(o.id) ?? []), art]);
        setArticles(by);
      })
      .catch(() => undefined);
  }, [getLang()]);

  const load = (announceUpdate = false) =>
    get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((d) => {
        setError(null);
        // Tell screen-reader users when an office opens or closes while they read the page.
        const changes: string[] = [];
        for (const o of d.offices) {
          const before = prevOpen.current.get(o.id);
          if (before !== undefined && before !== o.status.open)
            changes.push(t('status.changed', { office: o.name, status: describeStatus(o.status, d.now, d.ente.timezone) }));
          prevOpen.current.set(o.id, o.status.open);
        }
        if (changes.length) announce(changes.join('. '));
        else if (announceUpdate) announce(t('offices.updated'));
        hasData.current = true;
        setData(d);
      })
      .catch((e) => {
        // Keep showing the last good data on a transient failure.
        if (!hasData.current || (e instanceof ApiError && e.status === 404))
          setError({ status: e instanceof ApiError ? e.status : 0, message: apiMessage(e) });
      });

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    // Every event, and a resync (what was missed is no longer held), reloads the offices.
    const rt = new Realtime();
    rt.subscribe(`ente:${slug}:directory`, { onEvent: () => void load(true), onResync: () => void load(true) });
    return () => {
      window.clearInterval(timer);
      rt.close();
    };
  }, [slug]);

  if (error) {
    const notFound = error.status === 404;
    return (
      <Page title={notFound ? t('error.enteNotFound') : t('offices.title')} slug={notFound ? null : slug}>
        <FatalError
          title={notFound ? t('error.enteNotFound') : t('offices.title')}
          message={notFound ? t('error.enteNotFoundText') : error.message}
          onRetry={notFound ? undefined : () => void load()}
        />
      </Page>
    );
  }

  return (
    <Page title={t('offices.title')} ente={data?.ente} slug={slug} staffLink>
      <h1>{t('offices.title')}</h1>
      <p class="lead">{t('offices.lead')}</p>
      <p class="mb-4">
        <a class="btn btn-outline-primary" href={`/${enc(slug)}/servizi`} id="servizi-link">
          {tk('offices.allArticles')}
        </a>
      </p>
      {!data && <Loading />}
      {data && data.offices.length === 0 && <p>{t('offices.none')}</p>}
      {data && data.offices.length > 0 && (
        <div class="office-grid" id="offices">
          {data.offices.map((o) => (
            <OfficeCard office={o} now={data.now} tz={data.ente.timezone} slug={slug} bookable={bookable.has(o.id)} articles={articles.get(o.id) ?? []} />
          ))}
        </div>
      )}
    </Page>
  );
}

mount(Offices);
