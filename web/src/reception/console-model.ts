// The staff side of the virtual reception: the API's shapes (docs/API.md, "Virtual reception"),
// the console's calls, and small pure helpers (who, when, how long) used by its components.

import { api, enc, get } from '../api';
import { tc, tcMaybe } from './i18n-console';
import type { IceAnswer, Message, MessagesAnswer, OfficeRef, Score, Visit as CitizenVisit } from './visit-api';

export type { EndedBy, Message, MessagesAnswer, OfficeRef, Score, VisitMode, VisitState } from './visit-api';

export type Outcome = 'resolved' | 'needs_callback' | 'transferred' | 'abandoned';
export const OUTCOMES: Outcome[] = ['resolved', 'needs_callback', 'transferred', 'abandoned'];

export interface Rating {
  score: Score;
  reasons?: string[];
  comment?: string | null;
}

/** A visit as staff read it: ended visits listed by the office also carry their rating. */
export interface Visit extends CitizenVisit {
  rating?: Rating | null;
}

/** Runs a request that answers with the visit, applies the answer (when still the newest) and returns it. */
export type VisitAct = (request: () => Promise<Visit>) => Promise<Visit>;

export interface ReceptionOffice {
  office: OfficeRef;
  waiting: Visit[];
  active: Visit[];
  operators_available: number;
}

export interface CallbackRequest {
  id: string;
  code: string;
  office: OfficeRef;
  name: string;
  contact: string;
  message: string;
  state: 'new' | 'done';
  created_at: string;
  done_at: string | null;
  done_by: unknown;
  note: string | null;
}

// ---- API ---------------------------------------------------------------------------------

const visitPath = (id: string, rest = '') => `/api/v1/visits/${enc(id)}${rest}`;
const entePath = (slug: string, rest: string) => `/api/v1/enti/${enc(slug)}${rest}`;

export const receptionApi = {
  reception: (slug: string) => get<{ offices: ReceptionOffice[] }>(entePath(slug, '/reception')),
  ended: (slug: string, office: string, limit = 50) =>
    get<{ visits: Visit[] }>(entePath(slug, `/offices/${enc(office)}/visits?state=ended&limit=${limit}`)),
  admit: (id: string) => api<Visit>('POST', visitPath(id, '/admit'), {}),
  admitNext: (slug: string, office: string) => api<Visit>('POST', entePath(slug, `/offices/${enc(office)}/admit-next`), {}),
  reject: (id: string, reason: string) => api<Visit>('POST', visitPath(id, '/reject'), { reason }),
  transfer: (id: string, office: string) => api<Visit>('POST', visitPath(id, '/transfer'), { office }),
  end: (id: string, outcome: Outcome, callback?: { phone: string; due_at?: string; note?: string }) =>
    api<Visit>('POST', visitPath(id, '/end'), callback ? { outcome, callback } : { outcome }),
  /** A case from an ended visit (the "Apri una pratica" of the workspace). */
  openCase: (slug: string, visit: string, subject: string) =>
    api<{ case: { id: string; code: string } }>('POST', entePath(slug, '/cases'), { visit, subject }),
  visit: (id: string) => get<Visit>(visitPath(id)),
  messages: (id: string, after = 0) => get<MessagesAnswer>(visitPath(id, `/messages?after=${after}`)),
  send: (id: string, body: string, clientId: string) =>
    api<Message>('POST', visitPath(id, '/messages'), { body, client_id: clientId }),
  read: (id: string, seq: number) => api<void>('POST', visitPath(id, '/read'), { seq }),
  startCall: (id: string) => api<Visit>('POST', visitPath(id, '/call'), {}),
  proposeCall: (id: string) => api<void>('POST', visitPath(id, '/call/propose'), {}),
  hangup: (id: string) => api<Visit>('DELETE', visitPath(id, '/call')),
  ice: (id: string) => get<IceAnswer>(visitPath(id, '/ice')),
  callbacks: (slug: string, office: string) =>
    get<{ callback_requests: CallbackRequest[] }>(entePath(slug, `/callback-requests?office=${enc(office)}&state=new`)),
  callbackDone: (slug: string, id: string, note: string) =>
    api<CallbackRequest>('POST', entePath(slug, `/callback-requests/${enc(id)}/done`), note ? { note } : {}),
};

// ---- helpers -----------------------------------------------------------------------------

/** "Mario" or "Cittadino anonimo". */
export function visitWho(v: Pick<Visit, 'name'>): string {
  return v.name?.trim() || tc('queue.anonymous');
}

/** "URP" from "URP - Ufficio Relazioni con il Pubblico": the office's short name. */
export function officeShort(o: OfficeRef): string {
  return o.name.split(/\s[-–—]\s/)[0] || o.name;
}

/** The knock alert: "Nuova bussata all’ufficio URP: Mario — Residenza". */
export function knockText(v: Visit): string {
  const who = v.topic?.trim() ? `${visitWho(v)} — ${v.topic.trim()}` : visitWho(v);
  return tc('knock.alert', { office: officeShort(v.office), who });
}

/** A translated label for a value of an enum-like field ("mode.video", "outcome.resolved"…). */
export function label(prefix: 'mode' | 'channel' | 'outcome' | 'rating' | 'state', value: string): string {
  return tcMaybe(`${prefix}.${value}`, value);
}

// The server's clock may be injected (tests, demos): relative times follow its "now".
let skewMs = 0;

/** Remembers the server's "now" (from an answer that carries it) against the browser's clock. */
export function setServerNow(iso: string): void {
  const t = Date.parse(iso);
  if (!Number.isNaN(t)) skewMs = t - Date.now();
}

export function serverNow(): number {
  return Date.now() + skewMs;
}

/** "pochi secondi", "4 min", "1 h 5 min" since `iso`. */
export function elapsed(iso: string, now = serverNow()): string {
  const min = Math.floor(Math.max(0, now - Date.parse(iso)) / 60_000);
  if (min < 1) return tc('time.justNow');
  if (min < 60) return tc('time.minutes', { n: min });
  return tc('time.hours', { h: Math.floor(min / 60), m: min % 60 });
}

/**
 * The citizen's page has been disconnected for more than a minute: a waiting visit keeps its
 * place (10 minutes) but cannot be admitted until it comes back. A visit without the field
 * (an older server) counts as connected.
 */
export function isDisconnected(v: Pick<Visit, 'connected'>): boolean {
  return v.connected === false;
}

/** "da 3 min" for a disconnected visit (empty when the server gave no instant). */
export function disconnectedFor(v: Pick<Visit, 'disconnected_since'>, now = serverNow()): string | null {
  return v.disconnected_since ? elapsed(v.disconnected_since, now) : null;
}

/** Waiting visits in line order: appointments first (as the server), then original knock time,
 * then knock number. */
export function byKnock(a: Visit, b: Visit): number {
  const appt = Number(b.channel === 'appointment') - Number(a.channel === 'appointment');
  return appt || a.knocked_at.localeCompare(b.knocked_at) || a.knock_no - b.knock_no;
}

/**
 * Applies a visit's new state to the offices' lists: it leaves every list, then joins its
 * office's waiting or active list when it is waiting or admitted there (the visit also carries
 * its office's operators on duty).
 */
export function applyVisit(offices: ReceptionOffice[], v: Visit): ReceptionOffice[] {
  return offices.map((o) => {
    const waiting = o.waiting.filter((x) => x.id !== v.id);
    const active = o.active.filter((x) => x.id !== v.id);
    let available = o.operators_available;
    if (o.office.id === v.office.id) {
      if (v.state === 'waiting') waiting.push(v);
      else if (v.state === 'admitted') active.push(v);
      if (typeof v.operators_available === 'number') available = v.operators_available;
    }
    waiting.sort(byKnock);
    return { ...o, waiting, active, operators_available: available };
  });
}
