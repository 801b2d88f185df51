// "/board/{site}" — the display board (a TV at the site): the last called tickets with their
// counters, the newest highlighted, live from the public `site:{id}:board` topic (board_topic /
// board_seq from the queue answer). A call chimes (WebAudio) and, with ?voice=1, is spoken.
// ?services=A,C shows only those services (prefixes or ids); ?ente= ("esempio" by default).
// A recall moves the ticket back to the top and highlights it again without a second row.
// While the connection is down a banner says the data are not up to date; on "resync" the
// queue answer is loaded again.
// Browsers keep audio off until a gesture: while it is off an "Attiva audio" button shows (any
// click or key on the page turns it on); a TV started with
// --autoplay-policy=no-user-gesture-required never shows it (docs/OPERATIONS.md).

import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get, type EnteSummary } from '../api';
import { applyBranding, mount } from '../components/layout';
import { getLang, t } from '../i18n';
import { audioState, chime, onAudioState, speak, unlockAudio, type AudioState } from '../queue/chime';
import { tq } from '../queue/i18n-queue';
import { codePrefix, enteSlug, queuePath, siteId, splitCode, type BoardCall, type QueueAnswer } from '../queue/queue-api';
import { Realtime, type RealtimeState } from '../realtime';
import '../queue/queue.css';

const MAX_ROWS = 8;
const HIGHLIGHT_MS = 10_000;

const slug = enteSlug();
const site = siteId();
const params = new URLSearchParams(location.search);
const voice = params.get('voice') === '1';
const filter = (params.get('services') ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

interface Row extends BoardCall {
  /** Bumped at every call / recall: the key that restarts the highlight animation. */
  stamp: number;
}

function Board() {
  const [queue, setQueue] = useState<QueueAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [fresh, setFresh] = useState<number | null>(null);
  const [live, setLive] = useState<RealtimeState>('connecting');
  const [everOpen, setEverOpen] = useState(false);
  const [said, setSaid] = useState('');
  const [audio, setAudio] = useState<AudioState>(() => audioState());
  const realtime = useRef<Realtime | null>(null);
  const queueRef = useRef<QueueAnswer | null>(null);
  const stamp = useRef(0);
  const highlightTimer = useRef<number>();

  const loadQueue = async (): Promise<QueueAnswer | null> => {
    try {
      const q = await get<QueueAnswer>(queuePath(slug, site));
      queueRef.current = q;
      setQueue(q);
      setError(null);
      return q;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    }
  };

  /** The prefixes to show, from ?services= (prefixes or service ids); empty = all. */
  const shown = (code: string): boolean => {
    if (filter.length === 0) return true;
    const prefix = codePrefix(code);
    const services = queueRef.current?.services ?? [];
    return filter.some((f) => f.toUpperCase() === prefix || services.some((s) => s.id === f && s.prefix.toUpperCase() === prefix));
  };

  const onCall = (type: string, d: BoardCall) => {
    if (!d || typeof d.code !== 'string' || !shown(d.code)) return;
    const s = ++stamp.current;
    setRows((old) => [{ code: d.code, counter: d.counter, service: d.service, stamp: s }, ...old.filter((r) => r.code !== d.code)].slice(0, MAX_ROWS));
    setFresh(s);
    window.clearTimeout(highlightTimer.current);
    highlightTimer.current = window.setTimeout(() => setFresh(null), HIGHLIGHT_MS);
    // Cleared first so that a recall (the same sentence) is announced again.
    const msg = tq('board.announce', { code: d.code, counter: d.counter });
    setSaid('');
    window.setTimeout(() => setSaid(msg), 60);
    chime();
    if (voice) {
      const { letters, n } = splitCode(d.code);
      speak(tq('board.speak', { letters, n: n ?? '', counter: d.counter }), getLang() === 'it' ? 'it-IT' : 'en-GB');
    }
    void type;
  };

  useEffect(() => {
    const off = onAudioState(setAudio);
    // Any gesture on the board (a touch, a TV remote's key) turns the sound on.
    const unlock = () => void unlockAudio().then(setAudio);
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      off();
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, []);

  useEffect(() => {
    document.documentElement.classList.add('queue-root', 'board-root');
    get<EnteSummary>(`/api/v1/enti/${enc(slug)}`)
      .then((e) => applyBranding({ primary_color: e.primary_color ?? null }))
      .catch(() => undefined);
    let unsubscribe: (() => void) | null = null;
    const rt = new Realtime();
    realtime.current = rt;
    const offState = rt.onState((s) => {
      setLive(s);
      if (s === 'open') setEverOpen(true);
    });
    void (async () => {
      let q = await loadQueue();
      while (!q) {
        await new Promise((r) => window.setTimeout(r, 5000));
        q = await loadQueue();
      }
      unsubscribe = rt.subscribe(q.board_topic, {
        since: q.board_seq,
        onEvent: (type, data) => {
          const setWaiting = (service: unknown, waiting: unknown) => {
            const cur = queueRef.current;
            if (!cur || typeof service !== 'string') return;
            const next = { ...cur, services: cur.services.map((s) => (s.id === service ? { ...s, waiting: Number(waiting) || 0 } : s)) };
            queueRef.current = next;
            setQueue(next);
          };
          if (type === 'ticket.called' || type === 'ticket.recalled') {
            onCall(type, data as BoardCall);
            // A call carries the service's new waiting count (no separate queue.updated).
            if (type === 'ticket.called' && data && 'waiting' in data) setWaiting(data.service_id, data.waiting);
          } else if (type === 'queue.updated' && data) setWaiting(data.service, data.waiting);
        },
        onResync: () => void loadQueue(),
      });
    })();
    return () => {
      unsubscribe?.();
      offState();
      rt.close();
    };
  }, []);

  useEffect(() => {
    document.title = queue ? `${tq('board.title')} – ${queue.site.name}` : tq('board.title');
  });

  const offline = live === 'offline' || (everOpen && live !== 'open');
  const services = (queue?.services ?? []).filter((s) => filter.length === 0 || filter.some((f) => f.toUpperCase() === s.prefix.toUpperCase() || f === s.id));
  const [latest, ...older] = rows;

  return (
    <main id="main" class="board" data-offline={offline ? 'true' : 'false'} data-audio={audio}>
      {offline && (
        <div class="board-offline" role="alert" id="board-offline">
          {tq('board.offline')}
        </div>
      )}
      {error && !queue && (
        <div class="board-offline" role="alert">
          {tq('error.generic', { message: error })}
        </div>
      )}
      <header class="board-header">
        <h1>{queue ? `${tq('board.title')} – ${queue.site.name}` : tq('board.title')}</h1>
        {audio === 'blocked' && (
          <div class="board-audio">
            <button type="button" class="btn btn-light btn-lg" id="board-audio-on" aria-describedby="board-audio-hint" onClick={() => void unlockAudio().then(setAudio)}>
              <svg aria-hidden="true" focusable="false" width="24" height="24" viewBox="0 0 24 24" class="me-2">
                <path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z" />
              </svg>
              {tq('board.audioOn')}
            </button>
            <p id="board-audio-hint">{tq('board.audioHint')}</p>
          </div>
        )}
      </header>
      {!queue ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <div class="board-body">
          <section class="board-calls" aria-labelledby="board-latest-title">
            <h2 id="board-latest-title" class="visually-hidden">
              {tq('board.latest')}
            </h2>
            {!latest ? (
              <p class="board-none">{tq('board.none')}</p>
            ) : (
              <table class="board-table" id="board-calls">
                <thead>
                  <tr>
                    <th scope="col">{tq('board.colNumber')}</th>
                    <th scope="col">{tq('board.colCounter')}</th>
                    <th scope="col" class="board-col-service">
                      {tq('board.colService')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[latest, ...older].map((r) => (
                    <tr key={`${r.code}-${r.stamp}`} class={`board-row ${r === latest ? 'board-latest' : ''} ${r.stamp === fresh ? 'board-fresh' : ''}`} data-code={r.code}>
                      <td class="board-code">{r.code}</td>
                      <td class="board-counter">{r.counter}</td>
                      <td class="board-service board-col-service">{r.service}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <aside class="board-waiting" aria-labelledby="board-waiting-title">
            <h2 id="board-waiting-title">{tq('board.waitingTitle')}</h2>
            <ul>
              {services.map((s) => (
                <li>
                  <span class="board-waiting-prefix">{s.prefix}</span> <span class="board-waiting-name">{s.name}</span>{' '}
                  <span class="board-waiting-n">{s.waiting}</span>
                </li>
              ))}
            </ul>
          </aside>
        </div>
      )}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="board-announcer">
        {said}
      </div>
    </main>
  );
}

mount(Board);
