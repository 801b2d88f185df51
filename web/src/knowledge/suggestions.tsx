// For operators: "Suggerimenti", the schede that match what a conversation or a case is about
// (GET …/kb/suggest from its topic/subject and the citizen's last messages, the office's own
// schede first; asked again when those words change, debounced, and when a scheda of the ente
// changes: kb.updated), each with "Inserisci link" and "Inserisci testo" that put the scheda
// into the reply being written (never sending it) and "Ha risposto", which records that the
// scheda answered the question (the editor's counts); and "Risposte pronte", the office's
// canned answers as a picker that inserts the chosen text into the chat's input (reloaded each
// time the picker is entered, so an answer added in the administration is there).

import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { announce } from '../components/layout';
import { useDebounced } from './debounce';
import { tk } from './i18n-kb';
import { onKbUpdated } from './kb-live';
import { operatorFeedback, schedaUrl, suggest, type ArticleHit } from './kb-api';
import './kb.css';

const SUGGEST_DEBOUNCE_MS = 600;

/** "Carta d'identità elettronica — https://comune.example/esempio/servizi/carta-identita-elettronica" */
export function articleLink(slug: string, a: Pick<ArticleHit, 'slug' | 'title'>): string {
  return `${a.title} — ${location.origin}${schedaUrl(slug, a.slug)}`;
}

/** Appends `add` to what is already written, on a new line. */
export function appendText(current: string, add: string): string {
  return current.trim() ? `${current.replace(/\s+$/, '')}\n${add}` : add;
}

export function Suggestions(p: {
  slug: string;
  office?: string;
  /** The words to match: topic/subject and the citizen's last messages. */
  text: string;
  idPrefix: string;
  onInsert: (text: string) => void;
  headingLevel?: 3 | 4;
}) {
  const text = useDebounced(p.text.trim(), SUGGEST_DEBOUNCE_MS);
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  const [answered, setAnswered] = useState<Set<string>>(new Set());
  const [rev, setRev] = useState(0);
  const latest = useRef('');
  useEffect(() => onKbUpdated(p.slug, () => setRev((n) => n + 1)), [p.slug]);
  useEffect(() => {
    const key = `${text}\u0000${rev}`;
    latest.current = key;
    if (!text) {
      setHits([]);
      return;
    }
    // The office's schede first, the ente's others after them: the URP answers for every
    // office (the identity card is the Anagrafe's).
    suggest(p.slug, text, p.office)
      .then((r) => latest.current === key && setHits(r.results.slice(0, 5)))
      .catch(() => latest.current === key && setHits([]));
  }, [text, rev, p.office]);

  const H = p.headingLevel === 3 ? 'h3' : 'h4';
  const insert = (a: ArticleHit, withText: boolean) => {
    p.onInsert(withText && a.summary ? `${a.summary}\n${articleLink(p.slug, a)}` : articleLink(p.slug, a));
    announce(tk(withText ? 'sugg.insertedText' : 'sugg.insertedLink', { title: a.title }));
  };
  const markAnswered = (a: ArticleHit) => {
    operatorFeedback(p.slug, a.slug, true)
      .then(() => {
        setAnswered((s) => new Set(s).add(a.slug));
        announce(tk('sugg.usefulDone', { title: a.title }));
      })
      .catch(() => announce(tk('sugg.usefulError')));
  };
  const titleId = `${p.idPrefix}-sugg-title`;
  return (
    <section class="kb-suggest" aria-labelledby={titleId} id={`${p.idPrefix}-suggestions`}>
      <H class="kb-suggest-title" id={titleId}>
        {tk('sugg.title')}
      </H>
      <p class="small mb-1">{tk('sugg.lead')}</p>
      {hits === null && <p class="small mb-0">{tk('sugg.loading')}</p>}
      {hits && hits.length === 0 && <p class="small mb-0 kb-suggest-none">{tk('sugg.none')}</p>}
      {hits && hits.length > 0 && (
        <ul class="list-unstyled mb-0">
          {hits.map((a) => (
            <li data-article={a.slug}>
              <a class="kb-suggest-name" href={schedaUrl(p.slug, a.slug)} target="_blank" rel="noopener">
                {a.title}
              </a>
              {a.summary && <span class="small d-block">{a.summary}</span>}
              <span class="kb-suggest-actions">
                <button type="button" class="btn btn-outline-primary btn-sm" aria-label={tk('sugg.for', { action: tk('sugg.insertLink'), title: a.title })} onClick={() => insert(a, false)}>
                  {tk('sugg.insertLink')}
                </button>
                <button type="button" class="btn btn-outline-primary btn-sm" aria-label={tk('sugg.for', { action: tk('sugg.insertText'), title: a.title })} onClick={() => insert(a, true)}>
                  {tk('sugg.insertText')}
                </button>
                <button
                  type="button"
                  class="btn btn-outline-secondary btn-sm kb-suggest-useful"
                  aria-label={tk('sugg.usefulFor', { title: a.title })}
                  aria-pressed={answered.has(a.slug) ? 'true' : 'false'}
                  disabled={answered.has(a.slug)}
                  onClick={() => markAnswered(a)}
                >
                  {tk('sugg.useful')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface Canned {
  id: string;
  title: string;
  body: string;
}

/** "Risposte pronte" for the chat composer: choose one, "Inserisci" puts it into the input. */
export function CannedPicker({ slug, office, id, onInsert }: { slug: string; office: string; id: string; onInsert: (text: string) => void }) {
  const [list, setList] = useState<Canned[]>([]);
  const [chosen, setChosen] = useState('');
  const load = () =>
    get<{ canned_answers: Canned[] }>(`/api/v1/enti/${enc(slug)}/offices/${enc(office)}/canned-answers`)
      .then((a) => setList(a.canned_answers ?? []))
      .catch(() => undefined); // keep what is shown
  useEffect(() => {
    setList([]);
    void load();
  }, [slug, office]);
  if (list.length === 0) return null;
  const insert = () => {
    const a = list.find((x) => x.id === chosen);
    if (!a) return;
    onInsert(a.body);
    announce(tk('canned.inserted', { title: a.title }));
  };
  return (
    <div class="canned-picker">
      <div class="select-wrapper form-group-select">
        <label for={id}>
          {tk('canned.label')}
        </label>
        <select id={id} value={chosen} onFocus={() => void load()} onChange={(e) => setChosen(e.currentTarget.value)}>
          <option value="">{tk('canned.choose')}</option>
          {list.map((a) => (
            <option value={a.id}>{a.title}</option>
          ))}
        </select>
      </div>
      <button type="button" class="btn btn-outline-primary btn-sm" disabled={!chosen} onClick={insert} aria-label={tk('canned.insertNamed')}>
        {tk('canned.insert')}
      </button>
    </div>
  );
}
