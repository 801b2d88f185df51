// Small pieces shared by the visit page, the widget and the kiosk: a polite live region of their
// own (the widget and the kiosk have no page frame), an inline confirmation (no window.confirm,
// which a kiosk or an iframe may block), and the "closed, next opening" notice.

import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { tv } from './i18n-visit';
import { formatWhen } from './text';

// ---- announcements ----------------------------------------------------------------------

type Announce = (msg: string) => void;
const AnnounceContext = createContext<Announce>(() => undefined);

/** Says a message to screen readers through the nearest <Announcer>. */
export const useAnnounce = () => useContext(AnnounceContext);

/** A visually hidden aria-live="polite" region and the context that writes into it. */
export function Announcer({ children }: { children: ComponentChildren }) {
  const [msg, setMsg] = useState('');
  const timer = useRef<number>();
  const announce = useRef<Announce>((m: string) => {
    // Clear first so that the same sentence said twice is announced twice.
    setMsg('');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMsg(m), 60);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <AnnounceContext.Provider value={announce.current}>
      {children}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="reception-announcer">
        {msg}
      </div>
    </AnnounceContext.Provider>
  );
}

// ---- focus --------------------------------------------------------------------------------

/**
 * Moves the focus to the element (a heading with tabIndex -1) when `key` changes, and on the
 * first render only if `onMount` (the element replaces what the person just used, e.g. the
 * knock form's button): a page that just loaded keeps its focus where it is.
 */
export function useFocusOnChange<T extends HTMLElement>(key: unknown, onMount = false) {
  const ref = useRef<T>(null);
  const first = useRef(true);
  useEffect(() => {
    if (!first.current || onMount) ref.current?.focus();
    first.current = false;
  }, [key]);
  return ref;
}

// ---- confirmation -----------------------------------------------------------------------

/**
 * A button that asks before acting: the question and the two answers replace it inline, the
 * focus moves to "No" (the safe choice) and comes back to the button when cancelled.
 */
export function ConfirmButton(p: {
  id: string;
  label: string;
  question: string;
  yes: string;
  no: string;
  onConfirm: () => void | Promise<void>;
  class?: string;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const noRef = useRef<HTMLButtonElement>(null);
  const btnRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) noRef.current?.focus();
    else if (wasAsking.current) btnRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking)
    return (
      <button type="button" id={p.id} ref={btnRef} class={p.class ?? 'btn btn-outline-primary'} disabled={p.disabled} onClick={() => setAsking(true)}>
        {p.label}
      </button>
    );
  return (
    <div class="confirm-box" role="group" aria-labelledby={`${p.id}-q`}>
      <p id={`${p.id}-q`} class="mb-2 fw-semibold">
        {p.question}
      </p>
      <div class="d-flex flex-wrap gap-2">
        <button
          type="button"
          class="btn btn-danger"
          onClick={() => {
            setAsking(false);
            wasAsking.current = false;
            void p.onConfirm();
          }}
        >
          {p.yes}
        </button>
        <button type="button" ref={noRef} class="btn btn-outline-primary" onClick={() => setAsking(false)}>
          {p.no}
        </button>
      </div>
    </div>
  );
}

// ---- closed -----------------------------------------------------------------------------

/** Why nobody can be reached now, and when the office opens next (in the ente's time zone). */
export function ClosedNotice(p: { reason: 'closed' | 'unstaffed'; message?: string; nextOpensAt: string | null; tz: string; headingLevel?: 2 | 3 }) {
  const H = p.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <div class="alert alert-warning closed-notice" role="status" id="closed-notice" data-reason={p.reason}>
      <H class="h5 alert-heading">{tv('closed.title')}</H>
      {(p.reason === 'unstaffed' || p.message) && (
        <p class="mb-1">{p.reason === 'unstaffed' ? tv('closed.unstaffed') : p.message}</p>
      )}
      <p class="mb-0 next-opening">
        {p.nextOpensAt ? tv('closed.next', { when: formatWhen(p.nextOpensAt, p.tz) }) : tv('closed.noNext')}
      </p>
    </div>
  );
}
