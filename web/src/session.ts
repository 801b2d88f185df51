// The staff session: loading it (401 → null), remembering its CSRF token, going to login.

import { ApiError, api, enc, get, setCsrfToken, type Ente, type Session } from './api';

/** GET /api/v1/session; null when nobody is logged in. */
export async function loadSession(): Promise<Session | null> {
  try {
    const s = await get<Session>('/api/v1/session');
    setCsrfToken(s.csrf_token);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function login(slug: string, username: string, password: string): Promise<Session> {
  const s = await api<Session>('POST', `/api/v1/enti/${enc(slug)}/session`, { username, password });
  setCsrfToken(s.csrf_token);
  return s;
}

export async function logout(): Promise<void> {
  try {
    await api<void>('DELETE', '/api/v1/session');
  } catch (e) {
    // Already logged out is fine.
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  }
  setCsrfToken(null);
}

export function loginUrl(slug: string): string {
  return `/${enc(slug)}/login`;
}

export function goToLogin(slug: string): void {
  location.replace(loginUrl(slug));
}

/** Public data of an ente (for the header), null when it does not exist. */
export async function loadEnte(slug: string): Promise<Ente | null> {
  try {
    return await get<Ente>(`/api/v1/enti/${enc(slug)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
