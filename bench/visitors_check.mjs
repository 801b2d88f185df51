// Turnstile check bench (docs/PERFORMANCE.md, "Visitors: turnstile checks"): the real binary,
// one node, over HTTP/1.1 keep-alive. An area with four turnstiles, PASSES registered visitors;
// then checks are sent open-loop at RATE per second for SECONDS (each at its scheduled instant,
// whether or not the previous ones have answered, so a slow server is not hidden by a slow
// client): each pass alternately enters and exits, at a turnstile chosen round-robin. Latency is
// measured on this process's clock from the scheduled instant to the answer (so client-side
// queueing counts against the server). Every answer must be allowed.
// Usage: SPORTELLO_BIN=build/sportello [SPORTELLO_TEST_DB=postgres SPORTELLO_TEST_PG=…]
//        node bench/visitors_check.mjs [rate=200] [seconds=30] [passes=400] [baseline]
// `baseline`: the same schedule of GET /healthz instead (no database): what the machine and the
// HTTP path alone cost, measured the same way, to tell the check's share of the tail.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import { startServer, loggedIn, backend } from '../tests/integration/lib.mjs';

const RATE = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 30);
const PASSES = Number(process.argv[4] ?? 400);
const BASELINE = process.argv[5] === 'baseline';
const E = '/api/v1/enti/esempio';

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const srv = await startServer({ now: '2026-11-25T08:00:00Z' });
try {
  const admin = await loggedIn(srv.url, 'admin');
  let r = await admin.put(`${E}/visitors/settings`, { info_office: 'urp', retention_hours: 48 });
  assert.equal(r.status, 200, r.text);
  r = await admin.post(`${E}/visitor-areas`, { name: 'Bench', offices: ['sociali'] });
  const area = r.json.id;
  const gates = [];
  for (let i = 0; i < 4; i++) {
    const t = await admin.post(`${E}/turnstiles`, { name: `Tornello ${i}`, area });
    gates.push(t.json.token);
  }
  const passes = [];
  for (let i = 0; i < PASSES; i++) {
    const p = await admin.post(`${E}/visitors`, {
      first_name: 'Bench', last_name: `N${i}`, office: 'sociali', reason: 'bench', expected_minutes: 600,
    });
    assert.equal(p.status, 201, p.text);
    passes.push({ token: p.json.token, inside: false });
  }
  const check = async (gate, token, direction) => {
    if (BASELINE) {
      const h = await fetch(`${srv.url}/healthz`);
      await h.arrayBuffer();
      return { allowed: h.ok };
    }
    const res = await fetch(`${srv.url}/api/v1/turnstile/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gate}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token, direction }),
    });
    return res.json();
  };
  // Warm-up: one round trip per turnstile.
  for (const g of gates) await check(g, 'warm-up', 'in');

  const total = RATE * SECONDS;
  const lat = [];
  let denied = 0;
  const inflight = [];
  const t0 = performance.now() + 50;
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / RATE;
    const delay = at - performance.now();
    if (delay > 1) await wait(delay);
    const p = passes[i % passes.length];
    const direction = p.inside ? 'out' : 'in';
    p.inside = !p.inside;
    const gate = gates[i % gates.length];
    inflight.push(
      check(gate, p.token, direction).then((a) => {
        lat.push(performance.now() - at);
        if (!a.allowed) denied++;
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const f = (v) => v.toFixed(2);
  console.log(`backend ${backend}${BASELINE ? ', BASELINE GET /healthz' : ''}, ${total} checks at ${RATE}/s offered (${(total / elapsed).toFixed(1)}/s achieved over ${elapsed.toFixed(1)} s), ${PASSES} passes, 4 turnstiles`);
  console.log(`p50 ${f(pct(lat, 50))} ms  p95 ${f(pct(lat, 95))} ms  p99 ${f(pct(lat, 99))} ms  max ${f(lat[lat.length - 1])} ms  denied ${denied}`);
  assert.equal(denied, 0, 'every check of the bench is a valid entry or exit');
} finally {
  await srv.stop();
}
