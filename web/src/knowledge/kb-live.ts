// "A scheda changed": the staff pages (console conversations and cases) refresh their
// suggestions when an article is created, saved, published, unpublished or archived —
// `kb.updated` on `ente:{slug}:staff` (docs/API.md, "Knowledge base"). One Realtime per page for
// this topic, shared by every listener and opened on the first; after a reconnection or a
// "resync" the listeners are told too, since changes may have been missed meanwhile.

import { Realtime } from '../realtime';

let rt: Realtime | null = null;
const listeners = new Map<string, { fns: Set<() => void>; off: () => void }>();

/** Calls `fn` whenever the ente's knowledge base may have changed; returns the unsubscribe. */
export function onKbUpdated(slug: string, fn: () => void): () => void {
  let entry = listeners.get(slug);
  if (!entry) {
    rt ??= new Realtime();
    const fns = new Set<() => void>();
    const all = () => fns.forEach((f) => f());
    let first = true;
    const off = rt.subscribe(`ente:${slug}:staff`, {
      onEvent: (type) => type === 'kb.updated' && all(),
      onResync: all,
      onSubscribed: () => {
        if (!first) all(); // back after a disconnection: something may have changed
        first = false;
      },
    });
    entry = { fns, off };
    listeners.set(slug, entry);
  }
  const e = entry;
  e.fns.add(fn);
  return () => {
    e.fns.delete(fn);
    if (e.fns.size === 0) {
      e.off();
      listeners.delete(slug);
    }
  };
}
