// The console's reception panel: the waiting room of each of the operator's offices (live from
// office:{id}:staff), the open conversations as tabs, the messages left and today's ended
// visits. A knock is shown, announced (the page's live region) and, once a user gesture has
// unlocked audio, heard.

import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { enc, get, type OfficesAnswer, type Operator, type Presence, type PublicOffice } from '../api';
import { apiMessage } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { t } from '../i18n';
import { loadSession } from '../session';
import { Conversation } from './console-conversation';
import { CallbackLists, EndedToday } from './console-lists';
import {
  applyVisit,
  type CallbackRequest,
  knockText,
  label,
  officeShort,
  receptionApi,
  type ReceptionOffice,
  setServerNow,
  type Visit,
  type VisitAct,
  visitWho,
} from './console-model';
import { type QueueActions, WaitingRoom } from './console-queue';
import { beep, onSoundChange, soundReady, unlockSound, unlockSoundOnGesture } from './console-sound';
import { Realtime, type RealtimeState } from '../realtime';
import { tc } from './i18n-console';
import { tw } from '../line/i18n-workspace';
import { CitizenContext } from './console-context';
import { notify, withdrawNotice } from './console-notify';
import './console-reception.css';

function ConversationTabs({
  convs,
  selected,
  unread,
  onSelect,
}: {
  convs: Visit[];
  selected: string | null;
  unread: Record<string, number>;
  onSelect: (id: string) => void;
}) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: KeyboardEvent, i: number) => {
    const n = convs.length;
    const to: Record<string, number> = {
      ArrowDown: (i + 1) % n,
      ArrowUp: (i - 1 + n) % n,
      ArrowRight: (i + 1) % n,
      ArrowLeft: (i - 1 + n) % n,
      Home: 0,
      End: n - 1,
    };
    if (e.altKey || e.ctrlKey || e.metaKey) return; // Alt+Shift+arrows: the workspace's own keys
    const j = to[e.key];
    if (j === undefined) return;
    e.preventDefault();
    onSelect(convs[j].id);
    refs.current[convs[j].id]?.focus();
  };
  return (
    <div class="nav nav-tabs conv-tabs" role="tablist" aria-orientation="vertical" aria-label={tc('conv.tabs')}>
      {convs.map((v, i) => {
        const on = v.id === selected;
        const n = unread[v.id] ?? 0;
        return (
          <button
            type="button"
            role="tab"
            id={`conv-tab-${v.id}`}
            class={`nav-link ${on ? 'active' : ''}`}
            aria-selected={on ? 'true' : 'false'}
            aria-controls={`conv-panel-${v.id}`}
            tabIndex={on ? 0 : -1}
            data-visit={v.id}
            ref={(el) => {
              refs.current[v.id] = el;
            }}
            onClick={() => onSelect(v.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {visitWho(v)} · {label('mode', v.mode)}
            {n > 0 && <span class="unread-badge">{tc('conv.unread', { n })}</span>}
          </button>
        );
      })}
    </div>
  );
}

function SoundToggle() {
  const [on, setOn] = useState(soundReady());
  useEffect(() => onSoundChange(setOn), []);
  if (on) return <p class="small mb-0 sound-state">{tc('panel.soundOn')}</p>;
  return (
    <button
      type="button"
      class="btn btn-outline-primary btn-sm"
      onClick={() => {
        unlockSound();
      }}
    >
      {tc('panel.soundOff')}
    </button>
  );
}

export interface ReceptionPanelProps {
  slug: string;
  operator: Operator;
  tz: string;
  /** Shown next to the waiting room (the operator's profile and presence). */
  aside: ComponentChildren;
  /** The server changed the operator's own presence (it follows the console's connection). */
  onPresence?: (presence: Presence) => void;
  /** The one line's desk (first in the left pane). */
  linePane?: ComponentChildren;
  /** What stands above the conversation in the middle pane (the counter's called ticket). */
  currentPane?: ComponentChildren;
  /** People waiting for the operator and unread messages: the tab title's count. */
  onCounts?: (waiting: number, unread: number) => void;
}

export function ReceptionPanel({ slug, operator, tz, aside, onPresence, linePane, currentPane, onCounts }: ReceptionPanelProps) {
  const realtime = useMemo(() => new Realtime(), []);
  const [offices, setOffices] = useState<ReceptionOffice[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [enteOffices, setEnteOffices] = useState<PublicOffice[]>([]);
  const [convs, setConvs] = useState<Visit[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [unread, setUnread] = useState<Record<string, number>>({});
  /** The knock alert: which visit it is about, so it goes away once anyone let that person in. */
  const [knock, setKnock] = useState<{ id: string; text: string } | null>(null);
  const [beeps, setBeeps] = useState(0);
  const [callbacks, setCallbacks] = useState<Record<string, CallbackRequest[] | undefined>>({});
  const [endedKey, setEndedKey] = useState(0);
  const [conn, setConn] = useState<RealtimeState>('connecting');
  const me = operator.id;

  useEffect(() => () => realtime.close(), [realtime]);
  useEffect(() => unlockSoundOnGesture(), []);
  useEffect(() => realtime.onState(setConn), [realtime]);

  // The own presence as the server sees it: it turns "away" when the console has been
  // disconnected for a while and comes back with the connection.
  const presenceTo = useRef(onPresence);
  presenceTo.current = onPresence;
  useEffect(
    () =>
      realtime.subscribe(`ente:${slug}:staff`, {
        onEvent: (type, data) => {
          if (type === 'operator.presence' && data?.operator_id === me && typeof data.presence === 'string')
            presenceTo.current?.(data.presence as Presence);
        },
        onResync: () => {
          loadSession()
            .then((s) => s && presenceTo.current?.(s.operator.presence))
            .catch(() => undefined);
        },
      }),
    [slug, me, realtime],
  );

  /** A visit the operator holds (admitted to them) joins or updates the conversations. */
  const trackConversation = (v: Visit) => {
    const mine = v.state === 'admitted' && v.operator?.id === me;
    setConvs((cs) => {
      if (cs.some((c) => c.id === v.id)) return cs.map((c) => (c.id === v.id ? v : c));
      return mine ? [...cs, v] : cs;
    });
    if (mine) setSelected((s) => s ?? v.id);
  };
  const updateVisit = (v: Visit) => {
    setOffices((os) => (os ? applyVisit(os, v) : os));
    // Someone (here or a colleague) let them in, or they left: the alert and the notice go.
    if (v.state !== 'waiting') {
      setKnock((k) => (k && k.id === v.id ? null : k));
      withdrawNotice(`knock-${v.id}`);
    }
    trackConversation(v);
    if (v.state !== 'waiting' && v.state !== 'admitted') setEndedKey((k) => k + 1);
  };
  // An HTTP answer can be processed after an event that is newer than it (the citizen started
  // the call just after our admit): events win. Each visit event is numbered as it arrives; an
  // answer is applied only if no event about its visit arrived while the request was out
  // (every change of a visit is also an event, so nothing is lost by skipping the answer).
  const events = useRef({ n: 0, last: new Map<string, number>() });
  const fromEvent = (v: Visit) => {
    events.current.last.set(v.id, ++events.current.n);
    updateVisit(v);
  };
  const act: VisitAct = async (request) => {
    const start = events.current.n;
    const v = await request();
    if ((events.current.last.get(v.id) ?? 0) <= start) updateVisit(v);
    return v;
  };

  // The own presence as this page last knew it: a load that was already out when it changed
  // (the first one, while the operator picks "Disponibile") may count the operators on duty
  // from before, so it is read again.
  const presenceNow = useRef(operator.presence);
  presenceNow.current = operator.presence;
  const load = (): Promise<void> => {
    const asked = presenceNow.current;
    return receptionApi
      .reception(slug)
      .then((a) => {
        setOffices(a.offices);
        setLoadError(null);
        for (const o of a.offices) for (const v of o.active) trackConversation(v);
        if (presenceNow.current !== asked) void load();
      })
      .catch((e) => setLoadError(apiMessage(e)));
  };
  const loadCallbacks = (officeId: string) =>
    receptionApi
      .callbacks(slug, officeId)
      .then((a) => setCallbacks((c) => ({ ...c, [officeId]: a.callback_requests })))
      .catch(() => setCallbacks((c) => ({ ...c, [officeId]: c[officeId] ?? [] })));

  useEffect(() => {
    void load();
    get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => {
        setServerNow(a.now);
        setEnteOffices(a.offices);
      })
      .catch(() => undefined);
  }, [slug]);

  // The operator's own presence changes their offices' operators on duty; queue.status says so
  // too, but it may come before this page has subscribed to the queue topics.
  useEffect(() => {
    if (offices) void load();
  }, [operator.presence]);

  const officeIds = (offices ?? []).map((o) => o.office.id).join(',');
  useEffect(() => {
    if (!offices) return;
    const stops = offices.map(({ office }) => {
      void loadCallbacks(office.id);
      return realtime.subscribe(`office:${office.id}:staff`, {
        // The session ended or this office is no longer ours: the page starts again (sign-in).
        onRevoked: () => location.reload(),
        onResync: () => {
          void load();
          void loadCallbacks(office.id);
        },
        onEvent: (type, data) => {
          if (type === 'visit.knocked') {
            const v = data as Visit;
            fromEvent(v);
            // An appointment reserved for a colleague is listed, but alerts only that colleague.
            if (v.reserved_for && v.reserved_for.id !== me) return;
            if (v.state !== 'waiting') return; // given at once (automatic assignment)
            const text = knockText(v);
            setKnock({ id: v.id, text });
            announce(text);
            notify(`knock-${v.id}`, tw('notify.knock'), text);
            if (beep()) setBeeps((n) => n + 1);
          } else if (type === 'visit.updated') {
            fromEvent(data as Visit);
          } else if (type === 'callback.created') {
            const cb = data as CallbackRequest;
            setCallbacks((c) => ({ ...c, [office.id]: [cb, ...(c[office.id] ?? []).filter((x) => x.id !== cb.id)] }));
            announce(tc('callbacks.new', { office: officeShort(office), name: cb.name }));
          } else if (type === 'callback.updated') {
            // Handled (here or by a colleague): it leaves the list of messages to handle.
            const cb = data as CallbackRequest;
            if (cb.state === 'done') setCallbacks((c) => ({ ...c, [office.id]: (c[office.id] ?? []).filter((x) => x.id !== cb.id) }));
          }
        },
      });
    });
    // The public queue topic says when the office's operators on duty change (anyone's presence).
    const statusStops = offices.map(({ office }) =>
      realtime.subscribe(`office:${office.id}:queue`, {
        onEvent: (type, data) => {
          if (type !== 'queue.status' || typeof data?.operators_available !== 'number') return;
          const n = data.operators_available;
          setOffices((os) => os && os.map((o) => (o.office.id === office.id ? { ...o, operators_available: n } : o)));
        },
      }),
    );
    return () => [...stops, ...statusStops].forEach((s) => s());
  }, [officeIds, realtime]);

  /** The operator opened the door: their new conversation comes forward, with the focus. */
  const open = (v: Visit) => {
    setSelected(v.id);
    setFocusId(v.id);
    setKnock((k) => (k && k.id === v.id ? null : k));
    announce(tc('queue.admitted', { who: visitWho(v) }));
  };
  const actions: QueueActions = {
    admit: async (v) => open(await act(() => receptionApi.admit(v.id))),
    admitNext: async (o) => open(await act(() => receptionApi.admitNext(slug, o.office.id))),
    reject: async (v, reason) => {
      await act(() => receptionApi.reject(v.id, reason));
      announce(tc('queue.rejected', { who: visitWho(v) }));
    },
    reload: () => void load(),
  };
  const closeConv = (id: string) => {
    const rest = convs.filter((c) => c.id !== id);
    setConvs(rest);
    setSelected((s) => (s === id ? (rest[0]?.id ?? null) : s));
  };
  const callbackDone = async (cb: CallbackRequest, note: string) => {
    await receptionApi.callbackDone(slug, cb.id, note);
    const officeId = cb.office?.id ?? Object.keys(callbacks).find((k) => callbacks[k]?.some((x) => x.id === cb.id)) ?? '';
    setCallbacks((c) => ({ ...c, [officeId]: (c[officeId] ?? []).filter((x) => x.id !== cb.id) }));
    announce(tc('callbacks.doneMsg', { code: cb.code }));
  };

  const officeRefs = (offices ?? []).map((o) => o.office);

  // The tab title's count: people waiting who may come to this operator, and unread messages.
  const waitingForMe = (offices ?? []).reduce(
    (n, o) => n + o.waiting.filter((v) => !v.reserved_for || v.reserved_for.id === me).length,
    0,
  );
  const unreadAll = convs.reduce((n, c) => n + (unread[c.id] ?? 0), 0);
  useEffect(() => onCounts?.(waitingForMe, unreadAll), [waitingForMe, unreadAll]);

  // Keyboard (Alt+Shift, documented on the page): switch conversations, go to end / transfer.
  const kb = useRef({ convs, selected });
  kb.current = { convs, selected };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
      const { convs: cs, selected: sel } = kb.current;
      const at = cs.findIndex((c) => c.id === sel);
      let to = -1;
      const digit = /^Digit([1-9])$/.exec(e.code);
      if (digit) to = Number(digit[1]) - 1;
      else if (e.code === 'ArrowDown') to = cs.length ? (at + 1) % cs.length : -1;
      else if (e.code === 'ArrowUp') to = cs.length ? (at - 1 + cs.length) % cs.length : -1;
      else if ((e.code === 'KeyE' || e.code === 'KeyT') && sel) {
        const el = document.getElementById(`conv-${sel}-${e.code === 'KeyE' ? 'outcome' : 'transfer'}`);
        if (el) {
          e.preventDefault();
          el.focus();
        }
        return;
      } else return;
      e.preventDefault();
      const v = cs[to];
      if (!v) return;
      setSelected(v.id);
      setFocusId(null);
      window.setTimeout(() => {
        setFocusId(v.id);
        document.getElementById(`conv-tab-${v.id}`)?.focus();
      }, 0);
      announce(tw('keys.switched', { n: to + 1, total: cs.length, who: visitWho(v) }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = convs.find((c) => c.id === selected) ?? null;
  return (
    <div class="reception workspace" data-beeps={beeps}>
      <section class="ws-pane ws-line" aria-labelledby="pane-line-title">
        <h2 class="visually-hidden" id="pane-line-title">
          {tw('pane.line')}
        </h2>
        {linePane}
        <section class="panel" aria-labelledby="mine-title" id="my-contacts">
          <h2 id="mine-title" class="h4">
            {tw('mine.title')}
          </h2>
          {convs.length > 0 && <p class="small fw-semibold mb-2">{tw('mine.count', { n: convs.length })}</p>}
          {convs.length === 0 ? (
            <p class="mb-0">{tw('mine.none')}</p>
          ) : (
            <ConversationTabs convs={convs} selected={selected} unread={unread} onSelect={setSelected} />
          )}
        </section>
        <section class="panel card-waiting" aria-labelledby="waiting-title" id="waiting-room">
          <div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
            <h2 id="waiting-title" class="h4 mb-0">
              {t('console.waiting')}
            </h2>
            <SoundToggle />
          </div>
          {/* Seen here, heard through the page's polite live region (announce), which also says
              the same sentence twice (two anonymous knocks) and does not cut the operator short. */}
          {knock && (
            <div
              class="alert alert-info knock-alert d-flex justify-content-between align-items-start gap-2"
              id="knock-alert"
              data-visit={knock.id}
            >
              <span>{knock.text}</span>
              <button type="button" class="btn btn-link btn-sm p-0" onClick={() => setKnock(null)}>
                {tc('knock.dismiss')}
              </button>
            </div>
          )}
          {operator.presence !== 'available' && <p class="small presence-hint">{tc('panel.awayHint')}</p>}
          {conn === 'offline' && (
            <div class="alert alert-warning" role="status">
              {tc('panel.offline')}
            </div>
          )}
          {loadError && (
            <div class="alert alert-danger" role="alert">
              {tc('panel.loadError', { message: loadError })}
            </div>
          )}
          {!offices && !loadError && <Loading />}
          {offices && offices.length === 0 && <p class="mb-0">{t('console.noOffices')}</p>}
          {offices && <WaitingRoom offices={offices} actions={actions} />}
        </section>
        {aside}
      </section>

      <section class="ws-pane ws-current" aria-labelledby="conversations-title" id="conversations">
        {currentPane}
        <div class="panel">
          <h2 id="conversations-title" class="h4">
            {tc('conv.title')}
          </h2>
          {convs.length === 0 && <p class="mb-0">{tc('conv.none')}</p>}
          {convs.map((v) => (
            <div
              role="tabpanel"
              id={`conv-panel-${v.id}`}
              aria-labelledby={`conv-tab-${v.id}`}
              hidden={v.id !== selected}
              class="conv-panel"
              key={v.id}
            >
              <Conversation
                visit={v}
                realtime={realtime}
                tz={tz}
                offices={enteOffices}
                selected={v.id === selected}
                focus={v.id === focusId}
                act={act}
                onClose={() => closeConv(v.id)}
                onUnread={(n) => {
                  setUnread((u) => (u[v.id] === n ? u : { ...u, [v.id]: n }));
                }}
              />
            </div>
          ))}
        </div>
      </section>

      <section class="ws-pane ws-context" aria-labelledby="pane-context-title" id="citizen-context">
        <h2 class="h4" id="pane-context-title">
          {tw('pane.context')}
        </h2>
        <CitizenContext slug={slug} visit={current} tz={tz} />
        {offices && offices.length > 0 && (
          <>
            <CallbackLists offices={officeRefs} callbacks={callbacks} tz={tz} onDone={callbackDone} />
            <EndedToday slug={slug} offices={officeRefs} tz={tz} reloadKey={endedKey} />
          </>
        )}
      </section>
    </div>
  );
}
