// The citizens' sign-in API (docs/API.md, "Citizens").

import { ApiError, api, enc, get, setCsrfToken } from '../api';

export interface SignInProvider {
  key: string;
  label: string;
}

export interface CitizenSession {
  citizen: { fiscal_number: string; given_name: string; family_name: string; email: string; phone: string };
  ente: string;
  provider: string;
  csrf_token: string;
}

const base = (slug: string) => `/api/v1/enti/${enc(slug)}/citizens`;

export const providers = (slug: string) => get<{ providers: SignInProvider[] }>(`${base(slug)}/providers`);

export const loginUrl = (slug: string, key: string, returnTo: string) =>
  `${base(slug)}/login/${enc(key)}?return_to=${enc(returnTo)}`;

/** The signed-in citizen, or null when nobody is signed in on this ente. */
export async function currentCitizen(slug: string): Promise<CitizenSession | null> {
  try {
    const s = await get<CitizenSession>(`${base(slug)}/session`);
    setCsrfToken(s.csrf_token);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Signs out; the provider's logout URL when it offers one. */
export async function signOut(slug: string): Promise<string | null> {
  const r = await api<{ end_session_url: string | null }>('DELETE', `${base(slug)}/session`);
  setCsrfToken(null);
  return r.end_session_url;
}

export interface AreaRating {
  score: 'positive' | 'neutral' | 'negative';
  reasons: string[];
  comment: string;
  rated_at: string;
}

export interface AreaAppointment {
  code: string;
  office: string;
  date: string;
  start: string;
  starts_at: string;
  state: string;
  mode: string;
  can_change: boolean;
  rating: AreaRating | null;
}

export interface AreaVisit {
  id: string;
  office: string;
  state: string;
  mode: string;
  channel: string;
  topic: string;
  knocked_at: string;
  ended_at: string | null;
  transcript: { from: 'citizen' | 'operator' | 'system'; body: string; operator: string | null; at: string }[];
  rating: AreaRating | null;
}

export interface AreaCase {
  code: string;
  subject: string;
  office: string;
  state: string;
  state_label: { it: string; en: string };
  created_at: string;
  updated_at: string;
  timeline: { kind: string; body: string; state?: string; at: string }[];
  rating: AreaRating | null;
}

export interface AreaTicket {
  id: string;
  code: string;
  service: string;
  state: string;
  day: string;
  counter: string | null;
  issued_at: string;
  called_at: string | null;
  rating: AreaRating | null;
}

export interface AreaData {
  visits: AreaVisit[];
  cases: AreaCase[];
  appointments: AreaAppointment[];
  tickets: AreaTicket[];
}

export const area = (slug: string) => get<AreaData>(`${base(slug)}/area`);

/** Cancels / moves a booking of the personal area: the citizen's session is the holder's proof. */
export const cancelAppointment = (slug: string, code: string) =>
  api<unknown>('POST', `/api/v1/enti/${enc(slug)}/bookings/${enc(code)}/cancel`, {});
export const moveAppointment = (slug: string, code: string, date: string, start: string) =>
  api<{ date: string; start: string }>('POST', `/api/v1/enti/${enc(slug)}/bookings/${enc(code)}/reschedule`, { date, start });
export const appointmentDetail = (slug: string, code: string) =>
  get<{ office: { id: string }; service: { id: string } | null; date: string }>(`/api/v1/enti/${enc(slug)}/bookings/${enc(code)}`);

/** A booking's link ("…/prenotazione/{code}#{secret}") → its code and secret, or null. */
export function parseBookingLink(link: string): { code: string; token: string } | null {
  const m = link.trim().match(/\/prenotazione\/([A-Za-z0-9-]{1,40})#([A-Za-z0-9_-]{16,200})$/);
  return m ? { code: decodeURIComponent(m[1]), token: m[2] } : null;
}

export type ClaimKind = 'booking' | 'visit' | 'case' | 'ticket';

/** Puts an object in the signed-in citizen's area by its holder's proof (once; 409 when another
 *  citizen claimed it). */
export const claim = (slug: string, kind: ClaimKind, code: string, token: string) =>
  api<{ kind: string; ref: string; already: boolean }>('POST', `${base(slug)}/area/claims`, { kind, code, token });

export const claimBooking = (slug: string, code: string, token: string) => claim(slug, 'booking', code, token);

/** A link the citizen received → what it claims: a booking ("…/prenotazione/{code}#{secret}"),
 *  a case ("…/pratica/{code}#{secret}"). Null otherwise. */
export function parseObjectLink(link: string): { kind: ClaimKind; code: string; token: string } | null {
  const b = parseBookingLink(link);
  if (b) return { kind: 'booking', ...b };
  let u: URL;
  try {
    u = new URL(link.trim(), location.origin);
  } catch {
    return null;
  }
  const hash = decodeURIComponent(u.hash.replace(/^#/, ''));
  const m = u.pathname.match(/\/pratica\/([A-Za-z0-9-]{4,40})\/?$/);
  if (m && hash.length >= 8 && hash.length <= 200) return { kind: 'case', code: decodeURIComponent(m[1]), token: hash };
  return null;
}
