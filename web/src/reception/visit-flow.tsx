// The citizen's whole flow for one office, shared by the visit page and the widget: resume the
// visit kept in sessionStorage (a reload returns to the same visit and place in line), or show
// the office's situation and the knock form; when nobody can be reached, the next opening and
// the "Lascia un messaggio" form. A stored visit the server let go (its page stayed away for
// more than 10 minutes) is forgotten, and the person is told once why they are out of the line.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { tv } from './i18n-visit';
import { canKnockAny, KnockForm, nextOpening, ReceptionInfo, refusalReason, type KnockInput } from './knock';
import { MESSAGE_HASH } from './links';
import { MessageForm } from './message-form';
import type { Realtime } from '../realtime';
import { ClosedNotice, useFocusOnChange } from './ui';
import { errorText, getReception, knock, sessionVisitStore, VisitApiError, VisitClient, type Reception, type Visit } from './visit-api';
import { GoneNotice, VisitStage } from './visit-stage';
import { linkVisit } from '../citizens/signed-in';

const RECEPTION_REFRESH_MS = 30_000;

type Phase =
  | { kind: 'loading' }
  | { kind: 'knock'; reception: Reception }
  | { kind: 'refused'; reason: 'closed' | 'unstaffed'; message?: string; next: string | null; fromKnock?: boolean }
  | { kind: 'visit'; client: VisitClient; visit: Visit; justKnocked?: boolean }
  | { kind: 'error'; message: string; notFound: boolean };

export function VisitFlow(p: {
  slug: string;
  office: string;
  tz: string;
  realtime: Realtime;
  variant: 'page' | 'widget';
  /** A short title for the stage ("(3°) In attesa"); the page adds the office's name. */
  onTitle: (title: string) => void;
  onOfficeName?: (name: string) => void;
  /** The flow could not start (error): the page shows its heading now (no office name). */
  onFailed?: () => void;
  /** The page shows its own "Caricamento…" above the flow: while loading the flow draws nothing,
   *  so that its box is empty until its content comes (no layout shift when the heading arrives). */
  pageShowsLoading?: boolean;
}) {
  const store = useRef(sessionVisitStore(p.slug, p.office)).current;
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [showMessage, setShowMessage] = useState(location.hash === MESSAGE_HASH);
  /** The stored visit was let go by the server: say so above the knock form. */
  const [goneNotice, setGoneNotice] = useState(false);
  const compact = p.variant === 'widget';

  const showReception = (r: Reception) => {
    p.onOfficeName?.(r.office.name);
    if (canKnockAny(r)) {
      setPhase({ kind: 'knock', reception: r });
      p.onTitle(tv('visit.title'));
    } else {
      setPhase({ kind: 'refused', reason: refusalReason(r), next: nextOpening(r) });
      p.onTitle(tv('closed.title'));
    }
  };

  const fail = (e: unknown) => {
    p.onFailed?.();
    setPhase({ kind: 'error', message: errorText(e), notFound: e instanceof ApiError && e.status === 404 });
  };

  /** Resumes the stored visit if it can still go on; otherwise loads the office's reception. */
  const start = async () => {
    const stored = store.load();
    if (stored) {
      const client = new VisitClient(stored.id, stored.token);
      try {
        const visit = await client.get();
        const over = visit.state === 'left' || visit.state === 'rejected' || (visit.state === 'ended' && visit.rated);
        if (!over) {
          void linkVisit(p.slug, stored.id, stored.token); // knocked before signing in: claimed now
          p.onOfficeName?.(visit.office.name);
          setPhase({ kind: 'visit', client, visit });
          return;
        }
        store.clear();
        if (visit.state === 'left' && visit.ended_by === 'system') setGoneNotice(true);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status === 0) return fail(e);
        store.clear(); // unknown or expired token: start afresh
      }
    }
    try {
      showReception(await getReception(p.slug, p.office));
    } catch (e) {
      fail(e);
    }
  };

  useEffect(() => {
    void start();
  }, [p.slug, p.office]);

  // Keep the situation (open, operators, people waiting) fresh while the person reads it.
  useEffect(() => {
    if (phase.kind !== 'knock' && phase.kind !== 'refused') return;
    const timer = window.setInterval(() => {
      getReception(p.slug, p.office)
        .then((r) => {
          // A refusal that came from a knock keeps its message until the office can be reached.
          if (phase.kind === 'knock' || canKnockAny(r)) showReception(r);
        })
        .catch(() => undefined);
    }, RECEPTION_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [phase.kind]);

  // Arriving from the offices page's "Lascia un messaggio" link: go straight to the form.
  const cameForMessage = useRef(location.hash === MESSAGE_HASH);
  useEffect(() => {
    if (phase.kind !== 'knock' || !cameForMessage.current) return;
    cameForMessage.current = false;
    document.getElementById('cb-title')?.focus();
  }, [phase.kind]);

  const onKnock = async (k: KnockInput) => {
    try {
      const a = await knock(p.slug, p.office, { ...k, channel: compact ? 'widget' : 'web' });
      store.save({ id: a.visit.id, token: a.token });
      void linkVisit(p.slug, a.visit.id, a.token);
      setGoneNotice(false);
      setPhase({ kind: 'visit', client: new VisitClient(a.visit.id, a.token), visit: a.visit, justKnocked: true });
    } catch (e) {
      if (e instanceof VisitApiError && e.status === 409 && (e.code === 'closed' || e.code === 'unstaffed')) {
        const next = typeof e.details.next_opens_at === 'string' ? e.details.next_opens_at : null;
        setPhase({ kind: 'refused', reason: e.code, message: e.message, next, fromKnock: true });
        p.onTitle(tv('closed.title'));
        return;
      }
      throw e;
    }
  };

  // A knock refused: the notice replaces the form the person was using, so it takes the focus.
  const refusedRef = useFocusOnChange<HTMLDivElement>(phase.kind === 'refused' && phase.fromKnock);
  const hLevel = compact ? 3 : 2;

  switch (phase.kind) {
    case 'loading':
      if (p.pageShowsLoading) return null;
      return (
        <p class="loading" role="status">
          {store.load() ? tv('visit.restoring') : t('loading')}
        </p>
      );
    case 'error':
      return (
        <div class="alert alert-danger" role="alert" id="visit-error">
          <p class="mb-2">{phase.notFound ? tv('visit.officeNotFoundText') : phase.message}</p>
          {!phase.notFound && (
            <button type="button" class="btn btn-primary btn-sm" onClick={() => void start()}>
              {t('retry')}
            </button>
          )}
        </div>
      );
    case 'visit':
      return (
        <VisitStage
          client={phase.client}
          initial={phase.visit}
          realtime={p.realtime}
          tz={p.tz}
          store={store}
          variant={p.variant}
          justKnocked={phase.justKnocked}
          onTitle={p.onTitle}
          onDone={() => {
            store.clear();
            setGoneNotice(false);
            setPhase({ kind: 'loading' });
            void start();
          }}
        />
      );
    case 'refused':
      return (
        <div class="refused" tabIndex={-1} ref={refusedRef}>
          {goneNotice && <GoneNotice title headingLevel={hLevel} />}
          <ClosedNotice reason={phase.reason} message={phase.message} nextOpensAt={phase.next} tz={p.tz} headingLevel={hLevel} />
          <p>{tv('closed.leaveMessage')}</p>
          <MessageForm slug={p.slug} office={p.office} headingLevel={hLevel} />
        </div>
      );
    case 'knock':
      return (
        <>
          {goneNotice && <GoneNotice title headingLevel={hLevel} />}
          {!compact && <ReceptionInfo r={phase.reception} tz={p.tz} />}
          <KnockForm r={phase.reception} onKnock={onKnock} compact={compact} slug={p.slug} />
          <div class="message-toggle mt-4">
            <button
              type="button"
              class="btn btn-link px-0"
              aria-expanded={showMessage ? 'true' : 'false'}
              aria-controls="message-form-wrap"
              onClick={() => setShowMessage(!showMessage)}
            >
              {tv('message.link')}
            </button>
            <div id="message-form-wrap" hidden={!showMessage}>
              {showMessage && <MessageForm slug={p.slug} office={p.office} headingLevel={hLevel} />}
            </div>
          </div>
        </>
      );
  }
}
