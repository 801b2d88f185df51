// A visit from the knock to the rating, whichever page shows it (visit page, widget, kiosk):
// listens to the visit's topic (admitted / rejected / transferred / left / ended), reads the
// visit again on each change, and shows the waiting room, the conversation, the rating, or the
// end. The heading of each stage takes the focus when the stage changes. When the door opens
// while the page is open, the turn is also rung, vibrated and (page hidden) notified.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Conversation } from './conversation';
import { tv } from './i18n-visit';
import { Rating } from './rating';
import type { Realtime } from '../realtime';
import { useAnnounce, useFocusOnChange } from './ui';
import { type EndedBy, type Visit, type VisitClient, type VisitStore } from './visit-api';
import { alertStillThere, alertTurn, WaitingRoom } from './waiting-room';

/** Events of `visit:{id}` after which the visit is read again (messages are the chat's own). */
const STATE_EVENTS = new Set(['visit.admitted', 'visit.rejected', 'visit.transferred', 'visit.requeued', 'visit.left', 'visit.ended', 'visit.rated', 'visit.still_there', 'visit.set_aside', 'visit.here']);

/** Who can end a visit ("system": its page stayed disconnected for too long). */
const ENDED_BY = new Set<unknown>(['citizen', 'operator', 'system']);

export type Variant = 'page' | 'widget' | 'kiosk';

export function VisitStage(p: {
  client: VisitClient;
  initial: Visit;
  realtime: Realtime;
  tz: string;
  store: VisitStore;
  variant: Variant;
  /** The visit is over for this screen (knock again / back to the start). */
  onDone: () => void;
  onTitle: (title: string) => void;
  /** The visit was just created by the person's knock: move the focus to the waiting room. */
  justKnocked?: boolean;
  /** Called when the visit reaches the end (ended, left, rejected): the kiosk starts its timer. */
  onFinished?: () => void;
  /** The citizen rated the visit (the kiosk goes back to the start sooner). */
  onRated?: () => void;
}) {
  const { client, variant } = p;
  const kiosk = variant === 'kiosk';
  const [visit, setVisit] = useState<Visit>(p.initial);
  const [endedBy, setEndedBy] = useState<EndedBy | null>(null);
  const [transferredTo, setTransferredTo] = useState<string | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const announce = useAnnounce();
  const prevState = useRef(visit.state);

  const refetch = useCallback(() => {
    client
      .get()
      .then(setVisit)
      .catch((e) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 401 || e.status === 403)) {
          p.store.clear();
          setGone(tv('error.visitGone'));
        }
        // Otherwise (network) the next event or resync reads it again.
      });
  }, [client]);

  useEffect(
    () =>
      p.realtime.subscribe(client.topic, {
        token: client.token,
        onEvent: (type, data) => {
          if (type === 'visit.ended' && ENDED_BY.has(data?.by)) setEndedBy(data.by);
          if (type === 'visit.transferred' && data?.office?.name) setTransferredTo(String(data.office.name));
          if (type === 'visit.still_there') alertStillThere(visit.office.name);
          if (STATE_EVENTS.has(type)) refetch();
        },
        onResync: refetch,
        // The visit carries no seq of its own topic: read it again once subscribed (and after
        // each reconnection), so that a change made just before cannot be missed.
        onSubscribed: refetch,
        onError: (code) => {
          if (code === 'unauthorized' || code === 'forbidden' || code === 'not_found') refetch();
        },
      }),
    [client],
  );

  // The server let the visit go: the page stayed disconnected for more than 10 minutes.
  const leftBySystem = visit.state === 'left' && visit.ended_by === 'system';
  const by = endedBy ?? (visit.ended_by === 'system' ? 'system' : null);

  // Say what changed, set the title, and forget the token once nothing can come back to it.
  useEffect(() => {
    const s = visit.state;
    const prev = prevState.current;
    const changed = s !== prev;
    prevState.current = s;
    if (s === 'admitted') {
      const name = visit.operator?.display_name;
      const msg = name ? tv('turn.withOperator', { name }) : tv('turn.now');
      if (changed) announce(msg);
      if (changed && prev === 'waiting') alertTurn(visit.office.name);
      p.onTitle(tv('turn.now'));
    } else if (s === 'ended') {
      p.onTitle(tv('rating.title'));
      if (visit.rated) p.store.clear();
    } else if (s === 'left' || s === 'rejected') {
      p.store.clear();
      p.onTitle(s === 'rejected' ? tv('rejected.title') : leftBySystem ? tv('gone.title') : tv('waiting.left'));
    }
    if (changed && (s === 'ended' || s === 'left' || s === 'rejected')) p.onFinished?.();
  }, [visit]);

  const headingRef = useFocusOnChange<HTMLHeadingElement>(`${visit.state}-${gone}`, p.justKnocked);
  // On a phone page, the conversation starts at the top of the screen: its heading, the
  // messages and the message box fill it (the Comune's header is scrolled away, a swipe back).
  useEffect(() => {
    if (visit.state !== 'admitted' || variant !== 'page' || kiosk) return;
    if (window.matchMedia?.('(max-width: 575.98px)').matches) headingRef.current?.scrollIntoView({ block: 'start' });
  }, [visit.state]);
  const headingClass = kiosk ? 'display-6' : variant === 'widget' ? 'h5' : 'h3';

  if (gone)
    return (
      <div class="visit-stage" data-state="gone">
        <h2 class={headingClass} tabIndex={-1} ref={headingRef}>
          {gone}
        </h2>
        <DoneButton kiosk={kiosk} label={tv('waiting.knockAgain')} onClick={p.onDone} />
      </div>
    );

  const heading = (() => {
    switch (visit.state) {
      case 'waiting':
        return tv('waiting.title');
      case 'admitted':
        return visit.operator?.display_name ? tv('chat.title', { name: visit.operator.display_name }) : tv('chat.titleNoName');
      case 'ended':
        return by === 'operator'
          ? tv('end.byOperator')
          : by === 'citizen'
            ? tv('end.byYou')
            : by === 'system'
              ? tv('end.bySystem')
              : tv('rating.title');
      case 'left':
        return leftBySystem ? tv('gone.title') : tv('waiting.left');
      case 'rejected':
        return tv('rejected.title');
    }
  })();

  return (
    <div class="visit-stage" data-state={visit.state} id="visit-stage">
      <h2 class={headingClass} tabIndex={-1} ref={headingRef} id="visit-stage-title">
        {heading}
      </h2>
      {visit.state === 'admitted' && <p class="lead turn-now">{tv('turn.now')}</p>}
      {visit.state === 'waiting' && (
        <WaitingRoom
          visit={visit}
          client={client}
          realtime={p.realtime}
          onRefetch={refetch}
          onLeft={setVisit}
          onChanged={setVisit}
          onTitle={p.onTitle}
          transferredTo={transferredTo}
          large={kiosk}
          offerNotify={!kiosk}
        />
      )}
      {visit.state === 'admitted' && (
        <Conversation
          visit={visit}
          client={client}
          realtime={p.realtime}
          tz={p.tz}
          autoVideo={kiosk || visit.mode === 'video'}
          autoAccept={kiosk}
          kiosk={kiosk}
          onRefetch={refetch}
          onEnded={(v) => {
            setEndedBy('citizen');
            setVisit(v);
          }}
        />
      )}
      {visit.state === 'ended' && (
        <>
          <Rating client={client} rated={visit.rated} kiosk={kiosk} headingLevel={3} onRated={() => {
              p.store.clear();
              p.onRated?.();
            }}
          />
          {!kiosk && <DoneButton kiosk={false} label={tv('rating.newVisit')} onClick={p.onDone} />}
        </>
      )}
      {visit.state === 'rejected' && (
        <>
          {visit.reject_reason && (
            <p class="alert alert-warning" id="reject-reason">
              {tv('rejected.reason', { reason: visit.reject_reason })}
            </p>
          )}
          <DoneButton kiosk={kiosk} label={kiosk ? tv('rating.skip') : tv('waiting.knockAgain')} onClick={p.onDone} />
        </>
      )}
      {leftBySystem && <GoneNotice />}
      {visit.state === 'left' && <DoneButton kiosk={kiosk} label={kiosk ? tv('rating.skip') : tv('waiting.knockAgain')} onClick={p.onDone} />}
    </div>
  );
}

/**
 * Why the visit is out of the line although the person did not leave: its page stayed closed or
 * offline for more than 10 minutes. With `title` (above the knock form) it carries its heading.
 */
export function GoneNotice({ title, headingLevel = 2 }: { title?: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  return (
    <div class="alert alert-warning gone-notice" role="alert" id="gone-notice">
      {title && <Heading class="h5">{tv('gone.title')}</Heading>}
      <p class="mb-0">{tv('gone.text')}</p>
    </div>
  );
}

function DoneButton({ kiosk, label, onClick }: { kiosk: boolean; label: string; onClick: () => void }) {
  return (
    <button type="button" class={`btn btn-outline-primary mt-3 ${kiosk ? 'btn-lg' : ''}`} id="visit-done" onClick={onClick}>
      {label}
    </button>
  );
}
