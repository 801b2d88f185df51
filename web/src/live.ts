// Real-time topic subscription over /api/v1/ws (docs/API.md, "Real time").
// Keeps the last sequence number across reconnects (with exponential backoff), so the server
// can replay what was missed or answer "resync"; either way `onChange` tells the page to reload.

export interface TopicSubscription {
  close(): void;
}

interface ServerMessage {
  op: string;
  topic?: string;
  seq?: number;
}

export type LiveState = 'connecting' | 'subscribed' | 'offline';

/**
 * Subscribes to `topic`; `onChange` runs after every event or resync. The connection state is
 * also reflected in <body data-live="…"> (useful to tests and for debugging).
 */
export function subscribeTopic(
  topic: string,
  onChange: () => void,
  onState?: (s: LiveState) => void,
): TopicSubscription {
  const setState = (s: LiveState) => {
    document.body.dataset.live = s;
    onState?.(s);
  };
  let ws: WebSocket | null = null;
  // null until the first `subscribed`: the first subscription asks only for what comes next.
  let seq: number | null = null;
  let closed = false;
  let attempt = 0;
  let timer: number | undefined;
  let pingTimer: number | undefined;

  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/ws`;

  function connect() {
    if (closed) return;
    setState('connecting');
    try {
      ws = new WebSocket(url);
    } catch {
      schedule();
      return;
    }
    ws.onopen = () => {
      attempt = 0;
      ws?.send(JSON.stringify(seq === null ? { op: 'subscribe', topic } : { op: 'subscribe', topic, since: seq }));
      window.clearInterval(pingTimer);
      pingTimer = window.setInterval(() => {
        if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ op: 'ping' }));
      }, 25000);
    };
    ws.onmessage = (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.topic !== undefined && msg.topic !== topic) return;
      if (msg.op === 'subscribed') {
        setState('subscribed');
        // First subscription: start from the current sequence; nothing to reload. On a
        // resubscription the server replays what was missed (events follow).
        if (typeof msg.seq === 'number' && seq === null) seq = msg.seq;
      } else if (msg.op === 'event') {
        if (typeof msg.seq === 'number') seq = Math.max(seq ?? 0, msg.seq);
        onChange();
      } else if (msg.op === 'resync') {
        if (typeof msg.seq === 'number') seq = msg.seq;
        onChange();
      }
    };
    ws.onclose = () => {
      window.clearInterval(pingTimer);
      if (!closed) setState('offline');
      ws = null;
      schedule();
    };
    ws.onerror = () => {
      // onclose follows and schedules the reconnection.
    };
  }

  function schedule() {
    if (closed) return;
    const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt = Math.min(attempt + 1, 6);
    timer = window.setTimeout(connect, delay);
  }

  connect();
  return {
    close() {
      closed = true;
      window.clearTimeout(timer);
      window.clearInterval(pingTimer);
      ws?.close();
    },
  };
}
