// Appointments bench (docs/PERFORMANCE.md, "Appointments"): the real binary over HTTP.
//  1. Free slots over 3 months for 20 offices: 20 offices with a plan each (Mon–Fri 08:30–12:30
//     and 14:00–17:00, 15-minute slots, 2 places, 90 days ahead, some bookings in it); each round
//     asks every office for its 3 months (60 GETs …/availability?month=…), ROUNDS rounds, one
//     request at a time; latency p50 / p99 / max.
//  2. 1,000 concurrent attempts on one slot of capacity 2: exactly 2 must win (409 slot_full
//     for the others); wall time.
// Usage: SPORTELLO_BIN=build/sportello [SPORTELLO_TEST_DB=postgres SPORTELLO_TEST_PG=…]
//        node bench/booking_bench.mjs [rounds=20]
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startServer, loggedIn, Client, backend } from '../tests/integration/lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 20);
const base = '/api/v1/enti/esempio';
const srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--bookings-per-address-per-hour', '0'] });
try {
  const admin = await loggedIn(srv.url, 'admin');
  const periods = [];
  for (let wd = 1; wd <= 5; wd++) {
    periods.push({ weekday: wd, start: '08:30', end: '12:30' }, { weekday: wd, start: '14:00', end: '17:00' });
  }
  const offices = [];
  for (let i = 0; i < 20; i++) {
    const slug = `bench-${i}`;
    const o = await admin.post(`${base}/offices`, { slug, name: `Ufficio bench ${i}`, channels: ['walk_in'] });
    assert.equal(o.status, 201, o.text);
    const p = await admin.put(`${base}/booking/plans`, {
      office: slug, slot_minutes: 15, capacity: 2, min_notice_minutes: 60, max_days_ahead: 90, periods,
      breaks: [{ weekday: 3, start: '10:00', end: '10:30' }],
      exceptions: [{ date: '2026-12-24', periods: [{ start: '08:30', end: '11:00' }] }],
    });
    assert.equal(p.status, 200, p.text);
    offices.push(slug);
  }
  // Some bookings so the counts are not all empty.
  const anon = new Client(srv.url);
  for (let i = 0; i < 100; i++) {
    const r = await anon.post(`${base}/bookings`, {
      office: offices[i % 20], date: `2026-12-${String(1 + (i % 4)).padStart(2, '0')}`, start: '09:00',
      first_name: 'Bench', last_name: String(i), email: `bench${i}@example.org`, privacy_accepted: true,
    });
    assert.ok(r.status === 201 || r.status === 409, r.text);
  }
  const months = ['2026-11', '2026-12', '2027-01'];
  const lat = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const o of offices) {
      for (const m of months) {
        const t0 = performance.now();
        const r = await fetch(`${srv.url}${base}/offices/${o}/availability?month=${m}`);
        await r.arrayBuffer();
        lat.push(performance.now() - t0);
        assert.equal(r.status, 200);
      }
    }
  }
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
  console.log(`[${backend}] availability (3 months × 20 offices × ${ROUNDS} rounds = ${lat.length} GETs): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${lat[lat.length - 1].toFixed(2)} ms`);

  const t0 = performance.now();
  const attempts = Array.from({ length: 1000 }, (_, i) => fetch(`${srv.url}${base}/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ office: offices[0], date: '2026-12-10', start: '15:00', first_name: 'Race', last_name: String(i), email: `race${i}@example.org`, privacy_accepted: true }),
  }).then(async (r) => ({ status: r.status, body: await r.text() })));
  const rs = await Promise.all(attempts);
  const ms = performance.now() - t0;
  const won = rs.filter((r) => r.status === 201).length;
  const full = rs.filter((r) => r.status === 409 && r.body.includes('slot_full')).length;
  console.log(`[${backend}] 1000 concurrent attempts on one slot of capacity 2: ${won} booked, ${full} slot_full, other ${1000 - won - full}; ${ms.toFixed(0)} ms`);
  assert.equal(won, 2);
  assert.equal(full, 998);
} finally {
  await srv.stop();
}
