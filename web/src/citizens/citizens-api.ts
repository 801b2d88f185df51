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

export interface AreaAppointment {
  code: string;
  office: string;
  date: string;
  start: string;
  starts_at: string;
  state: string;
  mode: string;
}

export const area = (slug: string) => get<{ appointments: AreaAppointment[] }>(`${base(slug)}/area`);

/** A booking's link ("…/prenotazione/{code}#{secret}") → its code and secret, or null. */
export function parseBookingLink(link: string): { code: string; token: string } | null {
  const m = link.trim().match(/\/prenotazione\/([A-Za-z0-9-]{1,40})#([A-Za-z0-9_-]{16,200})$/);
  return m ? { code: decodeURIComponent(m[1]), token: m[2] } : null;
}

export const claimBooking = (slug: string, code: string, token: string) =>
  api<{ kind: string; ref: string; already: boolean }>('POST', `${base(slug)}/area/claims`, { kind: 'booking', code, token });
