// One admitted visit as the operator sees it: the transcript (loaded, then live from the
// visit's topic), the message box (Enter sends; each message keeps its client_id across retries
// so the server stores it once), read markers, the video call (VisitCall, operator side: it
// makes the offer), transfer to another office and the end with an outcome. A citizen whose page
// is disconnected is named in the header; a call the server ended (a side's connection gone for
// over a minute) closes here and says so.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, type PublicOffice } from '../api';
import { apiMessage } from '../components/forms';
import { VerifiedIdentity } from '../citizens/verified-identity';
import { announce, slugFromPath } from '../components/layout';
import { appendText, CannedPicker, Suggestions } from '../knowledge/suggestions';
import { formatTime } from '../format';
import { type CallState, VisitCall } from './call';
import {
  disconnectedFor,
  isDisconnected,
  label,
  type Message,
  type Outcome,
  OUTCOMES,
  receptionApi,
  type Visit,
  type VisitAct,
  visitWho,
} from './console-model';
import { useTick, VisitBadges } from './console-queue';
import type { Realtime } from '../realtime';
import { useTyping } from './typing';
import { clientId } from './visit-api';
import { tc } from './i18n-console';
import { tw } from '../line/i18n-workspace';

interface Pending {
  client_id: string;
  body: string;
  failed: boolean;
}

export interface ConversationProps {
  visit: Visit;
  realtime: Realtime;
  tz: string;
  /** The ente's offices (transfer targets). */
  offices: PublicOffice[];
  selected: boolean;
  /** Move the focus here (the operator just opened the door). */
  focus: boolean;
  /** Runs a request answering the visit and applies that answer unless events were newer. */
  act: VisitAct;
  onClose: () => void;
  /** Unread citizen messages, for the conversation's tab. */
  onUnread: (n: number) => void;
}

function mergeMessages(list: Message[], more: Message[]): Message[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of more) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function Transcript({
  who,
  messages,
  pending,
  citizenRead,
  tz,
  onRetry,
  id,
}: {
  who: string;
  messages: Message[];
  pending: Pending[];
  citizenRead: number;
  tz: string;
  onRetry: (p: Pending) => void;
  id: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending.length]);
  const sender = (m: Message) =>
    m.from === 'operator' ? (m.operator?.display_name ?? tc('conv.you')) : m.from === 'citizen' ? who : tc('conv.system');
  return (
    <div class="transcript" ref={box} role="log" aria-label={tc('conv.transcript', { who })} tabIndex={0} id={id}>
      {messages.length === 0 && pending.length === 0 && <p class="empty-hint mb-0">{tc('conv.noMessages')}</p>}
      <ol class="list-unstyled mb-0">
        {messages.map((m) => (
          <li class={`msg msg-${m.from}`} data-seq={m.seq} data-from={m.from}>
            <span class="msg-head">
              <span class="msg-from">{sender(m)}</span> <time dateTime={m.at}>{formatTime(m.at, tz)}</time>
              {m.from === 'operator' && m.seq <= citizenRead && <span class="msg-read"> · {tc('conv.read')}</span>}
            </span>
            <span class="msg-body">{m.body}</span>
          </li>
        ))}
        {pending.map((p) => (
          <li class="msg msg-operator msg-pending" data-client-id={p.client_id}>
            <span class="msg-head">
              <span class="msg-from">{tc('conv.you')}</span>{' '}
              {p.failed ? <span class="msg-failed">{tc('conv.failed')}</span> : <span>{tc('conv.sending')}</span>}
            </span>
            <span class="msg-body">{p.body}</span>
            {p.failed && (
              <button type="button" class="btn btn-link btn-sm p-0" onClick={() => onRetry(p)}>
                {tc('conv.retry')}
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function CallArea({ visit, realtime, act }: { visit: Visit; realtime: Realtime; act: VisitAct }) {
  const local = useRef<HTMLVideoElement>(null);
  const remote = useRef<HTMLVideoElement>(null);
  const call = useRef<VisitCall | null>(null);
  const [state, setState] = useState<CallState>('idle');
  const [muted, setMuted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = visit.call === 'active' && visit.state === 'admitted';

  useEffect(() => {
    if (!live || call.current || !remote.current) return;
    const c = new VisitCall({
      visitId: visit.id,
      role: 'operator',
      realtime,
      fetchIce: () => receptionApi.ice(visit.id),
      localVideo: local.current ?? undefined,
      remoteVideo: remote.current,
      onState: setState,
    });
    call.current = c;
    setMuted(false);
    void c.start();
    return () => {
      c.hangup();
      call.current = null;
      setState('idle');
    };
  }, [live, visit.id]);

  const hangup = async () => {
    call.current?.hangup();
    setError(null);
    try {
      await act(() => receptionApi.hangup(visit.id));
      announce(tc('call.ended'));
    } catch (e) {
      setError(apiMessage(e));
    }
  };
  const toggleMute = () => {
    call.current?.setMuted(!muted, false);
    setMuted(!muted);
  };
  if (!live) return null;
  return (
    <div class="call-area" data-call-state={state}>
      <p class="mb-2 fw-semibold" role="status">
        {tc('call.active')} · {tc(`call.state.${state}`)}
      </p>
      <div class="call-videos">
        <figure class="call-remote mb-0">
          <video ref={remote} autoPlay playsInline aria-label={tc('call.remote')} />
          <figcaption class="small">{tc('call.remote')}</figcaption>
        </figure>
        <figure class="call-local mb-0">
          <video ref={local} autoPlay playsInline muted aria-label={tc('call.local')} />
          <figcaption class="small">{tc('call.local')}</figcaption>
        </figure>
      </div>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div class="form-actions mt-2">
        <button type="button" class="btn btn-outline-primary btn-sm" aria-pressed={muted ? 'true' : 'false'} onClick={toggleMute}>
          {muted ? tc('call.unmute') : tc('call.mute')}
        </button>
        <button type="button" class="btn btn-danger btn-sm btn-hangup" onClick={() => void hangup()}>
          {tc('call.hangup')}
        </button>
      </div>
    </div>
  );
}

/** "da 3 min: se non torna entro 10 minuti…", kept current (not a live region: it ticks). */
function AwayFor({ visit }: { visit: Visit }) {
  useTick();
  const time = disconnectedFor(visit);
  return time ? <span class="conv-away-for"> {tc('conv.disconnectedFor', { time })}</span> : null;
}

function Composer({
  who,
  id,
  onSend,
  disabled,
  text,
  setText,
  extra,
}: {
  who: string;
  id: string;
  onSend: (body: string) => void;
  disabled: boolean;
  /** What is being written: held by the conversation, so suggestions and canned answers can add to it. */
  text: string;
  setText: (s: string) => void;
  extra?: ComponentChildren;
}) {
  const send = () => {
    const body = text.trim();
    if (!body) return;
    onSend(body);
    setText('');
  };
  return (
    <form
      class="composer"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for={id} class="form-label fw-semibold">
        {tc('conv.input', { who })}
      </label>
      <textarea
        id={id}
        class="form-control"
        rows={text.includes('\n') || text.length > 80 ? 4 : 2}
        maxLength={2000}
        value={text}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <small id={`${id}-hint`} class="form-text field-hint d-block mb-2">
        {tc('conv.inputHint')}
      </small>
      {extra}
      <button type="submit" class="btn btn-primary btn-sm" disabled={disabled}>
        {tc('conv.send')}
      </button>
    </form>
  );
}

/** "Apri una pratica da questa visita": a case linked to the ended visit (POST …/cases). */
function OpenCase({ visit }: { visit: Visit }) {
  const [subject, setSubject] = useState(visit.topic ?? '');
  const [made, setMade] = useState<{ id: string; code: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idp = `conv-${visit.id}-case`;
  if (made)
    return (
      <p class="alert alert-success mt-2" role="status">
        {tw('case.opened', { code: made.code })} <a href={`#/pratiche/${made.id}`}>{tw('case.openLink', { code: made.code })}</a>
      </p>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const a = await receptionApi.openCase(slugFromPath(), visit.id, subject.trim() || visitWho(visit));
      setMade(a.case);
      announce(tw('case.opened', { code: a.case.code }));
      // The citizen pane lists the contact's cases: it reads them again.
      window.dispatchEvent(new CustomEvent('sportello:case-opened', { detail: { visit: visit.id } }));
    } catch (err) {
      setError(apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="open-case mt-2" onSubmit={submit} noValidate>
      <div class="form-group mb-2">
        <label for={`${idp}-subject`} class="active">
          {tw('case.subject')}
        </label>
        <input id={`${idp}-subject`} type="text" class="form-control" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
      </div>
      {error && (
        <p class="alert alert-danger" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="btn btn-outline-primary btn-sm btn-open-case" disabled={busy}>
        {tw('case.open')}
      </button>
    </form>
  );
}

/** "Trasferisci" and "Termina" (with an outcome). */
function VisitActions({ visit, offices, act }: Pick<ConversationProps, 'visit' | 'offices' | 'act'>) {
  const targets = offices.filter((o) => o.id !== visit.office.id);
  const [target, setTarget] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('resolved');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = visitWho(visit);
  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      announce(await fn());
    } catch (e) {
      setError(apiMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const transfer = (e: Event) => {
    e.preventDefault();
    const to = targets.find((o) => o.id === (target || targets[0]?.id));
    if (!to) return;
    void run(async () => {
      await act(() => receptionApi.transfer(visit.id, to.id));
      return tc('transfer.done', { who, office: to.name });
    });
  };
  const [phone, setPhone] = useState('');
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const end = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (outcome === 'needs_callback') {
        // "Da richiamare": the server opens the case with its callback (visit.ended says which).
        const cb: { phone: string; due_at?: string; note?: string } = { phone: phone.trim() };
        if (when) cb.due_at = new Date(when).toISOString();
        if (note.trim()) cb.note = note.trim();
        await act(() => receptionApi.end(visit.id, outcome, cb));
        return tc('end.done', { who });
      }
      await act(() => receptionApi.end(visit.id, outcome));
      return tc('end.done', { who });
    });
  };
  const canTransfer = visit.state === 'admitted' && targets.length > 0;
  const canEnd = visit.state === 'admitted' || (visit.state === 'ended' && !visit.outcome);
  const idp = `conv-${visit.id}`;
  return (
    <>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div class="conv-actions">
        {canTransfer && (
          <form class="inline-form" onSubmit={transfer} noValidate>
            <div class="select-wrapper form-group-select mb-0 mt-0">
              <label for={`${idp}-transfer`}>{tc('transfer.label')}</label>
              <select id={`${idp}-transfer`} value={target || targets[0]?.id} onChange={(e) => setTarget(e.currentTarget.value)}>
                {targets.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>
            </div>
            <button type="submit" class="btn btn-outline-primary btn-sm" disabled={busy}>
              {tc('transfer.submit')}
            </button>
          </form>
        )}
        {canEnd && (
          <form class="inline-form" onSubmit={end} noValidate>
            <div class="select-wrapper form-group-select mb-0 mt-0">
              <label for={`${idp}-outcome`}>{tc('end.outcome')}</label>
              <select id={`${idp}-outcome`} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as Outcome)}>
                {OUTCOMES.map((o) => (
                  <option value={o}>{label('outcome', o)}</option>
                ))}
              </select>
            </div>
            {outcome === 'needs_callback' && (
              <fieldset class="callback-fields">
                <legend class="h6">{tw('callback.legend')}</legend>
                <div class="form-group mb-2">
                  <label for={`${idp}-cb-phone`} class="active">
                    {tw('callback.phone')}
                  </label>
                  <input
                    id={`${idp}-cb-phone`}
                    type="tel"
                    class="form-control"
                    autoComplete="off"
                    value={phone}
                    aria-describedby={`${idp}-cb-phone-hint`}
                    onInput={(e) => setPhone(e.currentTarget.value)}
                  />
                  <small id={`${idp}-cb-phone-hint`} class="form-text d-block">
                    {tw('callback.phoneHint')}
                  </small>
                </div>
                <div class="form-group mb-2">
                  <label for={`${idp}-cb-when`} class="active">
                    {tw('callback.when')}
                  </label>
                  <input
                    id={`${idp}-cb-when`}
                    type="datetime-local"
                    class="form-control"
                    value={when}
                    aria-describedby={`${idp}-cb-when-hint`}
                    onInput={(e) => setWhen(e.currentTarget.value)}
                  />
                  <small id={`${idp}-cb-when-hint`} class="form-text d-block">
                    {tw('callback.whenHint')}
                  </small>
                </div>
                <div class="form-group mb-2">
                  <label for={`${idp}-cb-note`} class="active">
                    {tw('callback.note')}
                  </label>
                  <input id={`${idp}-cb-note`} type="text" class="form-control" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
                </div>
              </fieldset>
            )}
            <button type="submit" class="btn btn-danger btn-sm btn-end" disabled={busy}>
              {tc('end.submit')}
            </button>
          </form>
        )}
        {(visit.state === 'ended' || visit.state === 'left') && <OpenCase visit={visit} />}
      </div>
    </>
  );
}

export function Conversation(p: ConversationProps) {
  const { visit, realtime } = p;
  const [messages, setMessages] = useState<Message[]>([]);
  const [pending, setPending] = useState<Pending[]>([]);
  const [citizenRead, setCitizenRead] = useState(0);
  const [operatorRead, setOperatorRead] = useState(0);
  const [callError, setCallError] = useState<string | null>(null);
  /** The server ended the call by itself: the connection of one side was lost. */
  const [callLost, setCallLost] = useState(false);
  /** The case a "da richiamare" end opened (from the visit.ended event). */
  const [followUp, setFollowUp] = useState<{ id: string; code: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [draft, setDraft] = useState('');
  const who = visitWho(visit);
  // "Sta scrivendo…" both ways while the conversation is on.
  const typing = useTyping(realtime, `visit:${visit.id}`, 'operator', visit.state === 'admitted');
  const writeDraft = (s: string) => {
    setDraft(s);
    typing.draftChanged(s);
  };
  // The latest props for the topic's handler, which is subscribed once.
  const latest = useRef(p);
  latest.current = p;

  // (Failing is fine: e.g. no longer ours after a transfer.)
  const refreshVisit = () => latest.current.act(() => receptionApi.visit(visit.id)).catch(() => undefined);
  const loadMessages = () =>
    receptionApi
      .messages(visit.id)
      .then((a) => {
        setMessages((old) => mergeMessages(old, a.messages));
        setCitizenRead(a.citizen_read);
        setOperatorRead((r) => Math.max(r, a.operator_read));
      })
      .catch(() => undefined);

  useEffect(() => {
    const stop = realtime.subscribe(`visit:${visit.id}`, {
      // The visit's own changes (state, call, rating) come from office:{id}:staff as
      // visit.updated; here: its messages and read markers. (Re)subscribed: catch up.
      onSubscribed: () => {
        void loadMessages();
        void refreshVisit();
      },
      onResync: () => {
        void loadMessages();
        void refreshVisit();
      },
      onEvent: (type, data) => {
        if (type === 'message') {
          const m = data as Message;
          setMessages((old) => mergeMessages(old, [m]));
          if (m.client_id) setPending((ps) => ps.filter((x) => x.client_id !== m.client_id));
          if (m.from === 'citizen') typing.peerSent();
          // The log of the conversation on screen is a live region; the others are announced.
          if (m.from === 'citizen' && !latest.current.selected)
            announce(tc('conv.newMessage', { who: visitWho(latest.current.visit), body: m.body }));
        } else if (type === 'read') {
          const r = data as { by: string; seq: number };
          if (r.by === 'citizen') setCitizenRead((x) => Math.max(x, r.seq));
          else setOperatorRead((x) => Math.max(x, r.seq));
        } else if (type === 'visit.ended' && data?.case?.code) {
          // "Da richiamare": the case and its callback were opened with the end.
          setFollowUp({ id: data.case.id, code: data.case.code });
          announce(tw('callback.made', { code: data.case.code }));
        } else if (type === 'call.ended' && data?.by === 'system') {
          setCallLost(true);
          announce(`${tc('call.lost')} (${visitWho(latest.current.visit)})`);
          // The call area closes with the visit's `call: "none"`: read it now rather than wait
          // for visit.updated on the staff topic.
          void refreshVisit();
        }
      },
    });
    return stop;
  }, [visit.id]);

  // Just admitted here: the focus moves to the conversation (its row has left the list). The
  // staff topic may have shown the conversation a moment before the admit answered.
  useEffect(() => {
    if (p.focus) heading.current?.focus();
  }, [p.focus]);

  // Mark the citizen's messages as read while this conversation is on screen.
  const lastCitizen = messages.reduce((n, m) => (m.from === 'citizen' ? Math.max(n, m.seq) : n), 0);
  useEffect(() => {
    if (!p.selected || lastCitizen <= operatorRead || visit.state !== 'admitted' || document.visibilityState !== 'visible') return;
    setOperatorRead(lastCitizen);
    receptionApi.read(visit.id, lastCitizen).catch(() => undefined);
  }, [p.selected, lastCitizen, operatorRead, visit.state]);
  const unread = messages.filter((m) => m.from === 'citizen' && m.seq > operatorRead).length;
  useEffect(() => p.onUnread(unread), [unread]);

  const post = async (item: Pending) => {
    setPending((ps) => [...ps.filter((x) => x.client_id !== item.client_id), { ...item, failed: false }]);
    try {
      const m = await receptionApi.send(visit.id, item.body, item.client_id);
      setMessages((old) => mergeMessages(old, [m]));
      setPending((ps) => ps.filter((x) => x.client_id !== item.client_id));
    } catch {
      setPending((ps) => ps.map((x) => (x.client_id === item.client_id ? { ...x, failed: true } : x)));
    }
  };

  const startCall = async () => {
    setCallError(null);
    try {
      await p.act(() => receptionApi.startCall(visit.id));
      setCallLost(false);
    } catch (e) {
      setCallError(e instanceof ApiError && e.status === 409 ? tc('call.busy') : tc('call.error', { message: apiMessage(e) }));
    }
  };
  const proposeCall = async () => {
    setCallError(null);
    try {
      await receptionApi.proposeCall(visit.id); // the visit's change arrives as an event
      announce(tc('call.proposed'));
    } catch (e) {
      setCallError(tc('call.error', { message: apiMessage(e) }));
    }
  };

  const admitted = visit.state === 'admitted';
  const slug = slugFromPath();
  // What the suggestions match: the topic and the citizen's last three messages.
  const suggestText = [visit.topic ?? '', ...messages.filter((m) => m.from === 'citizen').slice(-3).map((m) => m.body)].join(' ');
  /** Adds a scheda's link or text, or a canned answer, to the message being written (not sent). */
  const insert = (add: string) => {
    setDraft((d) => appendText(d, add));
    window.setTimeout(() => document.getElementById(`${idp}-input`)?.focus(), 0);
  };
  const away = admitted && isDisconnected(visit);
  const idp = `conv-${visit.id}`;
  let status: string | null = null;
  if (visit.state === 'ended' && visit.ended_by === 'system') status = tc('conv.endedBySystem');
  else if (visit.state === 'ended')
    status = visit.outcome
      ? `${tc('conv.ended')} ${tc('ended.outcome')}: ${label('outcome', visit.outcome)}.`
      : tc('conv.endedByCitizen');
  else if (visit.state === 'left') status = visit.ended_by === 'system' ? tc('conv.leftBySystem') : tc('conv.left');
  else if (visit.state === 'waiting') status = tc('conv.transferred', { office: visit.office.name });
  else if (visit.state === 'rejected') status = label('state', 'rejected');
  return (
    <article class="conversation" data-visit={visit.id} data-state={visit.state} aria-labelledby={`${idp}-title`}>
      <div class="conv-head">
        <h3 class="h5 mb-1" id={`${idp}-title`} ref={heading} tabIndex={-1}>
          {tc('conv.heading', { who, office: visit.office.name })}
        </h3>
        <VisitBadges visit={visit} />
        <VerifiedIdentity slug={slug} visitId={visit.id} />
        {/* Always in the page, so that the words are read out when they appear. */}
        <div class={away ? 'alert alert-warning conv-disconnected' : 'conv-connected'} id={`${idp}-away`}>
          <span role="status" class="fw-semibold">
            {away ? tc('conv.disconnected') : ''}
          </span>
          {away && <AwayFor visit={visit} />}
        </div>
      </div>
      {visit.topic && (
        <p class="mb-2 small">
          <span class="fw-semibold">{tc('conv.topic')}:</span> {visit.topic}
        </p>
      )}
      <div role="status" class={status ? 'alert alert-info conv-status' : 'status-empty'}>
        {status ?? ''}
        {visit.rating && ` ${tc('conv.rated', { score: label('rating', visit.rating.score) })}`}
      </div>
      {followUp && (
        <p class="alert alert-success callback-made" id={`${idp}-followup`}>
          {tw('callback.made', { code: followUp.code })}{' '}
          <a href={`#/pratiche/${enc(followUp.id)}`}>{tw('case.openLink', { code: followUp.code })}</a>
        </p>
      )}
      {!admitted && (
        <button type="button" class="btn btn-outline-secondary btn-sm mb-3" onClick={p.onClose}>
          {tc('conv.close')}
          <span class="visually-hidden"> – {who}</span>
        </button>
      )}
      <div class="conv-body">
        <div class="conv-chat">
          <Transcript
            id={`${idp}-log`}
            who={who}
            messages={messages}
            pending={pending}
            citizenRead={citizenRead}
            tz={p.tz}
            onRetry={(x) => void post(x)}
          />
          {admitted && (
            <p class="chat-typing" id={`${idp}-typing`}>
              {typing.peerTyping ? tc('conv.typing', { who }) : ''}
            </p>
          )}
          {admitted && (
            <Composer
              who={who}
              id={`${idp}-input`}
              disabled={!admitted}
              text={draft}
              setText={writeDraft}
              onSend={(body) => void post({ client_id: clientId(), body, failed: false })}
              extra={<CannedPicker slug={slug} office={visit.office.id} id={`${idp}-canned`} onInsert={insert} />}
            />
          )}
        </div>
        <div class="conv-side">
          {admitted && (
            <Suggestions slug={slug} office={visit.office.id} text={suggestText} idPrefix={idp} onInsert={insert} />
          )}
          {admitted && visit.call !== 'active' && (
            <div class="form-actions mb-3">
              {visit.mode === 'chat' && visit.call === 'none' && (
                <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => void proposeCall()}>
                  {tc('call.propose')}
                </button>
              )}
              <button type="button" class="btn btn-primary btn-sm btn-start-video" onClick={() => void startCall()}>
                {tc('call.start')}
              </button>
            </div>
          )}
          {visit.call === 'proposed' && admitted && <p class="small">{tc('call.proposed')}</p>}
          {callError && (
            <div class="alert alert-warning call-error" role="alert">
              {callError}
            </div>
          )}
          {callLost && visit.call !== 'active' && (
            <p class="alert alert-warning call-lost" id={`${idp}-call-lost`}>
              {tc('call.lost')}
            </p>
          )}
          <CallArea visit={visit} realtime={realtime} act={p.act} />
          <VisitActions visit={visit} offices={p.offices} act={p.act} />
        </div>
      </div>
    </article>
  );
}
