// What the citizens' forms (booking, knock, message, phone ticket) use when a citizen is signed
// in on the ente: the applicant's details to prefill, and the link of an object just made to the
// personal area. Nobody signed in: nothing happens, the forms stay as they are.

import { claim, claimBooking, currentCitizen, type ClaimKind } from './citizens-api';

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

/** "Nome Cognome" of a prefill (the knock's and the message's one name field). */
export const fullName = (p: Prefill) => `${p.first_name} ${p.last_name}`.trim();

/** Puts a booking just made in the signed-in citizen's personal area (no-op when signed out). */
export async function linkBooking(slug: string, code: string, secret: string): Promise<void> {
  try {
    if (await currentCitizen(slug)) await claimBooking(slug, code, secret);
  } catch {
    /* the booking stands; the citizen can still add it from the personal area by its link */
  }
}

async function link(slug: string, kind: ClaimKind, ref: string, token: string): Promise<void> {
  try {
    if (await currentCitizen(slug)) await claim(slug, kind, ref, token);
  } catch {
    /* the object stands, anonymous (or already in another citizen's area: 409) */
  }
}

/** Links a visit just made (knock) to the signed-in citizen: the operator then sees the
 *  verified identity. No-op when signed out. */
export const linkVisit = (slug: string, id: string, token: string) => link(slug, 'visit', id, token);

/** Links a case (an offline message's, or one opened by its tracking link) by code and secret. */
export const linkCase = (slug: string, code: string, secret: string) => link(slug, 'case', code, secret);

/** Links a queue ticket (the phone ticket page's) by id and follow token. */
export const linkTicket = (slug: string, id: string, token: string) => link(slug, 'ticket', id, token);
