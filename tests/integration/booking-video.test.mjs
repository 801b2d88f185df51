// A video appointment's visit through the real binary: the operator assigned from the agenda
// ("Assegna a me", shown to the citizen), the holder's POST …/video-visit only in its window
// (409 outside, 404 with a wrong secret), a reception visit first in the office's line and
// reserved for the assigned operator (another gets 403, admit-next skips it), asked again → the
// same live visit with a new token, and the waiting citizens' positions kept consistent with the
// queue broadcast. Wednesday 25 November 2026, 15:30 in Rome (the URP receives in chat now).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Client, Ws, backend } from './lib.mjs';

let srv, admin, op, sup, mayor;
const base = '/api/v1/enti/esempio';
before(async () => {
  srv = await startServer({
    now: '2026-11-25T14:30:00Z',
    extraArgs: ['--bookings-per-address-per-hour', '0', '--knocks-per-address-per-hour', '0'],
  });
  admin = await loggedIn(srv.url, 'admin');
  op = await loggedIn(srv.url, 'operator');
  sup = await loggedIn(srv.url, 'supervisor');
  mayor = await loggedIn(srv.url, 'mayor');
  for (const c of [op, sup]) {
    const r = await c.put('/api/v1/session/presence', { presence: 'available' });
    assert.equal(r.status, 200, r.text);
  }
  // The URP takes video appointments all day with no notice and 10 places a slot: the 15:40
  // slot starts in 10 minutes (its call is open), the 16:00 one is not yet.
  const periods = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));
  const p = await admin.put(`${base}/booking/plans`, { office: 'urp', service: 'J', slot_minutes: 20, capacity: 10, min_notice_minutes: 0, video: true, periods });
  assert.equal(p.status, 200, p.text);
});
after(async () => { await srv?.stop(); });

const anon = () => new Client(srv.url);
const holder = (secret) => ({ headers: { 'x-booking-token': secret } });
const asCitizen = (token) => ({ headers: { 'x-visit-token': token } });
let seq = 0;
async function book(start, mode = 'video') {
  const r = await anon().post(`${base}/bookings`, {
    office: 'urp', service: 'J', date: '2026-11-25', start, mode,
    first_name: 'Anna', last_name: 'Verdi', email: `anna.${++seq}@example.org`, privacy_accepted: true,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test(`[${backend}] assign from the agenda: staff of the office only, shown to the citizen`, async () => {
  const b = await book('16:40');
  const code = b.booking.code;
  assert.equal(b.booking.operator, null);
  const forbidden = await mayor.post(`${base}/bookings/${code}/assign`, {});
  assert.equal(forbidden.status, 403, 'the mayor is not in the URP');
  const noCsrf = await op.post(`${base}/bookings/${code}/assign`, {}, { headers: { 'x-csrf-token': 'nope' } });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  const a = await op.post(`${base}/bookings/${code}/assign`, {});
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.operator.display_name, 'Giulia Rossi');
  assert.ok(a.json.operator.id);
  const seen = await anon().get(`${base}/bookings/${code}`, holder(b.secret));
  assert.deepEqual(seen.json.operator, { display_name: 'Giulia Rossi' }, 'the citizen sees the name only');
  const agenda = await op.get(`${base}/offices/urp/agenda?date=2026-11-25`);
  assert.equal(agenda.json.bookings.find((x) => x.code === code).operator.display_name, 'Giulia Rossi');
  const u = await op.post(`${base}/bookings/${code}/unassign`, {});
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.operator, null);
  assert.equal((await anon().get(`${base}/bookings/${code}`, holder(b.secret))).json.operator, null);
  const bad = await op.post(`${base}/bookings/${code}/assign`, { operator: 'x' });
  assert.equal(bad.status, 400, 'unknown fields are refused');
});

test(`[${backend}] video-visit: only a video appointment, in its window, with the right secret`, async () => {
  const later = await book('16:20');
  const r = await anon().post(`${base}/bookings/${later.booking.code}/video-visit`, {}, holder(later.secret));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'video_closed');
  assert.match(r.json.error.message, /10 minuti prima/);
  const inPerson = await book('15:40', 'in_person');
  const p = await anon().post(`${base}/bookings/${inPerson.booking.code}/video-visit`, {}, holder(inPerson.secret));
  assert.equal(p.status, 409, p.text);
  assert.match(p.json.error.message, /non è in videochiamata/);
  const soon = await book('15:40');
  const wrong = await anon().post(`${base}/bookings/${soon.booking.code}/video-visit`, {}, holder(soon.secret + 'x'));
  assert.equal(wrong.status, 404, wrong.text);
  const none = await anon().post(`${base}/bookings/${soon.booking.code}/video-visit`, {});
  assert.equal(none.status, 404, none.text);
  // A cancelled or handled appointment has no call.
  const c = await anon().post(`${base}/bookings/${later.booking.code}/cancel`, {}, holder(later.secret));
  assert.equal(c.status, 200, c.text);
  const gone = await anon().post(`${base}/bookings/${later.booking.code}/video-visit`, {}, holder(later.secret));
  assert.equal(gone.status, 409, gone.text);
});

test(`[${backend}] in the window: first in line, reserved for the assigned operator, idempotent`, async () => {
  // A walk-in is already waiting at the URP, following the line from the queue topic.
  const k = await anon().post(`${base}/offices/urp/visits`, { mode: 'chat', name: 'Mario', topic: 'Residenza' });
  assert.equal(k.status, 201, k.text);
  const walkIn = k.json;
  const startPos = walkIn.visit.position;
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: walkIn.visit.queue_topic, since: walkIn.visit.queue_seq });
  await ws.next((m) => m.op === 'subscribed');

  const b = await book('15:40');
  const code = b.booking.code;
  assert.equal((await op.post(`${base}/bookings/${code}/assign`, {})).status, 200);
  const v1 = await anon().post(`${base}/bookings/${code}/video-visit`, {}, holder(b.secret));
  assert.equal(v1.status, 200, v1.text);
  assert.ok(v1.json.visit_id && v1.json.token.length >= 43);
  const visit = (await anon().get(`/api/v1/visits/${v1.json.visit_id}`, asCitizen(v1.json.token))).json;
  assert.equal(visit.state, 'waiting');
  assert.equal(visit.channel, 'appointment');
  assert.equal(visit.mode, 'video');
  assert.equal(visit.topic, code);
  assert.equal(visit.name, 'Anna Verdi');
  assert.equal(visit.position, 1, 'ahead of every walk-in');
  assert.equal(visit.reserved_for.display_name, 'Giulia Rossi');
  assert.ok(visit.knock_no < walkIn.visit.knock_no);

  // The walk-in's client applies the broadcast and agrees with the server.
  const joined = await ws.next((m) => m.type === 'queue.joined');
  assert.ok(joined.data.k < walkIn.visit.knock_no);
  const now = await anon().get(`/api/v1/visits/${walkIn.visit.id}`, asCitizen(walkIn.token));
  assert.equal(now.json.position, startPos + 1);

  // The first tab follows its visit live with the first token.
  const oldTab = await Ws.open(srv.url);
  oldTab.send({ op: 'subscribe', topic: `visit:${v1.json.visit_id}`, token: v1.json.token });
  await oldTab.next((m) => m.op === 'subscribed');

  // Asked again (a second tab, a reload without storage): the same visit, a new token.
  const v2 = await anon().post(`${base}/bookings/${code}/video-visit`, {}, holder(b.secret));
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.json.visit_id, v1.json.visit_id);
  assert.notEqual(v2.json.token, v1.json.token);
  // The old token's socket stops at once: no more chat, no signalling into the call.
  const revoked = await oldTab.next((m) => m.op === 'revoked');
  assert.equal(revoked.topic, `visit:${v1.json.visit_id}`);
  oldTab.send({ op: 'signal', topic: `visit:${v1.json.visit_id}`, data: { kind: 'bye' } });
  assert.equal((await oldTab.next((m) => m.op === 'error')).code, 'forbidden');
  const newTab = await Ws.open(srv.url);
  newTab.send({ op: 'subscribe', topic: `visit:${v1.json.visit_id}`, token: v2.json.token });
  await newTab.next((m) => m.op === 'subscribed');
  await oldTab.close();
  await newTab.close();
  assert.equal((await anon().get(`/api/v1/visits/${v1.json.visit_id}`, asCitizen(v2.json.token))).status, 200);
  const staffView = await op.get(`${base}/offices/urp/agenda?date=2026-11-25`);
  assert.equal(staffView.json.bookings.find((x) => x.code === code).visit_id, v1.json.visit_id);

  // The console lists it first, flagged; the public knock form cannot fake the channel.
  const console = await sup.get(`${base}/reception`);
  const urp = console.json.offices.find((o) => o.office.slug === 'urp');
  assert.equal(urp.waiting[0].id, v1.json.visit_id);
  const fake = await anon().post(`${base}/offices/urp/visits`, { mode: 'video', channel: 'appointment' });
  assert.equal(fake.status, 400, fake.text);

  // Another operator cannot admit it; admit-next skips it for them.
  const other = await sup.post(`/api/v1/visits/${v1.json.visit_id}/admit`);
  assert.equal(other.status, 403, other.text);
  assert.match(other.json.error.message, /assegnato a Giulia Rossi/);
  const next = await sup.post(`${base}/offices/urp/admit-next`);
  assert.equal(next.status, 200, next.text);
  assert.notEqual(next.json.id, v1.json.visit_id);
  assert.equal((await sup.post(`/api/v1/visits/${next.json.id}/end`, { outcome: 'resolved' })).status, 200);

  // The assigned operator admits it.
  const ok = await op.post(`/api/v1/visits/${v1.json.visit_id}/admit`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.state, 'admitted');
  assert.equal(ok.json.operator.display_name, 'Giulia Rossi');
  // Still live: asking again returns the same (admitted) visit.
  const v3 = await anon().post(`${base}/bookings/${code}/video-visit`, {}, holder(b.secret));
  assert.equal(v3.json.visit_id, v1.json.visit_id);
  assert.equal((await op.post(`/api/v1/visits/${v1.json.visit_id}/end`, { outcome: 'resolved' })).status, 200);
  ws.close();
});

test(`[${backend}] without an assigned operator any operator of the office admits it`, async () => {
  const b = await book('15:40');
  const v = await anon().post(`${base}/bookings/${b.booking.code}/video-visit`, {}, holder(b.secret));
  assert.equal(v.status, 200, v.text);
  const next = await sup.post(`${base}/offices/urp/admit-next`);
  assert.equal(next.status, 200, next.text);
  assert.equal(next.json.id, v.json.visit_id, 'first in line');
  assert.equal(next.json.reserved_for, null);
  assert.equal((await sup.post(`/api/v1/visits/${next.json.id}/end`, { outcome: 'resolved' })).status, 200);
});

test(`[${backend}] cancelled while its visit waits: the visit leaves the line`, async () => {
  const b = await book('15:40');
  const v = await anon().post(`${base}/bookings/${b.booking.code}/video-visit`, {}, holder(b.secret));
  assert.equal(v.status, 200, v.text);
  const c = await anon().post(`${base}/bookings/${b.booking.code}/cancel`, {}, holder(b.secret));
  assert.equal(c.status, 200, c.text);
  const seen = await anon().get(`/api/v1/visits/${v.json.visit_id}`, asCitizen(v.json.token));
  assert.equal(seen.json.state, 'left');
  const waiting = await sup.get(`${base}/offices/urp/visits?state=waiting`);
  assert.ok(!waiting.json.visits.some((x) => x.id === v.json.visit_id));
});
