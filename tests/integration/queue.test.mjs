// Queue tickets (eliminacode) through the real binary: numbering and codes, 200 parallel
// issues, two counters calling at once, the call order (appointments, priority, oldest),
// recall, transfer, phone tickets (token, per-person limits), the public board's privacy.
// Wednesday 25 November 2026, 10:30 in Rome: Anagrafe, URP, Tributi and Sociali are open;
// Edilizia (service B) receives only on Tuesday and Thursday.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Client, Ws, backend } from './lib.mjs';

let srv, admin, op, site;
before(async () => {
  srv = await startServer({ now: '2026-11-25T09:30:00Z' });
  admin = await loggedIn(srv.url, 'admin');
  op = await loggedIn(srv.url, 'operator');
  const sites = await admin.get('/api/v1/enti/esempio/sites');
  assert.equal(sites.status, 200, sites.text);
  const list = Array.isArray(sites.json) ? sites.json : sites.json.sites;
  site = list.find((s) => s.kind === 'town_hall').id;
});
after(async () => { await srv?.stop(); });

const anon = () => new Client(srv.url);
const ticketsPath = () => `/api/v1/enti/esempio/sites/${site}/tickets`;
const holder = (token) => ({ headers: { 'x-ticket-token': token } });

async function machine(service, extra = {}) {
  const r = await op.post(ticketsPath(), { service, source: 'machine', ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function phone(service) {
  const r = await anon().post(ticketsPath(), { service, source: 'phone' });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// A counter of this test only, serving the given services.
async function counter(name, services) {
  const r = await admin.post('/api/v1/enti/esempio/counters', { name, site, services });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const callNext = (k) => op.post(`/api/v1/counters/${k.id}/call-next`);

test(`[${backend}] the demo has five counters at the town hall; the queue lists the services`, async () => {
  const ks = await op.get(`/api/v1/enti/esempio/counters?site=${site}`);
  assert.equal(ks.status, 200, ks.text);
  assert.equal(ks.json.counters.filter((k) => k.name.startsWith('Sportello ')).length, 5);
  const q = await anon().get(`/api/v1/enti/esempio/sites/${site}/queue`);
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json.services.map((s) => s.prefix), ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K']);
  assert.equal(q.json.services.find((s) => s.prefix === 'B').open, false, 'Edilizia is closed on Wednesday');
  assert.equal(q.json.services.find((s) => s.prefix === 'A').open, true);
  assert.equal(q.json.board_topic, `site:${site}:board`);
});

test(`[${backend}] issuing numbers a service's tickets in sequence: C001, C002, C003`, async () => {
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await machine('C')).ticket.code);
  assert.deepEqual(codes, ['C001', 'C002', 'C003']);
  const t = await machine('D');
  assert.equal(t.ticket.code, 'D001', 'each service has its own sequence');
  assert.equal(t.ticket.number, 1);
  assert.equal(t.ticket.day, '2026-11-25');
  assert.equal(t.ticket.state, 'waiting');
  assert.match(t.token, /^[A-Za-z0-9_-]{20,}$/);
});

test(`[${backend}] bad input is refused naming the field, and nothing is numbered`, async () => {
  for (const [body, field] of [
    [{ service: 'C', source: 'fax' }, 'source'],
    [{ service: 'Z', source: 'machine' }, 'service'],
    [{ source: 'machine' }, 'service'],
    [{ service: 'C', source: 'machine', priority: 'vip' }, 'priority'],
    [{ service: 'C', source: 'phone', priority: 'age' }, 'priority'],
    [{ service: 'C', source: 'machine', priority: 'appointment' }, 'appointment_at'],
    [{ service: 'C', source: 'machine', colour: 'red' }, 'colour'],
  ]) {
    const client = body.source === 'phone' ? anon() : op;
    const r = await client.post(ticketsPath(), body);
    assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  const noAuth = await anon().post(ticketsPath(), { service: 'C', source: 'machine' });
  assert.equal(noAuth.status, 401, 'a machine ticket needs a kiosk or a staff session');
  const closed = await op.post(ticketsPath(), { service: 'B', source: 'machine' });
  assert.equal(closed.status, 409);
  assert.equal(closed.json.error.code, 'closed');
  assert.ok(closed.json.error.next_opens_at);
  const c = await machine('C');
  assert.equal(c.ticket.code, 'C004', 'refused requests used no number');
});

test(`[${backend}] 200 tickets issued in parallel get 200 distinct consecutive numbers`, async () => {
  const rs = await Promise.all(Array.from({ length: 200 }, () =>
    op.post(ticketsPath(), { service: 'G', source: 'machine' })));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const numbers = rs.map((r) => r.json.ticket.number).sort((a, b) => a - b);
  assert.deepEqual(numbers, Array.from({ length: 200 }, (_, i) => i + 1));
  assert.equal(new Set(rs.map((r) => r.json.ticket.code)).size, 200);
});

test(`[${backend}] two counters calling at once never get the same ticket`, async () => {
  const k1 = await counter('Parallelo 1', ['G']);
  const k2 = await counter('Parallelo 2', ['G']);
  const seen = new Set();
  for (let round = 0; round < 25; round++) {
    const [a, b] = await Promise.all([callNext(k1), callNext(k2)]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.ok(a.json.ticket && b.json.ticket);
    assert.notEqual(a.json.ticket.id, b.json.ticket.id, `round ${round}`);
    for (const t of [a.json.ticket, b.json.ticket]) {
      assert.ok(!seen.has(t.id), 'a ticket is called once');
      seen.add(t.id);
      assert.equal(t.state, 'called');
    }
  }
  // The oldest first: 50 calls took G001 … G050.
  assert.deepEqual([...seen].length, 50);
  const called = await op.get(`/api/v1/enti/esempio/sites/${site}/tickets?state=done`);
  assert.equal(called.status, 200);
  // Calling the next ticket closed the previous one of each counter.
  assert.equal(called.json.tickets.filter((t) => t.service.prefix === 'G').length, 48);
});

test(`[${backend}] call order: due appointment, then priority, then the oldest`, async () => {
  const k = await counter('Priorità', ['E']);
  const e1 = await machine('E');
  const e2 = await machine('E', { priority: 'age' });
  const e3 = await machine('E', { priority: 'appointment', appointment_at: '2026-11-25T09:30:00Z' });
  const e4 = await machine('E');
  const order = [];
  for (let i = 0; i < 4; i++) {
    const r = await callNext(k);
    assert.equal(r.status, 200, r.text);
    order.push([r.json.ticket.code, r.json.kind]);
  }
  assert.deepEqual(order, [[e3.ticket.code, 'appointment'], [e2.ticket.code, 'priority'],
    [e1.ticket.code, 'normal'], [e4.ticket.code, 'normal']]);
  const empty = await callNext(k);
  assert.equal(empty.status, 200);
  assert.equal(empty.json.ticket, null);
  // A citizen cannot claim an appointment at the machine without staff.
  const r = await anon().post(ticketsPath(), { service: 'E', source: 'phone', priority: 'appointment', appointment_at: '2026-11-25T09:30:00Z' });
  assert.equal(r.status, 400);
});

test(`[${backend}] recall is an event, not a new call; start and done`, async () => {
  const k = await counter('Richiamo', ['J']);
  const board = await Ws.open(srv.url);
  board.send({ op: 'subscribe', topic: `site:${site}:board` });
  await board.next((m) => m.op === 'subscribed');
  const t = await machine('J');
  const call = await callNext(k);
  assert.equal(call.json.ticket.id, t.ticket.id);
  for (let i = 0; i < 2; i++) {
    const r = await op.post(`/api/v1/tickets/${t.ticket.id}/recall`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.recalls, i + 1);
    assert.equal(r.json.state, 'called');
  }
  const ev = await board.next((m) => m.op === 'event' && m.type === 'ticket.recalled');
  assert.deepEqual(ev.data, { code: t.ticket.code, counter: 'Richiamo', service: 'Richiesta e ritiro atti' });
  const view = await op.get(`/api/v1/tickets/${t.ticket.id}`);
  assert.equal(view.status, 200);
  const actions = view.json.history.map((h) => h.action);
  assert.equal(actions.filter((a) => a === 'called').length, 1, 'one call in the history');
  assert.equal(actions.filter((a) => a === 'recalled').length, 2);
  const listed = await op.get(`/api/v1/enti/esempio/sites/${site}/tickets?state=called`);
  assert.equal(listed.json.tickets.filter((x) => x.id === t.ticket.id).length, 1);
  assert.equal((await op.post(`/api/v1/tickets/${t.ticket.id}/start`)).json.state, 'serving');
  const recallLate = await op.post(`/api/v1/tickets/${t.ticket.id}/recall`);
  assert.equal(recallLate.status, 409, 'only a called ticket is recalled');
  assert.equal((await op.post(`/api/v1/tickets/${t.ticket.id}/done`)).json.state, 'done');
  await board.close();
});

test(`[${backend}] transfer keeps the number and the time: the ticket keeps its place`, async () => {
  const ka = await counter('Trasferimento A', ['A']);
  const ki = await counter('Trasferimento I', ['I']);
  const a = await machine('A');
  const i1 = await machine('I');
  assert.equal((await callNext(ka)).json.ticket.id, a.ticket.id);
  const moved = await op.post(`/api/v1/tickets/${a.ticket.id}/transfer`, { service: 'I' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.code, a.ticket.code);
  assert.equal(moved.json.number, a.ticket.number);
  assert.equal(moved.json.issued_at, a.ticket.issued_at);
  assert.equal(moved.json.service.prefix, 'I');
  assert.equal(moved.json.state, 'waiting');
  assert.equal(moved.json.counter, null);
  assert.ok(moved.json.transferred_from);
  const same = await op.post(`/api/v1/tickets/${a.ticket.id}/transfer`, { service: 'I' });
  assert.equal(same.status, 400);
  assert.equal(same.json.error.field, 'service');
  const bad = await op.post(`/api/v1/tickets/${a.ticket.id}/transfer`, { service: 'Q' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'service');
  const next = await callNext(ki);
  assert.equal(next.json.ticket.id, a.ticket.id, 'older than I001, so called first');
  assert.equal((await callNext(ki)).json.ticket.id, i1.ticket.id);
});

test(`[${backend}] phone and machine tickets share one sequence`, async () => {
  const codes = [(await machine('H')).ticket.code, (await phone('H')).ticket.code,
    (await machine('H')).ticket.code];
  assert.deepEqual(codes, ['H001', 'H002', 'H003']);
  const p = await phone('F');
  assert.equal(p.ticket.source, 'phone');
  const seen = await anon().get(`/api/v1/tickets/${p.ticket.id}`, holder(p.token));
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.code, p.ticket.code);
  assert.equal(seen.json.ahead, 0);
  assert.ok(Number.isInteger(seen.json.counters_open), 'while waiting: how many open counters serve it');
  assert.equal(seen.json.history, undefined, 'the holder does not see the staff history');
  assert.equal(seen.json.ticket_topic, `ticket:${p.ticket.id}`);
});

test(`[${backend}] a made-up ticket token is a 404, for the API and the ticket topic`, async () => {
  const p = await machine('C');
  const wrong = await anon().get(`/api/v1/tickets/${p.ticket.id}`, holder('x'.repeat(43)));
  assert.equal(wrong.status, 404);
  const unknown = await anon().get('/api/v1/tickets/nosuchticket', holder(p.token));
  assert.equal(unknown.status, 404);
  const noToken = await anon().get(`/api/v1/tickets/${p.ticket.id}`);
  assert.equal(noToken.status, 401);
  const cancel = await anon().post(`/api/v1/tickets/${p.ticket.id}/done`, {}, holder(p.token));
  assert.equal(cancel.status, 403, 'a holder cannot act as a counter');
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: `ticket:${p.ticket.id}`, token: 'made-up' });
  const refused = await ws.next((m) => m.op !== 'subscribed');
  assert.equal(refused.op, 'error', JSON.stringify(refused));
  ws.send({ op: 'subscribe', topic: `ticket:${p.ticket.id}`, token: p.token });
  await ws.next((m) => m.op === 'subscribed');
  await ws.close();
});

test(`[${backend}] the board carries codes and counter names only; the holder follows its ticket`, async () => {
  const k = await counter('Tabellone', ['K']);
  const p = await phone('K');
  const board = await Ws.open(srv.url);
  board.send({ op: 'subscribe', topic: `site:${site}:board` });
  await board.next((m) => m.op === 'subscribed');
  const mine = await Ws.open(srv.url);
  mine.send({ op: 'subscribe', topic: `ticket:${p.ticket.id}`, token: p.token });
  await mine.next((m) => m.op === 'subscribed');
  assert.equal((await callNext(k)).json.ticket.id, p.ticket.id);
  const called = await board.next((m) => m.op === 'event' && m.type === 'ticket.called' && m.data.code === p.ticket.code);
  assert.deepEqual(Object.keys(called.data).sort(), ['code', 'counter', 'service', 'service_id', 'waiting']);
  assert.equal(called.data.counter, 'Tabellone');
  // One event per call on the board: the new waiting count rides on it (no queue.updated).
  assert.equal(called.data.waiting, 0);
  await board.sync();
  assert.equal(board.queue.filter((m) => m.op === 'event' && m.type === 'queue.updated' && m.seq > called.seq).length, 0);
  await board.sync();
  for (const m of board.queue.filter((x) => x.op === 'event')) {
    const text = JSON.stringify(m.data);
    assert.ok(!/token|client|lang|source|phone|operator|display_name/.test(text), text);
  }
  const own = await mine.next((m) => m.op === 'event' && m.type === 'ticket.called');
  assert.equal(own.data.counter, 'Tabellone');
  const staffTopic = await Ws.open(srv.url);
  staffTopic.send({ op: 'subscribe', topic: `site:${site}:staff` });
  const denied = await staffTopic.next((m) => m.op !== 'subscribed' || true);
  assert.equal(denied.op, 'error', 'the staff topic needs a session');
  await Promise.all([board.close(), mine.close(), staffTopic.close()]);
});

test(`[${backend}] one active phone ticket per person and service, and a cap per hour`, async () => {
  const first = await phone('D');
  const again = await anon().post(ticketsPath(), { service: 'D', source: 'phone' });
  assert.equal(again.status, 429, again.text);
  assert.equal(again.json.error.code, 'limit');
  const q = await anon().get(`/api/v1/enti/esempio/sites/${site}/queue`);
  const before = q.json.services.find((s) => s.prefix === 'D').waiting;
  const gone = await anon().post(`/api/v1/tickets/${first.ticket.id}/cancel`, {}, holder(first.token));
  assert.equal(gone.status, 200, gone.text);
  assert.equal(gone.json.state, 'cancelled');
  const q2 = await anon().get(`/api/v1/enti/esempio/sites/${site}/queue`);
  assert.equal(q2.json.services.find((s) => s.prefix === 'D').waiting, before - 1);
  await phone('D');
  // So far 5 phone tickets from this address; the 7th within the hour is refused.
  let refused = null;
  for (const s of ['A', 'C', 'E', 'G', 'I', 'J']) {
    const r = await anon().post(ticketsPath(), { service: s, source: 'phone' });
    if (r.status === 429) { refused = r; break; }
    assert.equal(r.status, 201, r.text);
  }
  assert.ok(refused, 'the hourly cap refuses');
  assert.match(refused.json.error.message, /troppi/);
});

test(`[${backend}] a kiosk of the ente prints machine tickets with its device token`, async () => {
  const k = await admin.post('/api/v1/enti/esempio/kiosks', { name: 'Eliminacode ingresso', office: 'urp', site });
  assert.equal(k.status, 201, k.text);
  const device = { headers: { authorization: `Bearer ${k.json.token}` } };
  const r = await anon().post(ticketsPath(), { service: 'C', source: 'machine', priority: 'pregnancy' }, device);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.ticket.priority, 'pregnancy');
  const bad = await anon().post(ticketsPath(), { service: 'C', source: 'machine' },
    { headers: { authorization: 'Bearer nope' } });
  assert.equal(bad.status, 401);
  const collina = await loggedIn(srv.url, 'collinaAdmin');
  const other = await collina.post(ticketsPath(), { service: 'C', source: 'machine' });
  assert.equal(other.status, 403, 'staff of another ente cannot print here');
});

test(`[${backend}] statistics per service and counter: issued, served, no-shows, cancelled, times, per hour`, async () => {
  const k = await counter('Statistiche', ['K']);
  // Drain the K line first (other tests left tickets in it), then take a snapshot.
  for (let i = 0; i < 50; i++) {
    const r = await callNext(k);
    assert.equal(r.status, 200, r.text);
    if (!r.json.ticket) break;
  }
  const path = `/api/v1/enti/esempio/sites/${site}/queue-stats?from=2026-11-25&to=2026-11-25`;
  const before = await admin.get(path);
  assert.equal(before.status, 200, before.text);
  const kOf = (a) => a.json.services.find((s) => s.prefix === 'K');
  const cOf = (a) => a.json.counters.find((c) => c.name === 'Statistiche');
  const b = kOf(before);
  const bc = cOf(before) ?? { issued: 0, served: 0, no_shows: 0, waiting_s: { count: 0 }, service_s: { count: 0 } };

  const t1 = await machine('K');
  const t2 = await machine('K');
  const t3 = await machine('K');
  assert.equal((await callNext(k)).json.ticket.id, t1.ticket.id);
  assert.equal((await op.post(`/api/v1/tickets/${t1.ticket.id}/no-show`)).status, 200);
  assert.equal((await callNext(k)).json.ticket.id, t2.ticket.id);
  assert.equal((await op.post(`/api/v1/tickets/${t2.ticket.id}/start`)).status, 200);
  assert.equal((await op.post(`/api/v1/tickets/${t2.ticket.id}/done`)).status, 200);
  assert.equal((await anon().post(`/api/v1/tickets/${t3.ticket.id}/cancel`, {}, holder(t3.token))).status, 200);

  const after = await admin.get(path);
  assert.equal(after.status, 200, after.text);
  assert.equal(after.json.timezone, 'Europe/Rome');
  assert.equal(new Date(after.json.from).toISOString(), '2026-11-24T23:00:00.000Z', 'local midnight in Rome');
  assert.equal(new Date(after.json.to).toISOString(), '2026-11-25T23:00:00.000Z', 'to is inclusive: the next midnight');
  const a = kOf(after);
  assert.equal(a.issued - b.issued, 3);
  assert.equal(a.served - b.served, 1);
  assert.equal(a.no_shows - b.no_shows, 1);
  assert.equal(a.cancelled - b.cancelled, 1);
  assert.equal(a.waiting_s.count - b.waiting_s.count, 2, 'two were called');
  assert.equal(a.service_s.count - b.service_s.count, 1, 'one was served to the end');
  for (const d of [a.waiting_s, a.service_s]) {
    assert.ok(d.median >= 0 && d.p90 >= d.median && d.mean >= 0, JSON.stringify(d));
  }
  assert.equal(a.per_hour.length, 24);
  assert.equal(a.per_hour.reduce((x, y) => x + y, 0), a.issued);
  assert.ok(a.per_hour[10] >= 3, 'issued at 10:30 local time (09:30 UTC)');
  const c = cOf(after);
  assert.equal(c.issued - bc.issued, 2, 'the counter handled two of them');
  assert.equal(c.served - bc.served, 1);
  assert.equal(c.no_shows - bc.no_shows, 1);
  const tot = after.json.total;
  assert.equal(tot.issued, after.json.services.reduce((x, s) => x + s.issued, 0));

  // Another day: nothing. Default period: today until now.
  const empty = await admin.get(`/api/v1/enti/esempio/sites/${site}/queue-stats?from=2026-11-24&to=2026-11-24`);
  assert.equal(empty.status, 200, empty.text);
  assert.equal(empty.json.total.issued, 0);
  assert.deepEqual(empty.json.services, []);
  const today = await admin.get(`/api/v1/enti/esempio/sites/${site}/queue-stats`);
  assert.equal(today.json.total.issued, tot.issued);

  // Rights and bad input.
  const sup = await loggedIn(srv.url, 'supervisor');
  assert.equal((await sup.get(path)).status, 200);
  assert.equal((await op.get(path)).status, 200, 'an operator of an office at the site');
  assert.equal((await anon().get(path)).status, 401);
  const collina = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await collina.get(path)).status, 403);
  const bad = await admin.get(`/api/v1/enti/esempio/sites/${site}/queue-stats?from=ieri`);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'from');
  const backwards = await admin.get(`/api/v1/enti/esempio/sites/${site}/queue-stats?from=2026-11-25&to=2026-11-20`);
  assert.equal(backwards.status, 400);
  assert.equal(backwards.json.error.field, 'to');
  assert.equal((await admin.get('/api/v1/enti/esempio/sites/nessuna/queue-stats')).status, 404);
});

test(`[${backend}] counters: an admin renames, changes services, deactivates and reactivates`, async () => {
  const k = await counter('Da modificare', ['C']);
  const path = `/api/v1/counters/${k.id}`;
  const r = await admin.patch(path, { name: 'Sportello 9', services: ['H', 'C', 'H'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Sportello 9');
  assert.equal(r.json.services.length, 2);
  assert.equal(r.json.active, true);
  assert.equal((await op.patch(path, { name: 'No' })).status, 403, 'admins only');
  const unknown = await admin.patch(path, { nome: 'x' });
  assert.equal(unknown.status, 400);
  const empty = await admin.patch(path, { services: [] });
  assert.equal(empty.status, 400);
  assert.equal(empty.json.error.field, 'services');
  const dup = await admin.patch(path, { name: 'Sportello 1' });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'name');

  // Busy: a counter with a ticket in hand cannot be deactivated.
  await machine('H');
  const called = await callNext(k);
  assert.ok(called.json.ticket);
  const busy = await admin.patch(path, { active: false });
  assert.equal(busy.status, 409, busy.text);
  assert.equal((await op.post(`/api/v1/tickets/${called.json.ticket.id}/done`)).status, 200);
  const off = await admin.patch(path, { active: false });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.active, false);
  assert.equal(off.json.state, 'closed');
  const refused = await callNext(k);
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error.code, 'inactive');
  const q = await anon().get(`/api/v1/enti/esempio/sites/${site}/queue`);
  assert.ok(!q.json.counters.some((c) => c.name === 'Sportello 9'), 'not on the board');
  const on = await admin.patch(path, { active: true });
  assert.equal(on.json.active, true);
  assert.equal((await callNext(k)).status, 200);
  const other = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await other.patch(path, { name: 'Mio' })).status, 404, 'another ente');
});

test(`[${backend}] a machine ticket carries a QR code of its phone page; the token only in the fragment`, async () => {
  const t = await machine('C');
  const m = /^http:\/\/[^/]+\/esempio\/ticket\/([^/#]+)#id=([^&]+)&t=(.+)$/.exec(t.follow_url);
  assert.ok(m, t.follow_url);
  assert.equal(m[1], site);
  assert.equal(m[2], t.ticket.id);
  assert.equal(m[3], t.token);
  assert.match(t.qr_svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
  assert.ok(!t.qr_svg.includes(t.token));
  const page = await anon().get(`/esempio/ticket/${site}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<html/i);
});

test(`[${backend}] retention: old phone tickets forget the client address (the per-person limit frees)`, async () => {
  const s1 = await startServer({ now: '2026-11-25T09:30:00Z' });
  const db = s1.database;
  try {
    const c = new Client(s1.url);
    const sites = await (await loggedIn(s1.url, 'admin')).get('/api/v1/enti/esempio/sites');
    const siteR = sites.json.sites.find((x) => x.kind === 'town_hall').id;
    const p = `/api/v1/enti/esempio/sites/${siteR}/tickets`;
    const first = await c.post(p, { service: 'A', source: 'phone' });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.qr_svg, undefined, 'phone tickets need no QR code');
    assert.equal((await c.post(p, { service: 'A', source: 'phone' })).status, 429);
    await s1.stop({ keepDb: true });
    // 35 days later (retention 30 days): the purge at start forgets the old ticket's client.
    const s2 = await startServer({ db, demo: false, now: '2026-12-30T09:30:00Z' });
    try {
      // The purge runs in the background at start: ask until it has run (deadline 10 s).
      let again;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        again = await new Client(s2.url).post(p, { service: 'A', source: 'phone' });
        if (again.status !== 429) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(again.status, 201, again.text);
      const twice = await new Client(s2.url).post(p, { service: 'A', source: 'phone' });
      assert.equal(twice.status, 429, 'the new ticket keeps its client key');
    } finally {
      await s2.stop({ keepDb: true });
    }
  } finally {
    await db.drop();
  }
});

if (backend === 'postgres') {
  test('[postgres] two nodes: parallel issues stay consecutive, parallel calls never collide', async () => {
    const a = await startServer({ db: srv.database, demo: false, now: '2026-11-25T09:30:00Z' });
    try {
      const opB = await loggedIn(a.url, 'operator');
      const rs = await Promise.all(Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? op : opB).post(ticketsPath(), { service: 'J', source: 'machine' })));
      for (const r of rs) assert.equal(r.status, 201, r.text);
      const numbers = rs.map((r) => r.json.ticket.number).sort((x, y) => x - y);
      const first = numbers[0];
      assert.deepEqual(numbers, Array.from({ length: 100 }, (_, i) => first + i));
      const k1 = await counter('Nodo 1', ['J']);
      const k2 = await counter('Nodo 2', ['J']);
      const seen = new Set();
      for (let round = 0; round < 20; round++) {
        const [x, y] = await Promise.all([callNext(k1), opB.post(`/api/v1/counters/${k2.id}/call-next`)]);
        assert.equal(x.status, 200, x.text);
        assert.equal(y.status, 200, y.text);
        for (const t of [x.json.ticket, y.json.ticket]) {
          assert.ok(t, `round ${round}`);
          assert.ok(!seen.has(t.id), 'a ticket is called once');
          seen.add(t.id);
        }
      }
    } finally {
      await a.stop({ keepDb: true });
    }
  });
}
