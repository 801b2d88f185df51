// Typed fetch wrapper for the Sportello HTTP API (docs/API.md).
// Every failure becomes an ApiError carrying the server's {"error":{code,message,field}};
// state-changing requests carry the session's CSRF token and a JSON content type.
// Every call says the chosen UI language (Accept-Language), so the server's error messages
// come in that language (platform/i18n.h).

import { getLang } from './i18n';

export type Channel = 'walk_in' | 'video' | 'chat' | 'phone' | 'email';
export const CHANNELS: Channel[] = ['walk_in', 'video', 'chat', 'phone', 'email'];

export interface EnteSummary {
  slug: string;
  name: string;
  logo_url: string | null;
  primary_color: string | null;
}

export interface Ente extends EnteSummary {
  timezone: string;
  patron_day?: string | null;
  patron_name?: string | null;
  embed_origins?: string[];
}

export interface TimeRange {
  start: string;
  end: string;
}

export interface OpenStatus {
  open: boolean;
  closes_at: string | null;
  next_opens_at: string | null;
}

export interface DayHours {
  date: string;
  weekday: number;
  closed: boolean;
  holiday: string | null;
  exception: boolean;
  note: string;
  intervals: TimeRange[];
}

export interface PublicOffice {
  id: string;
  slug: string;
  name: string;
  description?: string;
  email?: string | null;
  phone?: string | null;
  site?: { id: string; name: string; address?: string | null } | null;
  channels: string[];
  status: OpenStatus;
  week: DayHours[];
  channel_hours?: Record<string, { status: OpenStatus; week: DayHours[] }>;
}

export interface OfficesAnswer {
  ente: Ente;
  now: string;
  offices: PublicOffice[];
}

export type Role = 'operator' | 'supervisor' | 'admin';
export type Presence = 'available' | 'busy' | 'away';

export interface Operator {
  id: string;
  username: string;
  display_name: string;
  email?: string | null;
  role: Role;
  presence: Presence;
  active: boolean;
  offices: { id: string; slug: string; name: string }[];
  office_ids?: string[];
}

export interface Session {
  operator: Operator;
  ente: Ente;
  csrf_token: string;
}

export interface ScheduleRule {
  weekday: number;
  start: string;
  end: string;
  channel: string | null;
}

export interface ScheduleException {
  date: string;
  closed: boolean;
  intervals: TimeRange[];
  channel: string | null;
  note: string;
}

export interface Schedule {
  rules: ScheduleRule[];
  exceptions: ScheduleException[];
}

export interface HolidayEntry {
  date: string;
  name: string;
  kind: 'national' | 'patron' | 'ente';
  id?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  /** Seconds to wait before trying again (429: the server's `retry_after`), else null. */
  retryAfter: number | null = null;

  constructor(status: number, code: string, message: string, field?: string | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field ?? null;
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'too_many_requests',
  500: 'internal',
  503: 'unavailable',
};

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current staff session (from login or GET /session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Builds the error a holder call rejects with (status 0, code "network" when unreachable). */
export type ErrorFactory = (status: number, code: string, message: string, field: string | null, raw: Record<string, unknown>) => Error;

/**
 * A JSON call without cookies, as the holder of a server-minted token (citizens, kiosks, ticket
 * and booking holders): `headers` carry the token. Resolves with the parsed body (undefined when
 * there is none); rejects with `fail(...)` built from the server's {"error":{code,message,field}}.
 */
export async function holderCall<T>(
  method: Method,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  fail: ErrorFactory = (status, code, message, field) => new ApiError(status, code, message, field),
): Promise<T> {
  const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang(), ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res: Response;
  try {
    // The holder has no session: send no cookie (also inside the widget's iframe).
    res = await fetch(path, { method, headers: h, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw fail(0, 'network', e instanceof Error ? e.message : String(e), null, {});
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: any;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data?.error ?? {}) as Record<string, unknown>;
    throw fail(
      res.status,
      typeof err.code === 'string' ? err.code : `http_${res.status}`,
      typeof err.message === 'string' ? err.message : res.statusText || `HTTP ${res.status}`,
      typeof err.field === 'string' ? err.field : null,
      err,
    );
  }
  return data as T;
}

/**
 * Calls the API and returns the parsed JSON body (undefined for 204).
 * Throws ApiError: status 0 / code "network" when the server cannot be reached.
 */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang() };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (
      data as { error?: { code?: string; message?: string; field?: string; retry_after?: number } } | undefined
    )?.error;
    const e = new ApiError(
      res.status,
      err?.code ?? CODE_BY_STATUS[res.status] ?? 'internal',
      err?.message ?? res.statusText ?? `HTTP ${res.status}`,
      err?.field ?? null,
    );
    if (typeof err?.retry_after === 'number') e.retryAfter = err.retry_after;
    throw e;
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** A collection answer may be a bare array or an object holding one array (e.g. {"sites":[…]}). */
export function listOf<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  if (answer && typeof answer === 'object') {
    const obj = answer as Record<string, unknown>;
    if (Array.isArray(obj[key])) return obj[key] as T[];
    for (const v of Object.values(obj)) if (Array.isArray(v)) return v as T[];
  }
  return [];
}

export const enc = encodeURIComponent;
