// The info point's API (docs/API.md, "Visitors"): staff calls with the session (api()), the
// turnstile's with its device token (Authorization: Bearer).

import { ApiError, api, enc, get } from '../api';
import { getLang } from '../i18n';

export interface Visitor {
  id: string;
  state: 'expected' | 'registered';
  first_name: string;
  last_name: string;
  document: { type: string; tail: string } | null;
  office: { id: string; name: string };
  host: { operator_id: string | null; name: string | null };
  reason: string;
  expected_minutes: number;
  expected_at: string | null;
  created_at: string;
  pass: {
    valid_from: string;
    valid_until: string;
    revoked_at: string | null;
    inside: { area_id: string; area_name: string } | null;
    entered_at: string | null;
    exited_at: string | null;
    overstay_at: string | null;
  } | null;
}

export interface IssuedPass {
  visitor: Visitor;
  token: string;
  qr_svg: string;
  badge: { first_name: string; destination: string };
  /** The visitor's phone page (/{slug}/pass#token) and its QR. */
  phone_url: string;
  phone_qr_svg: string;
}

/** What the visitor's phone shows (POST /api/v1/visitor-pass, the pass token only). */
export interface PassView {
  ente: { name: string; timezone: string };
  first_name: string;
  destination: string;
  valid_from: string;
  valid_until: string;
  state: 'valid' | 'not_yet_valid' | 'expired' | 'revoked' | 'inside';
  inside_area: string | null;
  qr_svg: string;
}

export interface Area {
  id: string;
  name: string;
  offices: { id: string; name: string }[];
}

export interface TurnstileInfo {
  id: string;
  name: string;
  area_id: string;
  area_name: string;
  active: boolean;
  last_seen_at: string | null;
}

export interface TurnstileSecret {
  turnstile: TurnstileInfo;
  token: string;
  url: string;
  qr_svg: string;
}

export interface Rights {
  info_point: boolean;
  admin: boolean;
  settings: { info_office: { id: string; name: string } | null; retention_hours: number };
  /** The live topic of the lists (info point only). */
  topic: string | null;
}

export interface Occupancy {
  areas: {
    id: string;
    name: string;
    count: number;
    inside: { id: string; first_name: string; last_name: string; office: string; entered_at: string | null; valid_until: string; overstay: boolean }[];
  }[];
  total: number;
  at: string;
}

export interface CheckAnswer {
  allowed: boolean;
  reason: string;
  direction: 'in' | 'out';
  area_name: string;
  first_name: string | null;
  destination: string | null;
  at: string;
}

export interface TurnstileHome {
  turnstile: { id: string; name: string; area_id: string; area_name: string };
  ente: { slug: string; name: string };
}

const base = (slug: string) => `/api/v1/enti/${enc(slug)}`;

export const rights = (slug: string) => get<Rights>(`${base(slug)}/visitors/rights`);
export const registerVisitor = (slug: string, body: Record<string, unknown>) =>
  api<IssuedPass>('POST', `${base(slug)}/visitors`, body);
export const expectVisitor = (slug: string, body: Record<string, unknown>) =>
  api<Visitor>('POST', `${base(slug)}/visitors/expected`, body);
export const confirmVisitor = (slug: string, id: string) =>
  api<IssuedPass>('POST', `${base(slug)}/visitors/${enc(id)}/confirm`, {});
export const reissuePass = (slug: string, id: string) =>
  api<IssuedPass>('POST', `${base(slug)}/visitors/${enc(id)}/pass`, {});
export const revokePass = (slug: string, id: string) =>
  api<Visitor>('POST', `${base(slug)}/visitors/${enc(id)}/revoke`, {});
export const visitorsToday = (slug: string) =>
  get<{ day: string; visitors: Visitor[]; at: string }>(`${base(slug)}/visitors`);
export const occupancy = (slug: string) => get<Occupancy>(`${base(slug)}/occupancy`);

/** A turnstile's call with its device token. */
async function deviceCall<T>(token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'accept-language': getLang() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = json?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'error', e.message ?? res.statusText, e.field ?? null);
  }
  return json as T;
}

export const turnstileHome = (token: string) => deviceCall<TurnstileHome>(token, 'GET', '/api/v1/turnstile');
export const turnstileCheck = (token: string, pass: string, direction: 'in' | 'out') =>
  deviceCall<CheckAnswer>(token, 'POST', '/api/v1/turnstile/check', { token: pass, direction });
