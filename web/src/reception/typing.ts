// "Sta scrivendo…" both ways in a visit's chat. The hint rides the visit's signalling (the
// server relays it only between the two admitted parties, across nodes, and never stores it;
// `{kind:'typing', active}`); losing one is harmless: the writer repeats "active" every few
// seconds while the draft changes, says "stopped" when the draft is emptied or sent, and the
// reader lets an indicator lapse by itself if no repeat comes.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Realtime, SignalFrom } from '../realtime';

const REPEAT_MS = 3_000; // while writing, at most one hint per this
const IDLE_MS = 5_000; // no key for this long: "stopped"
const LAPSE_MS = 8_000; // the reader's indicator ends by itself after this without a repeat

/**
 * For one side (`me`) of the visit `topic`: whether the other side is writing now, and the two
 * calls the message box makes (`draftChanged` on every input, `sent` when a message leaves).
 * `enabled` false (the visit not in conversation) sends and shows nothing.
 */
export function useTyping(realtime: Realtime, topic: string, me: SignalFrom, enabled = true) {
  const [peerTyping, setPeerTyping] = useState(false);
  const lapse = useRef<number>();
  const lastSent = useRef(0);
  const active = useRef(false);
  const idle = useRef<number>();

  useEffect(() => {
    if (!enabled) return;
    const off = realtime.onSignal(topic, (from, data) => {
      if (from === me || data?.kind !== 'typing') return;
      window.clearTimeout(lapse.current);
      setPeerTyping(data.active === true);
      if (data.active === true) lapse.current = window.setTimeout(() => setPeerTyping(false), LAPSE_MS);
    });
    return () => {
      off();
      window.clearTimeout(lapse.current);
      window.clearTimeout(idle.current);
      setPeerTyping(false);
    };
  }, [realtime, topic, enabled]);

  const say = (on: boolean) => {
    active.current = on;
    lastSent.current = on ? Date.now() : 0;
    realtime.signal(topic, { kind: 'typing', active: on });
  };
  const stop = () => {
    window.clearTimeout(idle.current);
    if (active.current) say(false);
  };
  const draftChanged = (draft: string) => {
    if (!enabled) return;
    if (!draft.trim()) return stop();
    if (!active.current || Date.now() - lastSent.current >= REPEAT_MS) say(true);
    window.clearTimeout(idle.current);
    idle.current = window.setTimeout(stop, IDLE_MS);
  };
  // A message from the other side ends their "writing" at once.
  const peerSent = () => {
    window.clearTimeout(lapse.current);
    setPeerTyping(false);
  };
  return { peerTyping, draftChanged, sent: stop, peerSent };
}
