// What the citizens' forms (booking, …) use when a citizen is signed in on the ente: the
// applicant's details to prefill, and the link of an object just made to the personal area.
// Nobody signed in: nothing happens, the forms stay as they are.

import { api } from '../api';
import { claimBooking, currentCitizen } from './citizens-api';

export interface Prefill {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
}

/** The signed-in citizen's details, or null (also on any error: prefill is a convenience). */
export async function signedInPrefill(slug: string): Promise<Prefill | null> {
  try {
    const s = await currentCitizen(slug);
    if (!s) return null;
    const c = s.citizen;
    return { first_name: c.given_name, last_name: c.family_name, email: c.email, phone: c.phone };
  } catch {
    return null;
  }
}

/** Puts a booking just made in the signed-in citizen's personal area (no-op when signed out). */
export async function linkBooking(slug: string, code: string, secret: string): Promise<void> {
  try {
    if (await currentCitizen(slug)) await claimBooking(slug, code, secret);
  } catch {
    /* the booking stands; the citizen can still add it from the personal area by its link */
  }
}

/** Links a visit just made (knock) to the signed-in citizen: the operator then sees the
 *  verified identity. No-op when signed out. */
export async function linkVisit(slug: string, id: string, token: string): Promise<void> {
  try {
    if (await currentCitizen(slug)) {
      await api('POST', `/api/v1/enti/${encodeURIComponent(slug)}/citizens/area/claims`, { kind: 'visit', code: id, token });
    }
  } catch {
    /* the visit stands, anonymous */
  }
}
