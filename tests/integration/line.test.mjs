// The one line (docs/LINE.md) through the real binary: a desk opened at a counter with camera
// and headset serves a paper ticket, a web knock, an appointment that checked in, a priority
// ticket and a callback that fell due, in the one policy's order; a remote desk never gets a
// paper ticket; two desks calling at once never take the same entry; logging out closes the
// desk and frees the counter; bad input changes nothing. On PostgreSQL also with each desk on
// its own node of one database.
// Wednesday 25 November 2026 in Rome, still clock (--clock-control) moved by the tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, onDutyAt, loggedIn, cookieOf, Client, Ws, backend } from './lib.mjs';

const base = '/api/v1/enti/esempio';

// Moves the still clock forward to `iso` (and runs the sweeps at the new time).
async function advanceTo(url, iso) {
  const clock = (seconds) => new Client(url).post('/api/v1/test/clock', { advance_seconds: seconds });
  const now = (await clock(0)).json.now;
  const r = await clock(Math.round((Date.parse(iso) - Date.parse(now)) / 1000));
  assert.equal(r.status, 200, r.text);
  assert.equal(Date.parse(r.json.now), Date.parse(iso));
}

async function townHall(admin) {
  const sites = await admin.get(`${base}/sites`);
  const list = Array.isArray(sites.json) ? sites.json : sites.json.sites;
  return list.find((s) => s.kind === 'town_hall').id;
}

async function counterNamed(op, site, name) {
  const ks = await op.get(`${base}/counters?site=${site}`);
  assert.equal(ks.status, 200, ks.text);
  return ks.json.counters.find((k) => k.name === name);
}

async function ticket(op, site, service, extra = {}) {
  const r = await op.post(`${base}/sites/${site}/tickets`, { service, source: 'machine', ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json.ticket;
}

async function knock(url, name) {
  const r = await new Client(url).post(`${base}/offices/urp/visits`, { mode: 'video', name });
  assert.equal(r.status, 201, r.text);
  // The citizen's page stays open: a knock is in line only while its page is connected.
  const ws = await Ws.open(url);
  ws.send({ op: 'subscribe', topic: `visit:${r.json.visit.id}`, token: r.json.token });
  await ws.next((m) => m.op === 'subscribed');
  return { ...r.json, ws };
}

// An operator's console: on duty only while it is connected.
async function console_(url, op, officeId) {
  const ws = await Ws.open(url, { cookie: cookieOf(op) });
  ws.send({ op: 'subscribe', topic: `office:${officeId}:staff` });
  await ws.next((m) => m.op === 'subscribed');
  return ws;
}

async function urpId(url) {
  return (await new Client(url).get(`${base}/offices/urp/reception`)).json.office.id;
}

const takenId = (r) => r.json.ticket?.id ?? r.json.visit?.id ?? r.json.callback?.id ?? null;

test(`[${backend}] one desk, every channel: due callback and appointment, then priority, then the oldest arrival across tickets and knocks`, async () => {
  const srv = await startServer({ now: '2026-11-25T07:00:00Z', extraArgs: ['--clock-control', 'true'] });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const op = await onDutyAt(srv.url, 'operator');
    const urp = await urpId(srv.url);
    sockets.push(await console_(srv.url, op, urp));
    const site = await townHall(admin);
    const desk3 = await counterNamed(op, site, 'Sportello 3');  // C E G H J: the URP's services

    // Booked yesterday evening (here: at 08:00) for 10:20 at the URP, in person.
    const offices = (await new Client(srv.url).get(`${base}/booking/offices`)).json.offices;
    const serviceJ = offices.find((o) => o.slug === 'urp').plans[0].service.id;
    const bk = await new Client(srv.url).post(`${base}/bookings`, {
      office: 'urp', service: serviceJ, date: '2026-11-25', start: '10:20', mode: 'in_person',
      first_name: 'Bruna', last_name: 'Verdi', email: 'bruna@example.org', privacy_accepted: true,
    });
    assert.equal(bk.status, 201, bk.text);
    // A phone call the URP promised to return at 10:05.
    const kase = await op.post(`${base}/cases`, {
      office: 'urp', subject: 'Bonus idrico', channel: 'phone', citizen: { name: 'Carla Neri', phone: '+39 333 1234567' },
    });
    assert.equal(kase.status, 201, kase.text);
    const cb = await op.post(`/api/v1/cases/${kase.json.case.id}/callbacks`, { due_at: '2026-11-25T09:05:00Z', note: 'Richiamare' });
    assert.equal(cb.status, 201, cb.text);
    const callbackId = (await op.get(`${base}/case-callbacks`)).json.callbacks
      .find((b) => b.case.id === kase.json.case.id && b.due_at === '2026-11-25T09:05:00Z').id;

    await advanceTo(srv.url, '2026-11-25T09:00:00Z');
    const paper = await ticket(op, site, 'C');
    await advanceTo(srv.url, '2026-11-25T09:01:00Z');
    const mario = await knock(srv.url, 'Mario');
    sockets.push(mario.ws);
    // His waiting room counts the paper ticket issued a minute before him: one line.
    const room = () => new Client(srv.url).get(`/api/v1/visits/${mario.visit.id}`, { headers: { 'x-visit-token': mario.token } });
    assert.equal((await room()).json.position, 2);
    const queueWs = await Ws.open(srv.url);
    sockets.push(queueWs);
    queueWs.send({ op: 'subscribe', topic: mario.visit.queue_topic });
    await queueWs.next((m) => m.op === 'subscribed');
    await advanceTo(srv.url, '2026-11-25T09:03:00Z');
    const expecting = await ticket(op, site, 'E', { priority: 'pregnancy' });
    // A priority ticket goes before him, whenever it came: his waiting room moves back.
    const back = await queueWs.next((m) => m.op === 'event' && m.type === 'queue.joined');
    assert.ok(back.data.ticket && back.data.k < mario.visit.knock_no, JSON.stringify(back));
    assert.equal((await room()).json.position, 3);
    await advanceTo(srv.url, '2026-11-25T09:16:00Z');
    const arrived = await op.post(`${base}/bookings/${bk.json.booking.code}/arrived`);
    assert.equal(arrived.status, 200, arrived.text);
    // So does an appointment that is due (10:20, checked in at 10:16).
    await queueWs.next((m) => m.op === 'event' && m.type === 'queue.joined' && m.data.ticket);
    assert.equal((await room()).json.position, 4);

    // Nothing can be called before a desk is open.
    const early = await op.post('/api/v1/desks/mine/next');
    assert.equal(early.status, 409, early.text);
    assert.equal(early.json.error.code, 'no_desk');

    const open = await op.post('/api/v1/desks', { counter_id: desk3.id, remote: true });
    assert.equal(open.status, 201, open.text);
    assert.equal(open.json.kind, 'counter');
    assert.equal(open.json.remote, true);
    assert.deepEqual(open.json.offices, [urp], 'the offices of the counter\'s services');
    assert.equal((await op.get('/api/v1/desks/mine')).json.desk.id, open.json.id);

    const line = await op.get('/api/v1/desks/mine/line');
    assert.equal(line.status, 200, line.text);
    const expected = [
      [callbackId, 'callback', 'appointment'],
      [arrived.json.ticket.id, 'ticket', 'appointment'],
      [expecting.id, 'ticket', 'priority'],
      [paper.id, 'ticket', 'normal'],
      [mario.visit.id, 'visit', 'normal'],
    ];
    assert.deepEqual(line.json.entries.map((e) => [e.id, e.channel, e.class]), expected);
    // What the desk shows: a ticket code, a visitor's name, a case code — no more.
    assert.equal(line.json.entries[3].code, paper.code);
    assert.equal(line.json.entries[4].name, 'Mario');
    assert.equal(line.json.entries[0].case.code, kase.json.case.code);

    // "Chiama il prossimo", five times: the same order, each from its own source.
    for (const [id, channel, kind] of expected) {
      const r = await op.post('/api/v1/desks/mine/next');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([takenId(r), r.json.channel, r.json.kind], [id, channel, kind]);
    }
    // Each of the three tickets served before him moved his waiting room up once.
    const left = queueWs.queue.filter((m) => m.op === 'event' && m.type === 'queue.left');
    const moved = left.filter((m) => m.data.k < mario.visit.knock_no);
    assert.equal(moved.length, 3, JSON.stringify(left));
    for (const m of moved) assert.deepEqual(m.data, { k: m.data.k, ticket: true, why: 'called' });
    assert.deepEqual(left.at(-1).data, { k: mario.visit.knock_no, why: 'admitted' });
    // Each source shows it taken: the ticket called at Sportello 3 (then done), the knock
    // admitted by this operator, the callback taken.
    const t = await op.get(`/api/v1/tickets/${paper.id}`);
    assert.equal(t.json.state, 'done', 'calling the next one finished the ticket before');
    const v = await op.get(`/api/v1/visits/${mario.visit.id}`);
    assert.equal(v.json.state, 'admitted');
    const cbs = (await op.get(`${base}/case-callbacks`)).json.callbacks;
    assert.ok(cbs.find((b) => b.id === callbackId).taken_at, 'the callback is marked taken');
    // The line is empty now; another call finds nothing and says so.
    const none = await op.post('/api/v1/desks/mine/next');
    assert.equal(none.status, 200, none.text);
    assert.equal(none.json.channel, null);
    assert.equal((await op.get('/api/v1/desks/mine/line')).json.entries.length, 0);
  } finally {
    for (const s of sockets) await s.close();
    await srv.stop();
  }
});

test(`[${backend}] channel fit: a remote desk never gets a paper ticket, a counter without camera never a knock`, async () => {
  const srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--clock-control', 'true'] });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const op = await onDutyAt(srv.url, 'operator');
    const sup = await onDutyAt(srv.url, 'supervisor');
    const urp = await urpId(srv.url);
    sockets.push(await console_(srv.url, op, urp), await console_(srv.url, sup, urp));
    const site = await townHall(admin);
    const paper = await ticket(op, site, 'C');
    await advanceTo(srv.url, '2026-11-25T09:31:00Z');
    const anna = await knock(srv.url, 'Anna');
    sockets.push(anna.ws);
    // A number taken after Anna knocked has her ahead too (the phone ticket page's "ahead").
    await advanceTo(srv.url, '2026-11-25T09:32:00Z');
    const later = await ticket(op, site, 'C');
    assert.equal((await op.get(`/api/v1/tickets/${later.id}`)).json.ahead, 2, 'the paper ticket and Anna');
    assert.equal((await op.get(`/api/v1/tickets/${paper.id}`)).json.ahead, 0);

    // From home: remote channels only.
    const home = await op.post('/api/v1/desks', { offices: ['urp'] });
    assert.equal(home.status, 201, home.text);
    assert.deepEqual([home.json.kind, home.json.remote, home.json.counter], ['remote', true, null]);
    const hl = (await op.get('/api/v1/desks/mine/line')).json.entries;
    assert.deepEqual(hl.map((e) => e.channel), ['visit']);
    // A counter without camera and headset: the hall only.
    const desk3 = await counterNamed(op, site, 'Sportello 3');
    const hall = await sup.post('/api/v1/desks', { counter_id: desk3.id });
    assert.equal(hall.status, 201, hall.text);
    assert.equal(hall.json.remote, false);
    const cl = (await sup.get('/api/v1/desks/mine/line')).json.entries;
    assert.deepEqual(cl.map((e) => e.id), [paper.id, later.id]);

    const a = await op.post('/api/v1/desks/mine/next');
    assert.deepEqual([a.json.channel, takenId(a)], ['visit', anna.visit.id]);
    assert.equal((await op.post('/api/v1/desks/mine/next')).json.channel, null, 'the paper ticket is not for home');
    assert.equal((await op.post('/api/v1/desks/mine/take', { id: paper.id })).status, 404, 'not even picked');
    const b = await sup.post('/api/v1/desks/mine/next');
    assert.deepEqual([b.json.channel, takenId(b)], ['ticket', paper.id]);
    assert.equal(b.json.ticket.counter.name, 'Sportello 3');

    // Supervisors see every open desk; operators do not.
    const all = await sup.get('/api/v1/desks');
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.json.desks.map((d) => d.kind).sort(), ['counter', 'remote']);
    assert.equal((await op.get('/api/v1/desks')).status, 403);
  } finally {
    for (const s of sockets) await s.close();
    await srv.stop();
  }
});

// Two desks (on one node, or each on its own node of one PostgreSQL database) call ten times
// each at once over 8 paper tickets and 4 knocks: everyone is called once, nobody twice.
async function raceTwoDesks(urlA, urlB) {
  const sockets = [];
  try {
    const admin = await loggedIn(urlA, 'admin');
    const op = await onDutyAt(urlA, 'operator');
    const sup = await onDutyAt(urlB, 'supervisor');
    const urp = await urpId(urlA);
    sockets.push(await console_(urlA, op, urp), await console_(urlB, sup, urp));
    const site = await townHall(admin);
    const k = await admin.post(`${base}/counters`, { name: 'Sportello 6', site, services: ['C'] });
    assert.equal(k.status, 201, k.text);
    const desk3 = await counterNamed(op, site, 'Sportello 3');
    const issued = [];
    for (let i = 0; i < 8; i++) issued.push((await ticket(op, site, 'C')).id);
    const knocks = [];
    for (let i = 0; i < 4; i++) knocks.push(await knock(i % 2 ? urlB : urlA, `Persona ${i}`));
    sockets.push(...knocks.map((x) => x.ws));
    assert.equal((await op.post('/api/v1/desks', { counter_id: desk3.id, remote: true })).status, 201);
    assert.equal((await sup.post('/api/v1/desks', { counter_id: k.json.id, remote: true, offices: ['urp'] })).status, 201);

    const calls = [];
    for (let i = 0; i < 10; i++) {
      calls.push(op.post('/api/v1/desks/mine/next'), sup.post('/api/v1/desks/mine/next'));
    }
    const got = (await Promise.all(calls)).map((r) => { assert.equal(r.status, 200, r.text); return takenId(r); });
    const taken = got.filter(Boolean);
    assert.equal(taken.length, 12, 'everyone was called once');
    assert.equal(new Set(taken).size, 12, 'nobody was given to two desks');
    assert.deepEqual([...taken].sort(), [...issued, ...knocks.map((x) => x.visit.id)].sort());
  } finally {
    for (const s of sockets) await s.close();
  }
}

test(`[${backend}] two desks calling at once never take the same entry`, async () => {
  const srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--clock-control', 'true'] });
  try {
    await raceTwoDesks(srv.url, srv.url);
  } finally {
    await srv.stop();
  }
});

if (backend === 'postgres') {
  test('[postgres] two desks on two nodes of one database never take the same entry', async () => {
    const db = await freshDatabase();
    const a = await startServer({ db, now: '2026-11-25T09:30:00Z' });
    const b = await startServer({ db, demo: false, now: '2026-11-25T09:30:00Z' });
    try {
      await raceTwoDesks(a.url, b.url);
    } finally {
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}

test(`[${backend}] a held counter is refused to a colleague; logging out closes the desk and frees it`, async () => {
  const srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--clock-control', 'true'] });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const op = await onDutyAt(srv.url, 'operator');
    const sup = await onDutyAt(srv.url, 'supervisor');
    const site = await townHall(admin);
    const desk1 = await counterNamed(op, site, 'Sportello 1');
    const mine = await op.post('/api/v1/desks', { counter_id: desk1.id });
    assert.equal(mine.status, 201, mine.text);
    const busy = await sup.post('/api/v1/desks', { counter_id: desk1.id });
    assert.equal(busy.status, 409, busy.text);
    assert.equal(busy.json.error.code, 'busy');
    assert.equal((await sup.get('/api/v1/desks/mine')).json.desk, null, 'a refusal opens nothing');
    // The board sees the counter open once it has called.
    // The operator may still pick a particular person: the second ticket, then the first.
    const a1 = await ticket(op, site, 'A');
    const a2 = await ticket(op, site, 'A');
    const pick = await op.post('/api/v1/desks/mine/take', { id: a2.id });
    assert.equal(pick.status, 200, pick.text);
    assert.equal(pick.json.ticket.id, a2.id);
    const again = await op.post('/api/v1/desks/mine/take', { id: a2.id });
    assert.equal(again.status, 404, again.text);
    assert.equal(again.json.error.code, 'gone');
    assert.equal((await op.post('/api/v1/desks/mine/take', {})).json.error.field, 'id');
    assert.equal((await op.post('/api/v1/desks/mine/next')).json.ticket.id, a1.id);
    const board = async () => (await new Client(srv.url).get(`${base}/sites/${site}/queue`)).json.counters
      .find((c) => c.name === 'Sportello 1').state;
    assert.equal(await board(), 'open');

    assert.equal((await op.del('/api/v1/session')).status, 204);
    assert.equal((await sup.get('/api/v1/desks')).json.desks.length, 0, 'logging out closed the desk');
    assert.equal(await board(), 'closed', 'and its counter on the board');
    const taken = await sup.post('/api/v1/desks', { counter_id: desk1.id });
    assert.equal(taken.status, 201, taken.text);
    // Opening a second desk closes one's own first one: one desk per operator.
    const home = await sup.post('/api/v1/desks', { offices: ['urp'] });
    assert.equal(home.status, 201, home.text);
    const desks = (await sup.get('/api/v1/desks')).json.desks;
    assert.deepEqual(desks.map((d) => d.id), [home.json.id]);
    sockets.push(await console_(srv.url, sup, await urpId(srv.url)));
  } finally {
    for (const s of sockets) await s.close();
    await srv.stop();
  }
});

test(`[${backend}] bad input gets a clear error and opens nothing`, async () => {
  const srv = await startServer({ now: '2026-11-25T09:30:00Z' });
  try {
    const op = await loggedIn(srv.url, 'operator');
    const admin = await loggedIn(srv.url, 'collinaAdmin');
    const site = await townHall(await loggedIn(srv.url, 'admin'));
    const desk1 = await counterNamed(op, site, 'Sportello 1');
    for (const [body, status, field] of [
      [{ counter_id: 'nope' }, 404, 'counter_id'],
      [{ offices: ['nope'] }, 400, 'offices'],
      [{ offices: ['tributi'] }, 403, 'offices'],
      [{ remote: 'sì' }, 400, 'remote'],
      [{ offices: 'urp' }, 400, 'offices'],
      [{ counter_id: '' }, 400, 'counter_id'],
    ]) {
      const r = await op.post('/api/v1/desks', body);
      assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
      assert.equal(r.json.error.field, field, r.text);
    }
    // Another ente's counter is not found.
    const other = await admin.post('/api/v1/desks', { counter_id: desk1.id });
    assert.equal(other.status, 404, other.text);
    assert.equal((await op.get('/api/v1/desks/mine')).json.desk, null);
    assert.equal((await op.del('/api/v1/desks/mine')).status, 404);
    assert.equal((await new Client(srv.url).post('/api/v1/desks', {})).status, 401);
    assert.equal((await new Client(srv.url).get('/api/v1/desks/mine/line')).status, 401);
  } finally {
    await srv.stop();
  }
});

test(`[${backend}] an inbound phone call logged as waiting is one more arrival in the line, between the knocks before and after it`, async () => {
  const srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--clock-control', 'true'] });
  const sockets = [];
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const sup = await onDutyAt(srv.url, 'supervisor');
    const urp = await urpId(srv.url);
    sockets.push(await console_(srv.url, op, urp));
    const anna = await knock(srv.url, 'Anna');
    sockets.push(anna.ws);
    await advanceTo(srv.url, '2026-11-25T09:31:00Z');

    // Bad input changes nothing: no phone to call back, or a call already resolved.
    const count = async () => (await sup.get(`${base}/cases`)).json.cases.length;
    const before = await count();
    const noPhone = await sup.post(`${base}/cases`, {
      office: 'urp', subject: 'Tari', channel: 'phone', wait_in_line: true, citizen: { name: 'Carla' },
    });
    assert.deepEqual([noPhone.status, noPhone.json.error.field], [400, 'citizen.phone'], noPhone.text);
    const resolved = await sup.post(`${base}/cases`, {
      office: 'urp', subject: 'Tari', channel: 'phone', wait_in_line: true, resolved_now: true,
      citizen: { name: 'Carla', phone: '+39 333 7654321' },
    });
    assert.deepEqual([resolved.status, resolved.json.error.field], [400, 'wait_in_line'], resolved.text);
    assert.equal(await count(), before);

    // The switchboard logs Carla's call at 09:31: she waits to be called back as soon as a desk is free.
    const call = await sup.post(`${base}/cases`, {
      office: 'urp', subject: 'Tari: rata scaduta', channel: 'phone', wait_in_line: true,
      citizen: { name: 'Carla', phone: '+39 333 7654321' },
    });
    assert.equal(call.status, 201, call.text);
    await advanceTo(srv.url, '2026-11-25T09:32:00Z');
    const bruno = await knock(srv.url, 'Bruno');
    sockets.push(bruno.ws);

    // A remote desk sees one line in arrival order: Anna, Carla's call, Bruno.
    assert.equal((await op.post('/api/v1/desks', { offices: ['urp'] })).status, 201);
    const line = await op.get('/api/v1/desks/mine/line');
    assert.equal(line.status, 200, line.text);
    assert.deepEqual(line.json.entries.map((e) => [e.channel, e.class, e.arrived_at]), [
      ['visit', 'normal', '2026-11-25T09:30:00Z'],
      ['callback', 'normal', '2026-11-25T09:31:00Z'],
      ['visit', 'normal', '2026-11-25T09:32:00Z'],
    ]);
    assert.equal(line.json.entries[1].waiting_call, true);
    assert.equal(line.json.entries[1].case.code, call.json.case.code);

    const first = await op.post('/api/v1/desks/mine/next', {});
    assert.equal(takenId(first), anna.visit.id, first.text);
    assert.equal((await op.post(`/api/v1/visits/${anna.visit.id}/end`, { outcome: 'resolved' })).status, 200);
    const second = await op.post('/api/v1/desks/mine/next', {});
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.channel, 'callback');
    assert.deepEqual([second.json.callback.waiting_call, second.json.callback.phone, second.json.callback.case.code],
      [true, '+39 333 7654321', call.json.case.code]);
    // Another desk never gets it twice; Bruno is next.
    assert.equal((await sup.post('/api/v1/desks', { offices: ['urp'] })).status, 201);
    const third = await sup.post('/api/v1/desks/mine/next', {});
    assert.equal(takenId(third), bruno.visit.id, third.text);
  } finally {
    for (const s of sockets) await s.close();
    await srv.stop();
  }
});
