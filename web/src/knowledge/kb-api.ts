// The knowledge base's API (issue 17, /work/kb/CONTRACT.md; docs/API.md "Knowledge base"):
// citizen search / list / article / feedback without a session, the staff's suggestions and
// the administration of articles. Public calls carry `lang` so titles and summaries come in
// the chosen language (the server falls back to Italian).

import { api, enc, get } from '../api';
import { getLang } from '../i18n';

export interface OfficeRef {
  id: string;
  slug: string;
  name: string;
}

export interface ServiceRef {
  id: string;
  prefix: string;
  name: string;
  office?: string;
}

/** One search hit or list row: strings in the asked language. */
export interface ArticleHit {
  slug: string;
  title: string;
  summary: string;
  offices: OfficeRef[];
  services: ServiceRef[];
  score?: number;
}

/** The citizen's scheda: *_html are sanitised by the server (libcmark, safe mode). */
export interface PublicArticle {
  slug: string;
  title: string;
  summary: string;
  body_html: string;
  documents_html: string;
  fees_html: string;
  steps_html: string;
  audience_html: string;
  valid_until: string | null;
  updated_at: string;
  offices: OfficeRef[];
  services: ServiceRef[];
}

export type FeedbackContext = 'page' | 'knock' | 'message' | 'widget';

const base = (slug: string) => `/api/v1/enti/${enc(slug)}/kb`;

/** The address of an article's scheda: "/{slug}/servizi/{article}". */
export function schedaUrl(slug: string, article: string): string {
  return `/${enc(slug)}/servizi/${enc(article)}`;
}

export function searchArticles(slug: string, q: string, opts: { office?: string; limit?: number } = {}): Promise<{ results: ArticleHit[] }> {
  const p = new URLSearchParams({ q, lang: getLang() });
  if (opts.office) p.set('office', opts.office);
  if (opts.limit) p.set('limit', String(opts.limit));
  return get(`${base(slug)}/search?${p.toString()}`);
}

export function listArticles(slug: string, opts: { office?: string } = {}): Promise<{ articles: ArticleHit[] }> {
  const p = new URLSearchParams({ lang: getLang() });
  if (opts.office) p.set('office', opts.office);
  return get(`${base(slug)}/articles?${p.toString()}`);
}

export function getArticle(slug: string, article: string): Promise<{ article: PublicArticle }> {
  return get(`${base(slug)}/articles/${enc(article)}?lang=${getLang()}`);
}

async function anonymousPost(path: string, body: unknown): Promise<{ recorded: boolean; id: string }> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': getLang() },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** "Ti è stato utile?": anonymous, so no cookie (also from the widget's frame). The answer's id
 * lets the same person say afterwards that the question ended there. */
export function sendFeedback(slug: string, article: string, helpful: boolean, context: FeedbackContext): Promise<{ recorded: boolean; id: string }> {
  return anonymousPost(`${base(slug)}/articles/${enc(article)}/feedback`, { helpful, context });
}

/** "Ho trovato la risposta": the question ended at the article (no knock, no message). */
export function sendEnded(slug: string, feedbackId: string): Promise<{ recorded: boolean; id: string }> {
  return anonymousPost(`${base(slug)}/feedback/${enc(feedbackId)}/ended`, {});
}

/** The operator says an article answered the question in hand (staff session). */
export function operatorFeedback(slug: string, article: string, helpful: boolean): Promise<{ recorded: boolean; id: string }> {
  return api('POST', `${base(slug)}/suggest/feedback`, { article, helpful });
}

/** The operator's suggestions from a conversation's or a case's words. */
export function suggest(slug: string, text: string, office?: string): Promise<{ results: ArticleHit[] }> {
  const p = new URLSearchParams({ text: text.slice(0, 2000) });
  if (office) p.set('office', office);
  return get(`${base(slug)}/suggest?${p.toString()}`);
}

// ---- staff administration ------------------------------------------------------------------

export type Status = 'draft' | 'published' | 'archived';
export type Lang2 = { it: string; en: string };

export interface StaffArticle {
  id: string;
  slug: string;
  status: Status;
  version: number;
  title: Lang2;
  summary: Lang2;
  body: Lang2;
  documents: Lang2;
  fees: Lang2;
  steps: Lang2;
  audience: Lang2;
  valid_from: string | null;
  valid_until: string | null;
  offices: OfficeRef[];
  services: ServiceRef[];
  updated_at: string;
  updated_by: { id: string; name: string } | null;
  created_at: string;
  body_html?: Lang2;
  documents_html?: Lang2;
  fees_html?: Lang2;
  steps_html?: Lang2;
  audience_html?: Lang2;
  helpful?: number;
  not_helpful?: number;
}

export interface ArticleInput {
  slug?: string;
  title: Lang2;
  summary: Lang2;
  body: Lang2;
  documents: Lang2;
  fees: Lang2;
  steps: Lang2;
  audience: Lang2;
  valid_from: string | null;
  valid_until: string | null;
  offices: string[];
  services: string[];
}

export interface Version {
  version: number;
  status: Status;
  at: string;
  author: { id: string; name: string } | null;
  title: string;
}

const admin = (slug: string) => `${base(slug)}/admin/articles`;

export const kbAdmin = {
  list: (slug: string) => get<{ articles: StaffArticle[] }>(admin(slug)),
  get: (slug: string, id: string) => get<{ article: StaffArticle; helpful: number; not_helpful: number }>(`${admin(slug)}/${enc(id)}`),
  create: (slug: string, body: ArticleInput) => api<{ article: StaffArticle }>('POST', admin(slug), body),
  update: (slug: string, id: string, body: ArticleInput & { version: number }) => api<{ article: StaffArticle }>('PUT', `${admin(slug)}/${enc(id)}`, body),
  status: (slug: string, id: string, status: Status, version: number) =>
    api<{ article: StaffArticle }>('POST', `${admin(slug)}/${enc(id)}/status`, { status, version }),
  versions: (slug: string, id: string) => get<{ versions: Version[] }>(`${admin(slug)}/${enc(id)}/versions`),
};

/** Debounces a value: the latest one once it has not changed for `ms`. */
export { useDebounced } from './debounce';
