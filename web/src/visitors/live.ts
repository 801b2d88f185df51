// The info point's lists follow the live topic `visitors:{ente}` (docs/API.md, "Visitors"): its
// events carry no personal data (a visitor id and what changed), so a list that was opened reads
// itself again on each one — and that read is recorded as a view like any other. One WebSocket
// per page, shared by the lists.

import { useEffect, useRef } from 'preact/hooks';
import { Realtime } from '../realtime';

let shared: Realtime | null = null;
const realtime = () => (shared ??= new Realtime());

/**
 * While `topic` is set, calls `onChange` on every change of the visitors (and on a resync),
 * one read at a time: changes that arrive during a read cause one more read after it;
 * `onRevoked` when the server ended the subscription (logout, deactivation, no longer the info
 * point).
 */
export function useVisitorsLive(topic: string | null, onChange: () => Promise<unknown>, onRevoked?: (message: string) => void) {
  const change = useRef(onChange);
  const revoked = useRef(onRevoked);
  change.current = onChange;
  revoked.current = onRevoked;
  useEffect(() => {
    if (!topic) return;
    let busy = false;
    let again = false;
    const read = () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      void change.current().finally(() => {
        busy = false;
        if (again) {
          again = false;
          read();
        }
      });
    };
    return realtime().subscribe(topic, {
      onEvent: read,
      onResync: read,
      onRevoked: (_code, message) => revoked.current?.(message),
      onError: (_code, message) => revoked.current?.(message),
    });
  }, [topic]);
}
