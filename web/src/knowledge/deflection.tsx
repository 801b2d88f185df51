// "Forse trovi qui la risposta": while a citizen writes the topic of a knock, a message or a
// widget chat, up to 3 matching schede (searched once the words stop changing for 350 ms, from
// 3 letters). Each opens in a new window and has "Mi è stato utile", which records the feedback
// and says the person may still knock: nothing is forced, the form's button stays where it is.
// Then "Ho trovato la risposta, ho finito" records that the question ended there (the answer's
// `ended`) and the form gives way to <DeflectionEnded>, which can bring the form back.
// The box sits under the form's button, so appearing never pushes that button out of view.

import { useEffect, useRef, useState } from 'preact/hooks';
import { getLang } from '../i18n';
import { useDebounced } from './debounce';
import { tk } from './i18n-kb';
import { schedaUrl, searchArticles, sendEnded, sendFeedback, type ArticleHit } from './kb-api';
import './kb.css';

const DEBOUNCE_MS = 350;
const MIN_LETTERS = 3;
const MAX_SHOWN = 3;

export function Deflection(p: {
  slug: string;
  text: string;
  context: 'knock' | 'message' | 'widget';
  idPrefix: string;
  headingLevel?: 3 | 4;
  /** The citizen said the question ended at this scheda (recorded): the form may give way. */
  onEnded?: (a: ArticleHit) => void;
}) {
  const { slug, context, idPrefix } = p;
  // A long message: its first words say what it is about.
  const query = useDebounced(p.text.trim().slice(0, 120), DEBOUNCE_MS);
  const H = p.headingLevel === 4 ? 'h4' : 'h3';
  const [hits, setHits] = useState<ArticleHit[]>([]);
  const [useful, setUseful] = useState<{ article: ArticleHit; id: string | null } | null>(null);
  const [said, setSaid] = useState('');
  const [ending, setEnding] = useState(false);
  const latest = useRef('');

  useEffect(() => {
    latest.current = query;
    if ((query.match(/\p{L}/gu) ?? []).length < MIN_LETTERS) {
      setHits([]);
      return;
    }
    searchArticles(slug, query, { limit: MAX_SHOWN })
      .then((r) => {
        if (latest.current === query) setHits(r.results.slice(0, MAX_SHOWN));
      })
      .catch(() => undefined); // suggestions are a help, never an obstacle
  }, [query, slug, getLang()]);

  const markUseful = (a: ArticleHit) => {
    setUseful({ article: a, id: null });
    setSaid(context === 'message' ? tk('deflect.thanksMessage') : tk('deflect.thanksKnock'));
    sendFeedback(slug, a.slug, true, context)
      .then((r) => setUseful((u) => (u?.article.slug === a.slug ? { article: a, id: r.id } : u)))
      .catch(() => undefined);
  };

  const end = async () => {
    if (!useful?.id) return;
    setEnding(true);
    try {
      await sendEnded(slug, useful.id);
      p.onEnded?.(useful.article);
    } catch {
      setSaid(tk('deflect.error'));
    } finally {
      setEnding(false);
    }
  };

  const titleId = `${idPrefix}-deflect-title`;
  return (
    <div class="kb-deflect-wrap" id={`${idPrefix}-deflect`}>
      {hits.length > 0 && (
        <section class="kb-deflect" aria-labelledby={titleId}>
          <H class="kb-deflect-title" id={titleId}>
            {tk('deflect.title')}
          </H>
          <ul class="list-unstyled">
            {hits.map((a) => (
              <li data-article={a.slug}>
                <a href={schedaUrl(slug, a.slug)} target="_blank" rel="noopener">
                  {a.title}
                  <span class="visually-hidden"> {tk('deflect.newTab')}</span>
                </a>
                {useful?.article.slug !== a.slug && (
                  <button type="button" class="btn btn-outline-primary btn-sm btn-useful" aria-label={tk('deflect.usefulFor', { title: a.title })} onClick={() => markUseful(a)}>
                    {tk('deflect.useful')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {/* Always in the page, so that the words are read out when they appear. */}
      <p class="kb-deflect-done" role="status" aria-live="polite" id={`${idPrefix}-deflect-done`}>
        {said}
      </p>
      {useful && p.onEnded && (
        <button type="button" class="btn btn-primary btn-sm kb-deflect-end" id={`${idPrefix}-deflect-end`} disabled={!useful.id || ending} onClick={() => void end()}>
          {tk('deflect.end')}
        </button>
      )}
      <div class="visually-hidden" aria-live="polite">
        {hits.length > 0 ? `${tk('deflect.title')}: ${hits.map((h) => h.title).join(', ')}` : ''}
      </div>
    </div>
  );
}

/** Where the form was, once the question ended at a scheda: thanks, the scheda, and the way back. */
export function DeflectionEnded(p: { slug: string; article: ArticleHit; idPrefix: string; headingLevel?: 2 | 3 | 4; onBack: () => void }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const H = p.headingLevel === 2 ? 'h2' : p.headingLevel === 4 ? 'h4' : 'h3';
  const titleId = `${p.idPrefix}-ended-title`;
  return (
    <section class="kb-deflect-ended alert alert-success" aria-labelledby={titleId} id={`${p.idPrefix}-ended`} tabIndex={-1} ref={ref}>
      <H class="h5" id={titleId}>
        {tk('deflect.endedTitle')}
      </H>
      <p class="mb-2">{tk('deflect.endedLead', { title: p.article.title })}</p>
      <p class="mb-2">
        <a href={schedaUrl(p.slug, p.article.slug)} target="_blank" rel="noopener">
          {tk('deflect.endedOpen', { title: p.article.title })}
          <span class="visually-hidden"> {tk('deflect.newTab')}</span>
        </a>
      </p>
      <button type="button" class="btn btn-outline-primary btn-sm" id={`${p.idPrefix}-deflect-back`} onClick={p.onBack}>
        {tk('deflect.back')}
      </button>
    </section>
  );
}
