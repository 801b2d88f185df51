// "Forse trovi qui la risposta": while a citizen writes the topic of a knock, a message or a
// widget chat, up to 3 matching schede (searched once the words stop changing for 300 ms, from
// 3 letters). Each opens in a new window and has "Mi è stato utile", which records the feedback
// and says the person may still knock: nothing is forced, the form's button stays where it is.
// The box sits under the form's button, so appearing never pushes that button out of view.

import { useEffect, useRef, useState } from 'preact/hooks';
import { getLang } from '../i18n';
import { useDebounced } from './debounce';
import { tk } from './i18n-kb';
import { schedaUrl, searchArticles, sendFeedback, type ArticleHit } from './kb-api';
import './kb.css';

const DEBOUNCE_MS = 350;
const MIN_LETTERS = 3;
const MAX_SHOWN = 3;

export function Deflection(p: { slug: string; text: string; context: 'knock' | 'message' | 'widget'; idPrefix: string; headingLevel?: 3 | 4 }) {
  const { slug, context, idPrefix } = p;
  // A long message: its first words say what it is about.
  const query = useDebounced(p.text.trim().slice(0, 120), DEBOUNCE_MS);
  const H = p.headingLevel === 4 ? 'h4' : 'h3';
  const [hits, setHits] = useState<ArticleHit[]>([]);
  const [useful, setUseful] = useState<string | null>(null);
  const [said, setSaid] = useState('');
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
    setUseful(a.slug);
    setSaid(context === 'message' ? tk('deflect.thanksMessage') : tk('deflect.thanksKnock'));
    sendFeedback(slug, a.slug, true, context).catch(() => undefined);
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
                {useful !== a.slug && (
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
      <div class="visually-hidden" aria-live="polite">
        {hits.length > 0 ? `${tk('deflect.title')}: ${hits.map((h) => h.title).join(', ')}` : ''}
      </div>
    </div>
  );
}
