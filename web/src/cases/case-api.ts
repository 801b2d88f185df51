// Types and calls of the cases API (docs/API.md, "Cases"). The citizen's calls carry the case's
// secret in X-Case-Token and no cookie.

import { ApiError, type Method } from '../api';

export interface PublicEntry {
  kind: string;
  body: string;
  at: string;
  state?: string;
  channel?: string;
}

export interface TrackAnswer {
  code: string;
  subject: string;
  state: string;
  state_label: { it: string; en: string };
  office: { name: string };
  level: number;
  due_at: string;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  can_add_info: boolean;
  timeline: PublicEntry[];
  attachments: { id: string; filename: string; size: number; uploaded_by: string; at: string }[];
}

/** Calls the API as the case's citizen (JSON in and out). */
export async function citizenCall<T>(method: Method, path: string, secret: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Case-Token': secret };
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'omit', body: payload });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e), null);
  }
  const text = await res.text();
  let data: any;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data?.error ?? {}) as Record<string, unknown>;
    throw new ApiError(
      res.status,
      typeof err.code === 'string' ? err.code : `http_${res.status}`,
      typeof err.message === 'string' ? err.message : res.statusText || `HTTP ${res.status}`,
      typeof err.field === 'string' ? err.field : null,
    );
  }
  return data as T;
}

export const trackPath = (slug: string, code: string) =>
  `/api/v1/enti/${encodeURIComponent(slug)}/tracking/${encodeURIComponent(code)}`;
