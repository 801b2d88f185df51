// Addresses of the citizen's reception pages (shared with the offices page, which should not
// load the whole visit flow to link to it).

/** The fragment that opens the visit page directly on the "Lascia un messaggio" form. */
export const MESSAGE_HASH = '#messaggio';

/** "/{slug}/visit/{office}" */
export function visitUrl(slug: string, office: string): string {
  return `/${encodeURIComponent(slug)}/visit/${encodeURIComponent(office)}`;
}
