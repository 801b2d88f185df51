// The waiting room: the citizen's position in line, kept up to date from the office's public
// queue topic as docs/API.md says (start from `position` + `queue_seq` of GET /visits/{id}, then
// ±1 for each queue.joined / queue.left with a knock number smaller than our own), the
// estimated wait and the operators on duty. Position changes are announced politely.
// The page must stay open (the server frees the place of a page gone for 10 minutes); the
// person may ask for a system notification when their turn comes while they look elsewhere.

import { useEffect, useState } from 'preact/hooks';
import { chime } from '../queue/chime';
import { tv } from './i18n-visit';
import type { Realtime } from '../realtime';
import { estimateWait, formatWait, positionText } from './text';
import { ConfirmButton } from './ui';
import { errorText, type Visit, type VisitClient } from './visit-api';

export function WaitingRoom(p: {
  visit: Visit;
  client: VisitClient;
  realtime: Realtime;
  /** Fetch the visit again (after a resync: the events in between are gone). */
  onRefetch: () => void;
  onLeft: (v: Visit) => void;
  /** The visit as the server answered an action (the answer to "ci sei ancora?"). */
  onChanged: (v: Visit) => void;
  onTitle: (title: string) => void;
  transferredTo: string | null;
  large?: boolean;
  /** Offer the system notification (not on a kiosk, which is always in front of the person). */
  offerNotify?: boolean;
}) {
  const { visit } = p;
  const [position, setPosition] = useState(visit.position ?? 1);
  const [operators, setOperators] = useState(visit.operators_available);
  const [avg, setAvg] = useState(visit.avg_handle_ms);
  const [error, setError] = useState<string | undefined>();
  // The connection is what keeps the place: say so while it is down (it retries by itself).
  const [offline, setOffline] = useState(false);
  useEffect(() => p.realtime.onState((s) => setOffline(s === 'offline')), [p.realtime]);

  // A new read of the visit (reload, resync, transfer) restarts the count from its position,
  // subscribing again from its queue_seq so that no event is counted twice or missed.
  useEffect(() => {
    setPosition(visit.position ?? 1);
    setOperators(visit.operators_available);
    setAvg(visit.avg_handle_ms);
    return p.realtime.subscribe(visit.queue_topic, {
      since: visit.queue_seq,
      onEvent: (type, data) => {
        const k = typeof data?.k === 'number' ? data.k : null;
        if (type === 'queue.joined' && k !== null && k < visit.knock_no) setPosition((n) => n + 1);
        else if (type === 'queue.left' && k !== null && k < visit.knock_no) setPosition((n) => Math.max(1, n - 1));
        else if (type === 'queue.status') {
          if (typeof data?.operators_available === 'number') setOperators(data.operators_available);
          if (typeof data?.avg_handle_ms === 'number') setAvg(data.avg_handle_ms);
        }
      },
      onResync: () => p.onRefetch(),
    });
  }, [visit]);

  const text = positionText(position);
  useEffect(() => {
    p.onTitle(tv('waiting.docTitle', { n: position }));
  }, [position]);

  const leave = async () => {
    setError(undefined);
    try {
      p.onLeft(await p.client.leave());
    } catch (e) {
      setError(errorText(e));
    }
  };

  const [thanks, setThanks] = useState(false);
  const asked = visit.still_there_asked_at !== null && visit.still_there_asked_at !== undefined;
  const here = async () => {
    setError(undefined);
    try {
      p.onChanged(await p.client.here());
      setThanks(true);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="waiting-room" data-position={position}>
      {asked && (
        // Asked by the server after a long wait with no sign of the person: an alert that the
        // screen reader reads at once, with the one button that answers it.
        <div class="alert alert-warning still-there" role="alert" id="still-there">
          <h3 class="h5">{tv('still.title')}</h3>
          <p>{visit.connected ? tv('still.ask') : tv('still.aside')}</p>
          <button type="button" class={`btn btn-primary ${p.large ? 'btn-lg' : ''}`} id="still-there-yes" onClick={() => void here()}>
            {tv('still.yes')}
          </button>
        </div>
      )}
      {!asked && thanks && (
        <p class="alert alert-success" role="status" id="still-there-thanks">
          {tv('still.thanks')}
        </p>
      )}
      {p.transferredTo && (
        <p class="alert alert-info" id="transfer-notice">
          {tv('waiting.transferred', { office: p.transferredTo })}
        </p>
      )}
      {/* The one live region of the waiting room: every change of position is read out. */}
      <p class={`queue-position ${p.large ? 'display-4' : 'h3'}`} id="queue-position" aria-live="polite" aria-atomic="true">
        {text}
      </p>
      <dl class="reception-facts">
        <div class="fact" id="waiting-estimate">
          <dt>{tv('reception.wait')}</dt>
          <dd>{formatWait(estimateWait(position, avg, operators))}</dd>
        </div>
        <div class="fact" id="waiting-operators">
          <dt>{tv('reception.operators')}</dt>
          <dd>{operators}</dd>
        </div>
      </dl>
      <p id="waiting-keep">{tv('waiting.keep')}</p>
      <p class={offline ? 'alert alert-warning' : 'visually-hidden'} role="status" id="waiting-offline">
        {offline ? tv('waiting.offline') : ''}
      </p>
      {p.offerNotify && <NotifyButton />}
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <ConfirmButton
        id="leave-queue"
        label={tv('waiting.leave')}
        question={tv('waiting.leaveConfirm')}
        yes={tv('waiting.leaveYes')}
        no={tv('waiting.leaveNo')}
        onConfirm={leave}
        class={`btn btn-outline-primary ${p.large ? 'btn-lg' : ''}`}
      />
    </div>
  );
}

/** Notifications can still be asked for: the browser has them and the person has not chosen. */
const canAskNotify = () => typeof window !== 'undefined' && 'Notification' in window && Notification.permission === 'default';

/**
 * "Avvisami con una notifica se cambio finestra": asks the browser's permission once, then
 * says in a status line whether notifications are on.
 */
function NotifyButton() {
  const [shown] = useState(canAskNotify);
  const [answer, setAnswer] = useState<NotificationPermission | null>(null);
  if (!shown) return null;
  const ask = async () => {
    let result: NotificationPermission = 'denied';
    try {
      result = await Notification.requestPermission();
    } catch {
      // refused by the browser (e.g. inside a frame)
    }
    setAnswer(result);
  };
  return (
    <div class="waiting-notify mb-3">
      {/* Closing the browser's question without an answer leaves the button to ask again. */}
      {(answer === null || answer === 'default') && (
        <button type="button" class="btn btn-outline-primary btn-sm" id="notify-enable" onClick={() => void ask()}>
          {tv('waiting.notify')}
        </button>
      )}
      <p class="small mb-0" role="status" id="notify-state">
        {answer === 'granted' ? tv('waiting.notifyOn') : answer === 'denied' ? tv('waiting.notifyDenied') : ''}
      </p>
    </div>
  );
}

/**
 * The "your turn" alert when the door opens while the page is open: the chime, a vibration and,
 * when the page is hidden and the person allowed it, a system notification that brings the
 * window back when clicked. Each part fails silently where the device cannot do it.
 */
export function alertTurn(office: string): void {
  ring(tv('turn.notifyTitle', { office }), tv('turn.notifyBody'), 'sportello-turn');
}

/** "Ci sei ancora?": the same alert, so that a person who looked away hears the question. */
export function alertStillThere(office: string): void {
  ring(tv('still.notifyTitle', { office }), tv('still.notifyBody'), 'sportello-still-there');
}

function ring(title: string, body: string, tag: string): void {
  chime();
  try {
    navigator.vibrate?.([300, 150, 300, 150, 300]);
  } catch {
    // no vibration
  }
  try {
    if (!('Notification' in window) || Notification.permission !== 'granted' || !document.hidden) return;
    const n = new Notification(title, {
      body,
      tag,
      requireInteraction: true,
    });
    const close = () => {
      if (document.hidden) return;
      n.close();
      document.removeEventListener('visibilitychange', close);
    };
    n.onclick = () => {
      window.focus();
      n.close();
    };
    // Back on the page by other means: the notification has done its job.
    document.addEventListener('visibilitychange', close);
  } catch {
    // e.g. Chrome on Android only shows notifications through a service worker
  }
}
