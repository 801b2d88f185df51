// The citizen's side of the visit API (docs/API.md, "Virtual reception"): types, requests that
// carry the visit token (X-Visit-Token) or a kiosk's device token (Authorization: Bearer), and
// where the browser keeps a visit's token so that a reload returns to the same visit.
// Errors are ApiError (web/src/api.ts) with the body's extra fields (e.g. next_opens_at) kept.

import { ApiError, enc, holderCall, type Method } from '../api';
import { tv } from './i18n-visit';

export type VisitState = 'waiting' | 'admitted' | 'ended' | 'left' | 'rejected';
export type VisitMode = 'chat' | 'video';
export type EndedBy = 'citizen' | 'operator' | 'system';
export type Score = 'positive' | 'neutral' | 'negative';
export const REASONS = ['waiting_time', 'courtesy', 'competence', 'clarity', 'not_solved', 'technical'] as const;
export type Reason = (typeof REASONS)[number];

export interface OfficeRef {
  id: string;
  slug: string;
  name: string;
}

export interface Visit {
  id: string;
  state: VisitState;
  mode: VisitMode;
  channel: string;
  name: string | null;
  topic: string | null;
  office: OfficeRef;
  knock_no: number;
  knocked_at: string;
  admitted_at: string | null;
  ended_at: string | null;
  /** Who ended or left it: "system" when the citizen's page stayed disconnected too long. */
  ended_by: EndedBy | null;
  /** false while the citizen's page has been disconnected for more than 60 s. */
  connected: boolean;
  /** Since when the citizen's page is disconnected (ISO instant), null while connected. */
  disconnected_since: string | null;
  /** When the citizen was asked "ci sei ancora?", while the question is open (null otherwise). */
  still_there_asked_at: string | null;
  position: number | null;
  queue_topic: string;
  queue_seq: number;
  operators_available: number;
  avg_handle_ms: number;
  estimated_wait_ms: number;
  operator: { id?: string; display_name: string } | null;
  /** An appointment's visit (channel "appointment") reserved for the booking's operator. */
  reserved_for?: { id: string; display_name: string } | null;
  reject_reason: string | null;
  outcome: string | null;
  call: 'none' | 'proposed' | 'active';
  rated: boolean;
}

export interface Message {
  seq: number;
  from: 'citizen' | 'operator' | 'system';
  body: string;
  at: string;
  client_id: string | null;
  operator: { display_name: string } | null;
}

export interface MessagesAnswer {
  messages: Message[];
  citizen_read: number;
  operator_read: number;
}

export interface ModeStatus {
  /** false when the office does not offer this mode at all */
  offered?: boolean;
  open: boolean;
  next_opens_at: string | null;
}

export interface Reception {
  office: OfficeRef;
  modes: Partial<Record<VisitMode, ModeStatus>>;
  operators_available: number;
  waiting: number;
  avg_handle_ms: number;
  estimated_wait_ms: number;
  can_knock: Partial<Record<VisitMode, boolean>>;
}

export interface KnockAnswer {
  visit: Visit;
  token: string;
}

export interface IceAnswer {
  ice_servers: RTCIceServer[];
  ice_transport_policy: 'all' | 'relay';
  ttl_seconds: number;
}

/** An API error with the whole error object of the body (e.g. `next_opens_at` of a 409). */
export class VisitApiError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    field: string | null,
    readonly details: Record<string, unknown>,
  ) {
    super(status, code, message, field);
  }
}

/** Headers that identify the caller: a visit token or a kiosk device token. */
export type Credentials = { visitToken: string } | { deviceToken: string } | null;

/** Calls the API with `creds`; throws VisitApiError (status 0, code "network" when unreachable). */
export async function request<T>(method: Method, path: string, creds: Credentials, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (creds && 'visitToken' in creds) headers['X-Visit-Token'] = creds.visitToken;
  if (creds && 'deviceToken' in creds) headers.Authorization = `Bearer ${creds.deviceToken}`;
  return holderCall<T>(method, path, headers, body, (status, code, message, field, raw) => new VisitApiError(status, code, message, field, raw));
}

/** A message for the person: the server's own text, or the network sentence. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.code === 'network' ? tv('error.network') : e.message;
  return tv('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

/**
 * Worth retrying with the same idempotency key: no answer, or the server failed. Not a 429: a
 * limit refused it (too many messages), and retrying would only be refused again — the person
 * is told instead.
 */
export function isTransient(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status >= 500);
}

export const officePath = (slug: string, office: string) => `/api/v1/enti/${enc(slug)}/offices/${enc(office)}`;

export function getReception(slug: string, office: string): Promise<Reception> {
  return request<Reception>('GET', `${officePath(slug, office)}/reception`, null);
}

export function knock(
  slug: string,
  office: string,
  body: { name?: string; topic?: string; mode: VisitMode; channel: 'web' | 'widget' },
): Promise<KnockAnswer> {
  return request<KnockAnswer>('POST', `${officePath(slug, office)}/visits`, null, body);
}

/** The case an offline message opened: its code and secret are what the citizen keeps. */
export interface CallbackCase {
  code: string;
  /** Grouped for reading ("ABCD-EFGH-…", 28 characters): the case's secret. */
  secret: string;
  /** The tracking page, where code and secret are typed. */
  tracking_path: string;
  /** The same page opening the case at once (secret in the fragment). */
  tracking_link: string;
}

export function sendCallbackRequest(
  slug: string,
  office: string,
  body: { name: string; contact: string; message: string; privacy_accepted: true },
): Promise<{ code: string; office: OfficeRef; case?: CallbackCase }> {
  return request('POST', `${officePath(slug, office)}/callback-requests`, null, body);
}

/** A random id for idempotent retries (messages' client_id). */
export function clientId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * One visit as its citizen sees it: the calls that need the visit token. The token lives only
 * here (and, on the web page, in sessionStorage through VisitStore; never on a kiosk).
 */
export class VisitClient {
  constructor(
    readonly id: string,
    readonly token: string,
  ) {}

  private call<T>(method: Method, sub: string, body?: unknown): Promise<T> {
    return request<T>(method, `/api/v1/visits/${enc(this.id)}${sub}`, { visitToken: this.token }, body);
  }

  get = () => this.call<Visit>('GET', '');
  leave = () => this.call<Visit>('POST', '/leave', {});
  /** "Sì, ci sono": the answer to "ci sei ancora?". */
  here = () => this.call<Visit>('POST', '/here', {});
  messages = (after = 0) => this.call<MessagesAnswer>('GET', `/messages?after=${after}`);
  send = (body: string, client_id: string) => this.call<Message>('POST', '/messages', { body, client_id });
  read = (seq: number) => this.call<void>('POST', '/read', { seq });
  startCall = () => this.call<Visit>('POST', '/call', {});
  endCall = () => this.call<Visit>('DELETE', '/call');
  ice = () => this.call<IceAnswer>('GET', '/ice');
  end = () => this.call<Visit>('POST', '/end', {});
  rate = (body: { score: Score; reasons?: Reason[]; comment?: string }) => this.call<void>('POST', '/rating', body);

  /** The topic of the visit's own events (subscribe with this client's token). */
  get topic(): string {
    return `visit:${this.id}`;
  }
}

/** Where a web page keeps its visit (id + token) so that a reload returns to it. */
export interface VisitStore {
  load(): { id: string; token: string } | null;
  save(v: { id: string; token: string }): void;
  clear(): void;
}

/** sessionStorage, one visit per ente and office (a tab, not the whole browser, holds it). */
export function sessionVisitStore(slug: string, office: string): VisitStore {
  const key = `sportello.visit.${slug}.${office}`;
  return {
    load() {
      try {
        const v = JSON.parse(sessionStorage.getItem(key) ?? 'null');
        return v && typeof v.id === 'string' && typeof v.token === 'string' ? v : null;
      } catch {
        return null;
      }
    },
    save(v) {
      try {
        sessionStorage.setItem(key, JSON.stringify({ id: v.id, token: v.token }));
      } catch {
        // storage unavailable: the visit still works until the page is closed
      }
    },
    clear() {
      try {
        sessionStorage.removeItem(key);
      } catch {
        // ignore
      }
    },
  };
}

/** Memory only: the kiosk keeps nothing personal in the browser. */
export function memoryVisitStore(): VisitStore {
  let v: { id: string; token: string } | null = null;
  return { load: () => v, save: (x) => (v = { ...x }), clear: () => (v = null) };
}
