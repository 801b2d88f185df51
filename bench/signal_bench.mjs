// Signalling bench (docs/PERFORMANCE.md, "WebRTC signalling across nodes"): the real binary
// over WebSocket. An admitted video visit; the citizen's socket sends signals one at a time and
// the time until the operator's socket has each is measured on this process's clock (one way,
// client to client, through the server(s)):
//   - ICE candidates (~150 bytes), ROUNDS of them;
//   - SDP offers of 6 KB (sent inline in a NOTIFY) and of 12 KB (through the relay table), ROUNDS/5 each;
// and, last, the time until a signal to a party connected nowhere is answered `unavailable`.
// SQLite: one node. PostgreSQL: one node, then two nodes on the same database (the citizen on
// A, the operator on B), each on a fresh copy of the demo.
// Usage: SPORTELLO_BIN=build/sportello [SPORTELLO_TEST_DB=postgres SPORTELLO_TEST_PG=…]
//        node bench/signal_bench.mjs [rounds=1000]
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startServer, freshDatabase, onDutyAt, cookieOf, Client, Ws, backend } from '../tests/integration/lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 1000);
const NOW = '2026-11-25T14:30:00Z'; // Wednesday 15:30 in Rome: URP video open
const ARGS = ['--knocks-per-address-per-hour', '0'];

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
function summary(label, xs) {
  xs.sort((a, b) => a - b);
  const f = (v) => v.toFixed(2);
  console.log(`${label.padEnd(36)} n=${String(xs.length).padStart(5)}  p50 ${f(pct(xs, 50))} ms  ` +
    `p99 ${f(pct(xs, 99))} ms  max ${f(xs[xs.length - 1])} ms`);
}

const sdp = (bytes) => {
  const line = 'a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0\r\n';
  return ('v=0\r\n' + line.repeat(Math.ceil(bytes / line.length))).slice(0, bytes);
};

async function measure(label, citizenUrl, operatorUrl) {
  const op = await onDutyAt(operatorUrl, 'operator');
  const k = await new Client(citizenUrl).post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'video' });
  assert.equal(k.status, 201, k.text);
  const topic = `visit:${k.json.visit.id}`;
  const cws = await Ws.open(citizenUrl);
  cws.send({ op: 'subscribe', topic, token: k.json.token });
  await cws.next((m) => m.op === 'subscribed');
  const ows = await Ws.open(operatorUrl, { cookie: cookieOf(op) });
  ows.send({ op: 'subscribe', topic });
  await ows.next((m) => m.op === 'subscribed');
  assert.equal((await op.post(`/api/v1/visits/${k.json.visit.id}/admit`)).status, 200);
  await cws.next((m) => m.type === 'visit.admitted');

  async function oneWay(n, data) {
    const times = [];
    for (let i = 0; i < n; i++) {
      const d = data(i);
      const t0 = performance.now();
      cws.send({ op: 'signal', topic, data: d });
      await ows.next((m) => m.op === 'signal');
      times.push(performance.now() - t0);
    }
    return times;
  }
  // Warm-up (connections, prepared statements).
  await oneWay(50, (i) => ({ kind: 'ice', candidate: { candidate: `candidate:w${i}`, sdpMid: '0' } }));
  const cand = (i) => ({ kind: 'ice', candidate: { candidate: `candidate:${i} 1 udp 2122260223 192.0.2.1 ${40000 + (i % 20000)} typ host generation 0`, sdpMid: '0', sdpMLineIndex: 0 } });
  summary(`${label}: ICE candidate`, await oneWay(ROUNDS, cand));
  summary(`${label}: SDP 6 KB`, await oneWay(Math.max(1, ROUNDS / 5), () => ({ kind: 'offer', sdp: sdp(6000) })));
  summary(`${label}: SDP 12 KB`, await oneWay(Math.max(1, ROUNDS / 5), () => ({ kind: 'offer', sdp: sdp(12000) })));
  await ows.close();
  const t0 = performance.now();
  cws.send({ op: 'signal', topic, data: { kind: 'bye' } });
  const e = await cws.next((m) => m.op === 'error', 10_000);
  assert.equal(e.code, 'unavailable');
  console.log(`${`${label}: unavailable after`.padEnd(36)} ${(performance.now() - t0).toFixed(0)} ms`);
  await cws.close();
}

console.log(`backend ${backend}, ${ROUNDS} candidates per run`);
const one = await startServer({ now: NOW, extraArgs: ARGS });
try {
  await measure('one node', one.url, one.url);
} finally {
  await one.stop();
}
if (backend === 'postgres') {
  const db = await freshDatabase();
  const a = await startServer({ db, now: NOW, extraArgs: ARGS });
  const b = await startServer({ db, demo: false, now: NOW, extraArgs: ARGS });
  try {
    await measure('two nodes (A → B)', a.url, b.url);
  } finally {
    await b.stop({ keepDb: true });
    await a.stop();
  }
}
