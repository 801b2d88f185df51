// "/{slug}/servizi/{article}" — one service as a Designers Italia "scheda servizio": breadcrumb,
// title and summary, "Indice della pagina", the sections that have content (Cos'è, A chi è
// rivolto, Cosa serve, Quanto costa, Come fare), "Contatti e orari" with each linked office's
// hours, open now and the actions it offers (knock, book, take a number, leave a message), then
// "Ti è stato utile?". Only the server-sanitised *_html fields are inserted as HTML.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, type OfficesAnswer, type PublicOffice } from '../api';
import { apiMessage } from '../components/forms';
import { FatalError, Icon, Loading, mount, Page, slugFromPath } from '../components/layout';
import { StatusBadge, WeekTable } from '../components/office';
import { formatDateLong, localDate } from '../format';
import { getLang, t } from '../i18n';
import { tk, type KbKey } from '../knowledge/i18n-kb';
import { getArticle, sendFeedback, type PublicArticle } from '../knowledge/kb-api';
import { MESSAGE_HASH, visitUrl } from '../reception/links';
import '../knowledge/kb.css';

type HtmlField = 'body_html' | 'audience_html' | 'documents_html' | 'fees_html' | 'steps_html';
const SECTIONS: { field: HtmlField; id: string; title: KbKey }[] = [
  { field: 'body_html', id: 'cose', title: 'scheda.what' },
  { field: 'audience_html', id: 'a-chi-e-rivolto', title: 'scheda.audience' },
  { field: 'documents_html', id: 'cosa-serve', title: 'scheda.documents' },
  { field: 'fees_html', id: 'quanto-costa', title: 'scheda.fees' },
  { field: 'steps_html', id: 'come-fare', title: 'scheda.steps' },
];

function articleFromPath(): string {
  return decodeURIComponent(location.pathname.split('/').filter(Boolean)[2] ?? '');
}

const hasContent = (html: string | undefined) => !!html && html.replace(/<[^>]*>/g, '').trim().length > 0;

/** The actions an office offers, with the addresses the offices page uses. */
function OfficeActions({ slug, office, bookable, ticket }: { slug: string; office: PublicOffice; bookable: boolean; ticket: boolean }) {
  const reception = office.channels.includes('chat') || office.channels.includes('video');
  const who = <span class="visually-hidden"> {tk('action.forOffice', { office: office.name })}</span>;
  const links: { key: string; href: string; icon: string; label: string; primary?: boolean }[] = [];
  if (reception) links.push({ key: 'knock', href: visitUrl(slug, office.slug), icon: 'video', label: tk('action.knock'), primary: true });
  if (bookable) links.push({ key: 'book', href: `/${enc(slug)}/prenota?office=${enc(office.slug)}`, icon: 'calendar', label: tk('action.book') });
  if (ticket && office.site) links.push({ key: 'ticket', href: `/${enc(slug)}/ticket/${enc(office.site.id)}`, icon: 'list', label: tk('action.ticket') });
  if (reception) links.push({ key: 'message', href: visitUrl(slug, office.slug) + MESSAGE_HASH, icon: 'mail', label: tk('action.message') });
  if (links.length === 0) return null;
  return (
    <ul class="kb-actions list-unstyled" aria-label={`${tk('scheda.actions')} ${tk('action.forOffice', { office: office.name })}`}>
      {links.map((l) => (
        <li>
          <a class={`btn ${l.primary ? 'btn-primary' : 'btn-outline-primary'} kb-action`} data-action={l.key} href={l.href}>
            <Icon name={l.icon} className={`me-2 ${l.primary ? 'icon-white' : 'icon-primary'}`} />
            {l.label}
            {who}
          </a>
        </li>
      ))}
    </ul>
  );
}

function OfficeContact({ slug, office, now, tz, bookable, ticket }: { slug: string; office: PublicOffice; now: string; tz: string; bookable: boolean; ticket: boolean }) {
  return (
    <article class="kb-office card" data-office={office.slug} aria-labelledby={`kb-office-${office.slug}`}>
      <div class="card-body">
        <h3 class="h5 card-title" id={`kb-office-${office.slug}`}>
          {office.name}
        </h3>
        <p class="mb-2">
          <span class="visually-hidden">{t('offices.statusLabel')}: </span>
          <StatusBadge status={office.status} now={now} tz={tz} />
        </p>
        {office.site && (
          <p class="mb-1">
            <Icon name="map-marker" className="me-1" />
            {office.site.name}
            {office.site.address ? `, ${office.site.address}` : ''}
          </p>
        )}
        {office.phone && (
          <p class="mb-1">
            {t('offices.phone')}: <a href={`tel:${office.phone.replace(/\s+/g, '')}`}>{office.phone}</a>
          </p>
        )}
        {office.email && (
          <p class="mb-3">
            {t('offices.email')}: <a href={`mailto:${office.email}`}>{office.email}</a>
          </p>
        )}
        <OfficeActions slug={slug} office={office} bookable={bookable} ticket={ticket} />
        <WeekTable office={office} week={office.week ?? []} today={localDate(now, tz)} />
      </div>
    </article>
  );
}

function Feedback({ slug, article }: { slug: string; article: string }) {
  const [answer, setAnswer] = useState<boolean | null>(null);
  const [error, setError] = useState(false);
  const [busy, setBusy] = useState(false);
  const send = (helpful: boolean) => {
    setBusy(true);
    setError(false);
    sendFeedback(slug, article, helpful, 'page')
      .then(() => setAnswer(helpful))
      .catch(() => setError(true))
      .finally(() => setBusy(false));
  };
  return (
    <section class="kb-feedback mt-5" aria-labelledby="ti-e-stato-utile" id="feedback">
      <h2 class="h4" id="ti-e-stato-utile">
        {tk('scheda.feedback')}
      </h2>
      {answer === null && (
        <>
          <p>{tk('scheda.feedbackLead')}</p>
          <div class="d-flex gap-3">
            <button type="button" class="btn btn-outline-primary kb-feedback-btn" disabled={busy} onClick={() => send(true)}>
              {tk('scheda.yes')}
            </button>
            <button type="button" class="btn btn-outline-primary kb-feedback-btn" disabled={busy} onClick={() => send(false)}>
              {tk('scheda.no')}
            </button>
          </div>
        </>
      )}
      <div role="status" aria-live="polite" id="feedback-status" class={answer !== null ? 'alert alert-success mb-0' : error ? 'alert alert-danger mt-3' : 'status-empty'}>
        {answer === true ? tk('scheda.thanksYes') : answer === false ? tk('scheda.thanksNo') : error ? tk('scheda.feedbackError') : ''}
      </div>
    </section>
  );
}

function Scheda() {
  const slug = slugFromPath();
  const articleSlug = articleFromPath();
  const [article, setArticle] = useState<PublicArticle | null>(null);
  const [offices, setOffices] = useState<OfficesAnswer | null>(null);
  const [bookable, setBookable] = useState<Set<string>>(new Set());
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const first = useRef(true);

  const load = () => {
    getArticle(slug, articleSlug)
      .then((a) => {
        setError(null);
        setArticle(a.article);
      })
      .catch((e) => setError({ status: e instanceof ApiError ? e.status : 0, message: apiMessage(e) }));
    get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`)
      .then(setOffices)
      .catch(() => undefined);
    if (first.current)
      get<{ offices: { id: string }[] }>(`/api/v1/enti/${enc(slug)}/booking/offices`)
        .then((b) => setBookable(new Set(b.offices.map((o) => o.id))))
        .catch(() => undefined);
    first.current = false;
  };
  useEffect(() => {
    load();
  }, [slug, articleSlug, getLang()]);

  // An anchor in the address (#cosa-serve) is reached once the sections exist.
  useEffect(() => {
    if (!article || !location.hash) return;
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }, [article]);

  const servicesHref = `/${enc(slug)}/servizi`;
  if (error) {
    const notFound = error.status === 404;
    return (
      <Page title={notFound ? tk('scheda.notFound') : tk('servizi.title')} ente={offices?.ente} slug={slug} staffLink>
        <FatalError
          title={notFound ? tk('scheda.notFound') : tk('servizi.title')}
          message={notFound ? tk('scheda.notFoundText') : error.message}
          onRetry={notFound ? undefined : load}
        />
        <p class="mt-3">
          <a href={servicesHref}>{tk('scheda.allServices')}</a>
        </p>
      </Page>
    );
  }
  if (!article)
    return (
      <Page title={tk('servizi.title')} ente={offices?.ente} slug={slug} staffLink>
        <h1>{tk('servizi.title')}</h1>
        <Loading />
      </Page>
    );

  const sections = SECTIONS.filter((s) => hasContent(article[s.field]));
  const linked = offices ? article.offices.map((o) => offices.offices.find((x) => x.id === o.id)).filter((x): x is PublicOffice => !!x) : [];
  const index = [...sections.map((s) => ({ id: s.id, title: tk(s.title) })), { id: 'contatti', title: tk('scheda.contacts') }];
  return (
    <Page title={article.title} ente={offices?.ente} slug={slug} staffLink>
      <nav class="breadcrumb-container" aria-label={tk('scheda.breadcrumb')}>
        <ol class="breadcrumb p-0">
          <li class="breadcrumb-item">
            <a href={`/${enc(slug)}/`}>{offices?.ente.name ?? t('app.name')}</a>
            <span class="separator" aria-hidden="true">
              /
            </span>
          </li>
          <li class="breadcrumb-item">
            <a href={servicesHref}>{tk('servizi.title')}</a>
            <span class="separator" aria-hidden="true">
              /
            </span>
          </li>
          <li class="breadcrumb-item active" aria-current="page">
            {article.title}
          </li>
        </ol>
      </nav>
      <div class="kb-head mb-4">
        <h1 id="scheda-title">{article.title}</h1>
        {article.summary && <p class="lead kb-summary">{article.summary}</p>}
        {article.services.length > 0 && (
          <ul class="kb-chips list-unstyled" aria-label={tk('scheda.services')}>
            {article.services.map((s) => (
              <li>
                <span class="chip chip-simple">
                  <span class="chip-label">{s.name}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="row kb-layout">
        <div class="col-lg-3 mb-4">
          <nav class="kb-index" aria-labelledby="kb-index-title">
            <h2 class="h6 kb-index-title" id="kb-index-title">
              {tk('scheda.index')}
            </h2>
            <ul class="list-unstyled mb-0">
              {index.map((s) => (
                <li>
                  <a href={`#${s.id}`}>{s.title}</a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
        <div class="col-lg-8 offset-lg-1 kb-content">
          {sections.map((s) => (
            <section class="kb-section mb-5" id={s.id} aria-labelledby={`${s.id}-title`} data-section={s.field}>
              <h2 class="h4" id={`${s.id}-title`}>
                {tk(s.title)}
              </h2>
              {/* Server-sanitised Markdown (libcmark safe mode): the only HTML inserted as is. */}
              <div class="kb-html" dangerouslySetInnerHTML={{ __html: article[s.field] }} />
            </section>
          ))}
          <section class="kb-section mb-4" id="contatti" aria-labelledby="contatti-title">
            <h2 class="h4" id="contatti-title">
              {tk('scheda.contacts')}
            </h2>
            {!offices && <Loading />}
            {offices && linked.length === 0 && <p>{tk('scheda.noOffice')}</p>}
            {offices &&
              linked.map((o) => (
                <OfficeContact
                  slug={slug}
                  office={o}
                  now={offices.now}
                  tz={offices.ente.timezone}
                  bookable={bookable.has(o.id)}
                  ticket={article.services.some((s) => s.office === o.id)}
                />
              ))}
          </section>
          <p class="kb-dates small">
            {tk('scheda.updated', { date: formatDateLong(offices ? localDate(article.updated_at, offices.ente.timezone) : article.updated_at.slice(0, 10)) })}
            {article.valid_until && (
              <>
                <br />
                {tk('scheda.validUntil', { date: formatDateLong(article.valid_until) })}
              </>
            )}
          </p>
          <Feedback slug={slug} article={article.slug} />
          <p class="mt-4">
            <a href={servicesHref}>{tk('scheda.allServices')}</a>
          </p>
        </div>
      </div>
    </Page>
  );
}

mount(Scheda);
