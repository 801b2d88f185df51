// Types and calls of the cases API (docs/API.md, "Cases"). The citizen's calls carry the case's
// secret in X-Case-Token and no cookie.

import { holderCall, type Method } from '../api';

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
  return holderCall<T>(method, path, { 'X-Case-Token': secret }, body);
}

export const trackPath = (slug: string, code: string) =>
  `/api/v1/enti/${encodeURIComponent(slug)}/tracking/${encodeURIComponent(code)}`;
