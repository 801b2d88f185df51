// The conversation of an admitted visit: chat both ways, the video call when agreed, "Termina".
// Chat: each message gets a client_id when written and is retried with it on network failure
// (the server answers a repeated client_id with the same message, so nothing is sent twice);
// messages are ordered by seq; our own show "inviato" once acknowledged and "letto" once the
// operator's read marker covers them; the operator's are marked read while the page is visible.
// A call the server ended because one side's connection was gone says so above the chat.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../format';
import { CallPanel } from './call-panel';
import { tv } from './i18n-visit';
import type { Realtime } from '../realtime';
import { useTyping } from './typing';
import { ConfirmButton, useAnnounce } from './ui';
import { clientId, errorText, isTransient, type Message, type Visit, type VisitClient } from './visit-api';

interface Pending {
  client_id: string;
  body: string;
  status: 'sending' | 'failed';
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const MAX_BODY = 2000;

function mergeMessages(prev: Message[], add: Message[]): Message[] {
  const bySeq = new Map(prev.map((m) => [m.seq, m]));
  for (const m of add) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

const sleep = (ms: number) => new Promise((r) => window.setTimeout(r, ms));

export function Conversation(p: {
  visit: Visit;
  client: VisitClient;
  realtime: Realtime;
  tz: string;
  /** Start the video call by ourselves once admitted (visits knocked in video mode, kiosk). */
  autoVideo: boolean;
  /** Accept the operator's proposals without asking (kiosk). */
  autoAccept?: boolean;
  /** Kiosk: large controls, no chat input (a totem has no keyboard). */
  kiosk?: boolean;
  onEnded: (v: Visit) => void;
  onRefetch: () => void;
}) {
  const { client, visit } = p;
  const [messages, setMessages] = useState<Message[]>([]);
  const [pending, setPending] = useState<Pending[]>([]);
  const [operatorRead, setOperatorRead] = useState(0);
  const [draft, setDraft] = useState('');
  const [inCall, setInCall] = useState(false);
  const [proposed, setProposed] = useState(false);
  /** The server ended the call: one side's connection was gone for more than a minute. */
  const [dropped, setDropped] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const announce = useAnnounce();
  const readSent = useRef(0);
  const inCallRef = useRef(false);
  inCallRef.current = inCall;
  // "Sta scrivendo…" both ways (a kiosk has no keyboard: it neither shows nor sends it).
  const typing = useTyping(p.realtime, client.topic, 'citizen', !p.kiosk);

  const addMessages = (add: Message[]) => {
    if (add.length === 0) return;
    setMessages((prev) => mergeMessages(prev, add));
    // A message the server already has is no longer pending (whoever told us first).
    const acked = new Set(add.map((m) => m.client_id).filter(Boolean));
    setPending((prev) => prev.filter((x) => !acked.has(x.client_id)));
  };

  const load = () =>
    client
      .messages(0)
      .then((a) => {
        addMessages(a.messages);
        setOperatorRead((n) => Math.max(n, a.operator_read));
      })
      .catch((e) => setError(errorText(e)));

  const startCall = async () => {
    setError(undefined);
    try {
      await client.startCall();
      setProposed(false);
      setDropped(false);
      setInCall(true);
    } catch (e) {
      setError(errorText(e));
    }
  };

  useEffect(() => {
    const unsub = p.realtime.subscribe(client.topic, {
      token: client.token,
      onEvent: (type, data) => {
        if (type === 'message' && data && typeof data.seq === 'number') {
          addMessages([data as Message]);
          if (data.from !== 'citizen') typing.peerSent();
        }
        else if (type === 'read' && data?.by === 'operator' && typeof data.seq === 'number') setOperatorRead((n) => Math.max(n, data.seq));
        else if (type === 'call.proposed' || (type === 'call.started' && data?.by === 'operator')) {
          if (inCallRef.current) return;
          if (p.autoAccept) void startCall();
          else setProposed(true);
        } else if (type === 'call.ended') {
          setInCall(false);
          setProposed(false);
          if (data?.by === 'system') {
            setDropped(true);
            announce(tv('call.dropped'));
          }
        }
      },
      onResync: () => {
        void load();
        p.onRefetch();
      },
      // Read the messages once the subscription is live: nothing falls between the two.
      onSubscribed: () => void load(),
    });
    void (async () => {
      // A call left "active" by a previous page (reload) cannot be resumed: its peer connection
      // is gone. End it, so that the operator's side starts over when we call again.
      if (visit.call === 'active') await client.endCall().catch(() => undefined);
      if (p.autoVideo) await startCall();
      else if (visit.call === 'proposed') setProposed(true);
    })();
    return unsub;
  }, [client]);

  // Mark the operator's messages read while the page is visible (not in a background tab).
  const lastOther = messages.reduce((n, m) => (m.from !== 'citizen' ? Math.max(n, m.seq) : n), 0);
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState !== 'visible' || lastOther <= readSent.current) return;
      readSent.current = lastOther;
      client.read(lastOther).catch(() => {
        readSent.current = 0; // try again next time
      });
    };
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [lastOther]);

  // The log follows the newest message while the citizen is at its end (or has just written);
  // scrolled up to read an earlier one, it stays there. A change of size (a phone turned, the
  // window resized, the video opening above) keeps the end in view too.
  const logRef = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const onLogScroll = () => {
    const el = logRef.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };
  const toEnd = () => {
    const el = logRef.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  };
  useLayoutEffect(toEnd, [messages.length, pending.length]);
  useEffect(() => {
    const el = logRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(toEnd);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, []);

  const deliver = async (m: Pending) => {
    setPending((prev) => prev.map((x) => (x.client_id === m.client_id ? { ...x, status: 'sending' } : x)));
    for (let attempt = 0; ; attempt++) {
      try {
        addMessages([await client.send(m.body, m.client_id)]);
        return;
      } catch (e) {
        if (isTransient(e) && attempt < RETRY_DELAYS_MS.length) {
          await sleep(RETRY_DELAYS_MS[attempt]);
          continue;
        }
        setPending((prev) => prev.map((x) => (x.client_id === m.client_id ? { ...x, status: 'failed' } : x)));
        setError(errorText(e));
        return;
      }
    }
  };

  const send = (e?: Event) => {
    e?.preventDefault();
    const body = draft.trim();
    if (!body) return;
    const m: Pending = { client_id: clientId(), body, status: 'sending' };
    atEnd.current = true;
    setPending((prev) => [...prev, m]);
    setDraft('');
    typing.sent();
    setError(undefined);
    void deliver(m);
  };

  const hangup = () => {
    setInCall(false);
    client.endCall().catch(() => undefined);
  };

  const end = async () => {
    setError(undefined);
    try {
      p.onEnded(await client.end());
    } catch (e) {
      setError(errorText(e));
    }
  };

  const name = visit.operator?.display_name;
  const who = (m: Message) =>
    m.from === 'citizen' ? tv('chat.you') : m.from === 'system' ? tv('chat.system') : (m.operator?.display_name ?? name ?? tv('chat.operatorFallback'));

  return (
    <div class={`conversation ${p.kiosk ? 'is-kiosk' : ''}`}>
      {proposed && !inCall && (
        <div class="alert alert-info call-proposal" role="alert" id="call-proposal">
          <p class="mb-2">{tv('call.proposed')}</p>
          <div class="d-flex gap-2">
            <button type="button" class="btn btn-primary" onClick={() => void startCall()}>
              {tv('call.accept')}
            </button>
            <button
              type="button"
              class="btn btn-outline-primary"
              onClick={() => {
                setProposed(false);
                client.endCall().catch(() => undefined);
              }}
            >
              {tv('call.decline')}
            </button>
          </div>
        </div>
      )}
      {dropped && !inCall && (
        <p class="alert alert-warning call-dropped" id="call-dropped">
          {tv('call.dropped')}
        </p>
      )}
      {inCall && <CallPanel client={client} realtime={p.realtime} onHangup={hangup} large={p.kiosk} />}

      <section class="chat" aria-labelledby="chat-log-title">
        <h3 class="h5" id="chat-log-title">
          {tv('chat.log')}
        </h3>
        {/* role=log is polite: new messages are read out. Focusable so that it scrolls by keyboard. */}
        <div class="chat-log" role="log" aria-labelledby="chat-log-title" id="chat-log" tabIndex={0} ref={logRef} onScroll={onLogScroll}>
          <ol class="chat-list">
          {messages.length === 0 && pending.length === 0 && <li class="chat-empty">{tv('chat.empty')}</li>}
          {messages.map((m) => {
            const mine = m.from === 'citizen';
            const status = mine ? (m.seq <= operatorRead ? 'read' : 'sent') : undefined;
            return (
              <li class={`msg msg-${m.from}`} data-seq={m.seq} data-status={status}>
                <p class="msg-meta">{tv('chat.said', { who: who(m), time: formatTime(m.at, p.tz) })}</p>
                <p class="msg-body">{m.body}</p>
                {status && <p class="msg-status">{status === 'read' ? tv('chat.read') : tv('chat.sent')}</p>}
              </li>
            );
          })}
          {pending.map((m) => (
            <li class="msg msg-citizen is-pending" data-status={m.status} data-client-id={m.client_id}>
              <p class="msg-meta">{tv('chat.you')}</p>
              <p class="msg-body">{m.body}</p>
              <p class="msg-status">
                {m.status === 'failed' ? tv('chat.failed') : tv('chat.sending')}
                {m.status === 'failed' && (
                  <button type="button" class="btn btn-link btn-sm p-0 ms-2" onClick={() => void deliver(m)}>
                    {tv('chat.retry')}
                  </button>
                )}
              </p>
            </li>
          ))}
          </ol>
        </div>
        {/* Not a live region: the messages themselves are announced by the log. */}
        {!p.kiosk && (
          <p class="chat-typing" id="chat-typing">
            {typing.peerTyping ? tv('chat.typing', { who: name ?? tv('chat.operatorFallback') }) : ''}
          </p>
        )}
        {!p.kiosk && (
          <form class="chat-form" onSubmit={send}>
            <label for="chat-input" class="form-label">
              {tv('chat.input')}
            </label>
            <textarea
              id="chat-input"
              class="form-control"
              rows={2}
              maxLength={MAX_BODY}
              value={draft}
              onInput={(e) => {
                setDraft(e.currentTarget.value);
                typing.draftChanged(e.currentTarget.value);
              }}
              onKeyDown={(e) => {
                // Enter sends, Shift+Enter starts a new line.
                if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e);
              }}
            />
            <button type="submit" class="btn btn-primary mt-2" id="chat-send">
              {tv('chat.send')}
            </button>
          </form>
        )}
      </section>

      {error && (
        <div class="alert alert-danger mt-3" role="alert">
          {error}
        </div>
      )}
      <div class="conversation-actions d-flex flex-wrap gap-2 mt-3">
        {!inCall && !p.kiosk && (
          <button type="button" class="btn btn-outline-primary" id="call-start" onClick={() => void startCall()}>
            {tv('call.start')}
          </button>
        )}
        <ConfirmButton
          id="end-visit"
          label={tv('end.button')}
          question={tv('end.confirm')}
          yes={tv('end.yes')}
          no={tv('end.no')}
          onConfirm={end}
          class={`btn btn-danger ${p.kiosk ? 'btn-lg kiosk-end' : ''}`}
        />
      </div>
    </div>
  );
}
