// One WebSocket to /api/v1/ws carrying many topics (docs/API.md, "Real time" and "Virtual
// reception"). Each topic remembers the last sequence number seen, so that after a reconnection
// (exponential backoff) it resubscribes with `since` and the server replays exactly what was
// missed, or answers "resync". Events are delivered at most once per seq: replays that overlap
// what was already delivered are dropped here, not by every page.
// WebRTC signalling rides the same socket (`signal` / `onSignal`).

export type RealtimeState = 'connecting' | 'open' | 'offline';
export type SignalFrom = 'citizen' | 'operator';

export interface SubscribeOptions {
  /** Visit token (citizen) for `visit:{id}` topics; staff are identified by their cookie. */
  token?: string;
  /**
   * Last seq already known (e.g. `queue_seq` from GET /visits/{id}): the server replays every
   * event after it (0: from the topic's first event). Absent: only what comes from now on.
   */
  since?: number;
  onEvent: (type: string, data: any, seq: number) => void;
  /** The server no longer holds what was missed: reload the state, then continue from `seq`. */
  onResync?: (seq: number) => void;
  /** The subscription is live (after every (re)connection); `seq` is the topic's current seq. */
  onSubscribed?: (seq: number) => void;
  onError?: (code: string, message: string) => void;
  /**
   * The right this subscription depended on ended (logout, deactivation, the visit moved to
   * another office, a newer tab took the visit): the server stopped it and it is not renewed.
   */
  onRevoked?: (code: string, message: string) => void;
}

interface ServerMessage {
  op?: string;
  topic?: string;
  seq?: number;
  type?: string;
  data?: unknown;
  from?: SignalFrom;
  code?: string;
  message?: string;
}

/** One topic: one server subscription shared by every local listener of that topic. */
interface Topic {
  name: string;
  token?: string;
  /** Highest seq delivered (or the `since` asked for): what the next subscribe sends; null
   * until the first `subscribed` of a subscription made without `since` ("from now"). */
  seq: number | null;
  /** Confirmed by the server on the current connection. */
  confirmed: boolean;
  listeners: Set<SubscribeOptions>;
}

const PING_MS = 25_000;
const MAX_BACKOFF_MS = 30_000;

export class Realtime {
  private ws: WebSocket | null = null;
  private readonly topics = new Map<string, Topic>();
  private readonly signalListeners = new Map<string, Set<(from: SignalFrom, data: any) => void>>();
  private readonly stateListeners = new Set<(s: RealtimeState) => void>();
  /** Signals sent while the socket was down: sent after the resubscriptions on reconnect. */
  private outbox: string[] = [];
  private state: RealtimeState = 'offline';
  private closed = false;
  private attempt = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private readonly url: string;
  private readonly onOnline = () => {
    // The browser says the network is back: do not wait for the rest of the backoff.
    if (!this.ws && !this.closed) {
      window.clearTimeout(this.retryTimer);
      this.connect();
    }
  };

  constructor() {
    this.url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/ws`;
    window.addEventListener('online', this.onOnline);
  }

  /**
   * Listens to `topic`. Several listeners of one topic share one server subscription; the
   * first one's `since` and `token` are used. Returns the function that stops listening.
   */
  subscribe(topic: string, opts: SubscribeOptions): () => void {
    let t = this.topics.get(topic);
    if (!t) {
      const since = typeof opts.since === 'number' ? Math.max(0, opts.since) : null;
      t = { name: topic, token: opts.token, seq: since, confirmed: false, listeners: new Set() };
      this.topics.set(topic, t);
      t.listeners.add(opts);
      if (this.ws?.readyState === WebSocket.OPEN) this.sendSubscribe(t);
      else this.connect();
    } else {
      t.listeners.add(opts);
      if (t.confirmed) opts.onSubscribed?.(t.seq ?? 0);
    }
    this.updateLive();
    const entry = t;
    return () => {
      if (!entry.listeners.delete(opts) || entry.listeners.size > 0) return;
      this.topics.delete(topic);
      this.send(JSON.stringify({ op: 'unsubscribe', topic }), false);
      this.updateLive();
    };
  }

  /** Sends WebRTC signalling `data` to the other party of the visit `topic` (must be subscribed). */
  signal(topic: string, data: unknown): void {
    this.send(JSON.stringify({ op: 'signal', topic, data }), true);
  }

  onSignal(topic: string, fn: (from: SignalFrom, data: any) => void): () => void {
    let set = this.signalListeners.get(topic);
    if (!set) {
      set = new Set();
      this.signalListeners.set(topic, set);
    }
    set.add(fn);
    return () => {
      set?.delete(fn);
      if (set?.size === 0) this.signalListeners.delete(topic);
    };
  }

  onState(fn: (s: RealtimeState) => void): () => void {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  /** Closes the socket for good (no reconnection); listeners are dropped. */
  close(): void {
    this.closed = true;
    window.removeEventListener('online', this.onOnline);
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    this.topics.clear();
    this.signalListeners.clear();
    this.outbox = [];
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setState('offline');
    this.stateListeners.clear();
  }

  // ---- connection -------------------------------------------------------------------------

  private connect(): void {
    if (this.closed || this.ws) return;
    this.setState('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      for (const t of this.topics.values()) this.sendSubscribe(t);
      const queued = this.outbox;
      this.outbox = [];
      for (const m of queued) ws.send(m);
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.send(JSON.stringify({ op: 'ping' }), false), PING_MS);
    };
    ws.onmessage = (ev) => this.handle(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      window.clearInterval(this.pingTimer);
      for (const t of this.topics.values()) t.confirmed = false;
      if (this.closed) return;
      this.setState('offline');
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows and schedules the reconnection.
    };
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    // 1 s, 2 s, 4 s … up to 30 s, with jitter so that a restarted server is not hit all at once.
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt = Math.min(this.attempt + 1, 6);
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  private send(msg: string, queueWhenDown: boolean): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(msg);
    else if (queueWhenDown) this.outbox.push(msg);
  }

  private sendSubscribe(t: Topic): void {
    t.confirmed = false;
    const msg: Record<string, unknown> = { op: 'subscribe', topic: t.name };
    if (t.seq !== null) msg.since = t.seq;
    if (t.token) msg.token = t.token;
    this.send(JSON.stringify(msg), false);
    this.updateLive();
  }

  private handle(raw: unknown): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(raw)) as ServerMessage;
    } catch {
      return;
    }
    const t = msg.topic !== undefined ? this.topics.get(msg.topic) : undefined;
    switch (msg.op) {
      case 'subscribed': {
        if (!t) return;
        t.confirmed = true;
        // Subscribed "from now": continue from the topic's current seq. With a `since`, a
        // higher current seq means the server replays what was missed (events follow), so
        // it is not adopted here: adopting it would skip them.
        if (typeof msg.seq === 'number' && t.seq === null) t.seq = msg.seq;
        this.updateLive();
        const seq = t.seq ?? 0;
        for (const l of [...t.listeners]) l.onSubscribed?.(seq);
        return;
      }
      case 'event': {
        if (!t || typeof msg.seq !== 'number') return;
        // Replays may overlap events already delivered (e.g. in flight during a reconnect).
        if (t.seq !== null && msg.seq <= t.seq) return;
        t.seq = msg.seq;
        const seq = msg.seq;
        for (const l of [...t.listeners]) l.onEvent(msg.type ?? '', msg.data, seq);
        return;
      }
      case 'resync': {
        if (!t) return;
        if (typeof msg.seq === 'number') t.seq = msg.seq;
        const seq = t.seq ?? 0;
        for (const l of [...t.listeners]) l.onResync?.(seq);
        return;
      }
      case 'revoked': {
        if (!t) return;
        // Not renewed on reconnection: the page decides (sign in again, reload the visit).
        this.topics.delete(t.name);
        this.updateLive();
        const code = msg.code ?? 'forbidden';
        const message = msg.message ?? '';
        for (const l of [...t.listeners]) (l.onRevoked ?? l.onError)?.(code, message);
        return;
      }
      case 'signal': {
        if (msg.topic === undefined || (msg.from !== 'citizen' && msg.from !== 'operator')) return;
        const from = msg.from;
        for (const fn of [...(this.signalListeners.get(msg.topic) ?? [])]) fn(from, msg.data);
        return;
      }
      case 'error': {
        const code = msg.code ?? 'error';
        const message = msg.message ?? '';
        // An error names its topic when it has one; otherwise it concerns a subscription
        // not yet confirmed (e.g. a refused token), or, failing that, every listener.
        let targets: Topic[] = t ? [t] : [...this.topics.values()].filter((x) => !x.confirmed);
        if (targets.length === 0 && !t) targets = [...this.topics.values()];
        for (const x of targets) for (const l of [...x.listeners]) l.onError?.(code, message);
        return;
      }
      default:
        return; // pong and anything newer
    }
  }

  private setState(s: RealtimeState): void {
    if (s === this.state) return;
    this.state = s;
    this.updateLive();
    for (const fn of [...this.stateListeners]) fn(s);
  }

  /**
   * <body data-live>: "subscribed" once the socket is open and every topic is confirmed
   * (tests wait for it before causing events).
   */
  private updateLive(): void {
    if (this.closed) return;
    let v: string = this.state;
    if (this.state === 'open') {
      const pending = [...this.topics.values()].some((t) => !t.confirmed);
      v = pending ? 'connecting' : 'subscribed';
    }
    document.body.dataset.live = v;
  }
}
