// Public side of the appointments API (docs/API.md, "Appointments"): the bookable offices, the
// month of free slots, booking, and the holder's calls by code + secret (X-Booking-Token).

import { enc, holderCall, type Method } from '../api';

export interface PlanRef {
  plan_id: string;
  slot_minutes: number;
  video: boolean;
  service: { id: string; name: string; documents: string } | null;
}

export interface BookableOffice {
  id: string;
  slug: string;
  name: string;
  description: string;
  site: { id: string; name: string; address: string } | null;
  plans: PlanRef[];
}

export interface DayFree {
  date: string;
  slots: number;
  places: number;
  free: number;
}

export interface FreeSlot {
  date: string;
  start: string;
  start_at: string;
  end_at: string;
  capacity: number;
  free: number;
}

export interface Availability {
  month: string;
  timezone: string;
  video: boolean;
  days: DayFree[];
  slots: FreeSlot[];
}

export interface Booking {
  code: string;
  state: 'booked' | 'cancelled' | 'arrived' | 'no_show' | 'done';
  office: { id: string; slug: string; name: string };
  service: { id: string; name: string; documents: string } | null;
  site: { id: string; name: string; address: string } | null;
  date: string;
  start: string;
  start_at: string;
  end_at: string;
  mode: 'in_person' | 'video';
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  notes: string | null;
  can_change: boolean;
  video_open: boolean;
  /** "Ti riceverà": the operator assigned from the console (id only in staff answers). */
  operator?: { id?: string; display_name: string } | null;
  id?: string;
  ticket_id?: string | null;
  visit_id?: string | null;
}

/** The answer of POST …/bookings/{code}/video-visit: the reception visit of the appointment. */
export interface VideoVisitAnswer {
  visit_id: string;
  token: string;
  office: { id: string; slug: string; name: string };
}

export const enteFromPath = () => decodeURIComponent(location.pathname.split('/')[1] ?? '');
export const bookingBase = (slug: string) => `/api/v1/enti/${enc(slug)}`;
export const icsUrl = (slug: string, code: string, secret: string) =>
  `${bookingBase(slug)}/bookings/${enc(code)}/ics?token=${enc(secret)}`;
export const manageUrl = (slug: string, code: string, secret: string) =>
  `/${enc(slug)}/prenotazione/${enc(code)}#${secret}`;

/** Calls the API without cookies, as the holder of `secret` when given. */
export async function call<T>(method: Method, path: string, secret: string | null, body?: unknown): Promise<T> {
  return holderCall<T>(method, path, secret ? { 'X-Booking-Token': secret } : {}, body);
}

/** "2026-12" → "2027-01" (delta months later). */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
