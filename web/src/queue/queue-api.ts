// Public side of the queue-ticket API (docs/API.md, "Queue tickets (eliminacode)"): the site's
// queue answer, issuing a ticket from the machine (kiosk device token), and small pure helpers
// shared by the ticket machine and the display board.

import { enc } from '../api';

export type Priority = 'none' | 'pregnancy' | 'age' | 'disability';
export const PRIORITY_REASONS = ['pregnancy', 'age', 'disability'] as const;

export interface QueueService {
  id: string;
  prefix: string;
  name: string;
  open: boolean;
  next_opens_at: string | null;
  waiting: number;
  estimated_wait_s: number | null;
}

export interface QueueAnswer {
  site: { id: string; name: string };
  services: QueueService[];
  counters: { name: string; state: string }[];
  board_topic: string;
  board_seq: number;
}

export interface Ticket {
  id: string;
  code: string;
  number: number;
  day: string;
  service: { id: string; prefix: string; name: string };
  site_id: string;
  state: string;
  priority: string;
  source: string;
  issued_at: string;
  counter: { id: string; name: string } | null;
  recalls: number;
  appointment_at?: string | null;
  called_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  transferred_from?: unknown;
  ahead: number | null;
  estimated_wait_s: number | null;
  /** While waiting: open counters serving its service (0: nobody calls now). */
  counters_open?: number | null;
  board_topic: string;
}

export interface IssueAnswer {
  ticket: Ticket;
  token: string;
  /** Machine tickets: the phone's status page of this ticket (token in the fragment). */
  follow_url?: string;
  /** Machine tickets: a QR code of follow_url (SVG made by the server, no input text in it). */
  qr_svg?: string | null;
}

export type CounterState = 'closed' | 'open' | 'paused';

/** A counter (postazione) as staff see it: GET /api/v1/enti/{slug}/counters. */
export interface Counter {
  id: string;
  name: string;
  site_id: string;
  state: CounterState;
  /** false once an admin deactivated it (it cannot call). */
  active?: boolean;
  services: string[];
  current: Ticket | null;
}

/** Which rule of the call-next policy chose the ticket. */
export type CallKind = 'appointment' | 'priority' | 'normal' | 'fairness';

export interface CallNextAnswer {
  ticket: Ticket | null;
  counter: Counter;
  kind: CallKind | null;
}

export const countersPath = (slug: string) => `/api/v1/enti/${enc(slug)}/counters`;

/** The board's public event payload of ticket.called / ticket.recalled. */
export interface BoardCall {
  code: string;
  counter: string;
  service: string;
}

export const queuePath = (slug: string, site: string) => `/api/v1/enti/${enc(slug)}/sites/${enc(site)}/queue`;
export const ticketsPath = (slug: string, site: string) => `/api/v1/enti/${enc(slug)}/sites/${enc(site)}/tickets`;

/** The phone ticket page's own address: /{slug}/ticket/{site}. */
function ticketPageParts(): string[] | null {
  const parts = location.pathname.split('/').filter(Boolean);
  return parts.length === 3 && parts[1] === 'ticket' ? parts.map(decodeURIComponent) : null;
}

/** The ente of the page: /{slug}/ticket/{site}, else ?ente=…, "esempio" by default. */
export function enteSlug(): string {
  const tp = ticketPageParts();
  if (tp) return tp[0];
  return new URLSearchParams(location.search).get('ente')?.trim() || 'esempio';
}

/** The site of the page: /ticket-machine/{site}, /board/{site}, /{slug}/ticket/{site}, else ?site=…. */
export function siteId(): string {
  const tp = ticketPageParts();
  if (tp) return tp[2];
  const parts = location.pathname.split('/').filter(Boolean);
  if (parts.length >= 2 && !parts[0].endsWith('.html')) return decodeURIComponent(parts[1]);
  return new URLSearchParams(location.search).get('site') ?? '';
}

/** "C001" → { letters: "C", n: 1 } (for speech: "C 1"). */
export function splitCode(code: string): { letters: string; n: number | null } {
  const m = /^(\D*)(\d+)$/.exec(code);
  return m ? { letters: m[1], n: Number(m[2]) } : { letters: code, n: null };
}

/** The service prefix of a ticket code ("C001" → "C"). */
export const codePrefix = (code: string) => splitCode(code).letters.toUpperCase();
