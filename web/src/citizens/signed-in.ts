// What the citizens' forms (booking, …) use when a citizen is signed in on the ente: the
// applicant's details to prefill, and the link of an object just made to the personal area.
// Nobody signed in: nothing happens, the forms stay as they are.

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
