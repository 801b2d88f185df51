// The operator workspace's server side (issue 13) through the real binary: the cap on
// concurrent conversations per operator (per office, else per ente; admit, admit-next, a
// desk's call-next), automatic assignment round robin to the office's available operators,
// "da richiamare" opening the case and its callback, a supervisor seeing who serves whom and
// reassigning or taking over a conversation. On PostgreSQL also with two nodes of one database
// admitting and assigning at once: never one visit to two operators, never over the cap.
// Wednesday 25 November 2026, 15:30 in Rome (URP chat is open), still clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, onDutyAt, loggedIn, cookieOf, Client, Ws, backend } from './lib.mjs';

const base = '/api/v1/enti/esempio';
const NOW = '2026-11-25T14:30:00Z';

async function urpId(url) {
  return (await new Client(url).get(`${base}/offices/urp/reception`)).json.office.id;
}

// A citizen knocks by chat and keeps the page open (a knock is in line only while connected).
async function knock(url, name, mode = 'chat') {
  const r = await new Client(url).post(`${base}/offices/urp/visits`, { mode, name, topic: `Domanda di ${name}` });
  assert.equal(r.status, 201, r.text);
  const ws = await Ws.open(url);
  ws.send({ op: 'subscribe', topic: `visit:${r.json.visit.id}`, token: r.json.token });
  await ws.next((m) => m.op === 'subscribed');
  return { id: r.json.visit.id, token: r.json.token, state: r.json.visit.state, operator: r.json.visit.operator, ws };
}

// An operator's console subscribed to the URP's staff topic (on duty while connected).
async function console_(url, op, officeId) {
  const ws = await Ws.open(url, { cookie: cookieOf(op) });
  ws.send({ op: 'subscribe', topic: `office:${officeId}:staff` });
  await ws.next((m) => m.op === 'subscribed');
  return ws;
}

// A second operator of the URP (and only of it), signed in and available.
async function colleague(url, admin, urp, username, name) {
  const r = await admin.post(`${base}/operators`, {
    username, display_name: name, role: 'operator', password: 'collega-demo-2026', office_ids: [urp],
  });
  assert.equal(r.status, 201, r.text);
  const c = new Client(url);
  assert.equal((await c.login('esempio', username, 'collega-demo-2026')).status, 200);
  assert.equal((await c.put('/api/v1/session/presence', { presence: 'available' })).status, 200);
  return { client: c, id: r.json.id };
}

const visitOf = async (op, id) => (await op.get(`/api/v1/visits/${id}`)).json;

test(`[${backend}] the cap on concurrent conversations: per office else per ente, on admit, admit-next and a desk's call`, async () => {
  const srv = await startServer({ now: NOW });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const sup = await loggedIn(srv.url, 'supervisor');
    const op = await onDutyAt(srv.url, 'operator');
    const urp = await urpId(srv.url);
    sockets.push(await console_(srv.url, op, urp));

    // Nothing set: no cap, not automatic.
    const none = await op.get(`${base}/offices/urp/contact-settings`);
    assert.equal(none.status, 200, none.text);
    assert.deepEqual(none.json.effective, { max_chats: null, auto_assign: false, target_wait_minutes: null });

    // Bad input changes nothing; an operator may read but not change; the ente's rules are an admin's.
    for (const body of [{ max_chats: 0, auto_assign: null }, { max_chats: 51, auto_assign: null }, { max_chats: '2', auto_assign: null },
      { max_chats: 2 }, { max_chats: 2, auto_assign: 'yes' }, { max_chats: 2, auto_assign: false, extra: 1 }]) {
      const r = await sup.put(`${base}/offices/urp/contact-settings`, body);
      assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
    }
    assert.equal((await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 0, auto_assign: null })).json.error.field, 'max_chats');
    assert.equal((await op.put(`${base}/offices/urp/contact-settings`, { max_chats: 1, auto_assign: null })).status, 403);
    assert.equal((await sup.put(`${base}/contact-settings`, { max_chats: 1, auto_assign: null })).status, 403);
    assert.equal((await op.get(`${base}/offices/urp/contact-settings`)).json.effective.max_chats, null, 'nothing changed');

    // The ente says 1; the office says nothing (null): 1 applies.
    const ente = await admin.put(`${base}/contact-settings`, { max_chats: 1, auto_assign: null });
    assert.equal(ente.status, 200, ente.text);
    assert.equal(ente.json.max_chats, 1);
    assert.equal((await op.get(`${base}/offices/urp/contact-settings`)).json.effective.max_chats, 1);
    // The office says 2: the office wins.
    const office = await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 2, auto_assign: null });
    assert.equal(office.status, 200, office.text);
    assert.deepEqual(office.json.effective, { max_chats: 2, auto_assign: false, target_wait_minutes: null });
    assert.equal(office.json.max_chats, 2);
    assert.equal(office.json.office.slug, 'urp');

    const v = [];
    for (const n of ['Anna', 'Bruno', 'Carla', 'Dario']) {
      const k = await knock(srv.url, n);
      sockets.push(k.ws);
      v.push(k);
    }
    assert.equal((await op.post(`/api/v1/visits/${v[0].id}/admit`)).status, 200);
    assert.equal((await op.post(`${base}/offices/urp/admit-next`)).status, 200, 'the second conversation');
    const third = await op.post(`/api/v1/visits/${v[2].id}/admit`);
    assert.equal(third.status, 409, third.text);
    assert.equal(third.json.error.code, 'cap');
    const next = await op.post(`${base}/offices/urp/admit-next`);
    assert.equal(next.status, 409, next.text);
    assert.equal(next.json.error.code, 'cap');
    assert.equal((await visitOf(op, v[2].id)).state, 'waiting', 'a refusal changes nothing');
    // A remote desk on the one line: call-next says the same, and takes no visit.
    assert.equal((await op.post('/api/v1/desks', { offices: ['urp'] })).status, 201);
    const call = await op.post('/api/v1/desks/mine/next');
    assert.equal(call.status, 409, call.text);
    assert.equal(call.json.error.code, 'cap');
    // One conversation ends: the desk takes the next one.
    assert.equal((await op.post(`/api/v1/visits/${v[0].id}/end`, { outcome: 'resolved' })).status, 200);
    const again = await op.post('/api/v1/desks/mine/next');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.visit.id, v[2].id);
    // Unset: no cap any more.
    await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: null, auto_assign: null });
    await admin.put(`${base}/contact-settings`, { max_chats: null, auto_assign: null });
    assert.equal((await op.post(`/api/v1/visits/${v[3].id}/admit`)).status, 200, 'three at once without a cap');
  } finally {
    sockets.forEach((s) => s.close());
    await srv.stop();
  }
});

test(`[${backend}] automatic assignment: round robin among the available operators, under their cap`, async () => {
  const srv = await startServer({ now: NOW });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const sup = await loggedIn(srv.url, 'supervisor');
    const op = await onDutyAt(srv.url, 'operator');
    const urp = await urpId(srv.url);
    const col = await colleague(srv.url, admin, urp, 'collega', 'Carlo Verdi');
    const me = (await op.get('/api/v1/session')).json.operator.id;
    sockets.push(await console_(srv.url, op, urp), await console_(srv.url, col.client, urp));
    const watch = await console_(srv.url, sup, urp);
    sockets.push(watch);

    assert.equal((await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 2, auto_assign: true })).status, 200);
    const got = [];
    for (const n of ['Anna', 'Bruno', 'Carla', 'Dario', 'Elena']) {
      const k = await knock(srv.url, n);
      sockets.push(k.ws);
      got.push(k);
    }
    // Round robin: the two operators alternate, two each (the cap); the fifth waits.
    const owners = got.slice(0, 4).map((k) => k.operator?.id);
    assert.equal(owners[0] !== owners[1], true, JSON.stringify(owners));
    assert.deepEqual(owners.slice(2), owners.slice(0, 2), 'then again in the same order');
    assert.deepEqual(new Set(owners), new Set([me, col.id]));
    assert.equal(got[4].state, 'waiting');
    // The citizen's knock already answers "admitted" (given in the knock's transaction), and the
    // office's staff are told at once (their knock alerts go away).
    const first = got[0];
    assert.equal(first.state, 'admitted');
    await watch.next((m) => m.op === 'event' && m.type === 'visit.updated' && m.data.id === first.id && m.data.state === 'admitted');
    await watch.sync();
    assert.equal(watch.queue.filter((m) => m.op === 'event' && m.type === 'visit.updated' && m.data.id === got[4].id).length, 0,
      'the fifth was not given to anyone');

    // Whoever frees a place gets the one waiting.
    const holder = owners[1] === me ? op : col.client;
    const holderId = owners[1];
    assert.equal((await holder.post(`/api/v1/visits/${got[1].id}/end`, { outcome: 'resolved' })).status, 200);
    const fifth = await visitOf(op, got[4].id);
    assert.equal(fifth.state, 'admitted');
    assert.equal(fifth.operator.id, holderId);
    // Away operators get nothing: the colleague steps away, a new knock goes to the operator only
    // if under the cap — both are full now, so it waits; then turning automatic off leaves it.
    const sixth = await knock(srv.url, 'Franco');
    sockets.push(sixth.ws);
    assert.equal(sixth.state, 'waiting', 'everyone is at the cap');
    assert.equal((await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 3, auto_assign: true })).status, 200);
    const six = await visitOf(op, sixth.id);
    assert.equal(six.state, 'admitted', 'a higher cap gives it at once');
  } finally {
    sockets.forEach((s) => s.close());
    await srv.stop();
  }
});

test(`[${backend}] "da richiamare" opens the case and its callback in the same transaction`, async () => {
  const srv = await startServer({ now: NOW });
  const sockets = [];
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const urp = await urpId(srv.url);
    sockets.push(await console_(srv.url, op, urp));
    const k = await knock(srv.url, 'Paolo Gialli');
    sockets.push(k.ws);
    assert.equal((await op.post(`/api/v1/visits/${k.id}/admit`)).status, 200);
    // Bad input changes nothing.
    for (const body of [
      { outcome: 'resolved', callback: { phone: '+39 333 1112223' } },
      { outcome: 'needs_callback', callback: { phone: 3331112223 } },
      { outcome: 'needs_callback', callback: { phone: '+39 333 1112223', due_at: 'domani' } },
      { outcome: 'needs_callback', callback: { phone: '+39 333 1112223', when: 'x' } },
      { outcome: 'needs_callback', callback: 'x' },
    ]) {
      const r = await op.post(`/api/v1/visits/${k.id}/end`, body);
      assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
      assert.equal(r.json.error.field, 'callback', r.text);
    }
    assert.equal((await visitOf(op, k.id)).state, 'admitted');
    assert.equal((await op.get(`${base}/cases?citizen=${encodeURIComponent('+39 333 1112223')}`)).json.cases.length, 0);

    const end = await op.post(`/api/v1/visits/${k.id}/end`, {
      outcome: 'needs_callback', callback: { phone: '+39 333 1112223', due_at: '2026-11-26T08:00:00Z', note: 'Sapere se la residenza è registrata' },
    });
    assert.equal(end.status, 200, end.text);
    const ended = await k.ws.next((m) => m.op === 'event' && m.type === 'visit.ended');
    assert.equal(ended.data.outcome, 'needs_callback');
    assert.match(ended.data.case.code, /^PR-/);
    assert.ok(ended.data.case.secret);
    const found = (await op.get(`${base}/cases?citizen=${encodeURIComponent('+39 333 1112223')}`)).json.cases;
    assert.equal(found.length, 1);
    assert.equal(found[0].code, ended.data.case.code);
    assert.equal(found[0].channel, 'visit');
    assert.equal(found[0].visit_id, k.id);
    assert.equal(found[0].citizen.name, 'Paolo Gialli');
    const detail = (await op.get(`/api/v1/cases/${found[0].id}`)).json;
    assert.equal(detail.callbacks.length, 1);
    assert.equal(detail.callbacks[0].phone, '+39 333 1112223');
    assert.equal(detail.callbacks[0].due_at, '2026-11-26T08:00:00Z');
    assert.equal(detail.callbacks[0].id, ended.data.callback.id);
    // The citizen's code and secret open the tracking page.
    const tr = await new Client(srv.url).get(`${base}/tracking/${found[0].code}`, { headers: { 'x-case-token': ended.data.case.secret } });
    assert.equal(tr.status, 200, tr.text);

    // The citizen hung up first: the outcome recorded afterwards opens the case too.
    const k2 = await knock(srv.url, 'Rita Neri');
    sockets.push(k2.ws);
    assert.equal((await op.post(`/api/v1/visits/${k2.id}/admit`)).status, 200);
    assert.equal((await new Client(srv.url).post(`/api/v1/visits/${k2.id}/end`, {}, { headers: { 'x-visit-token': k2.token } })).status, 200);
    assert.equal((await op.post(`/api/v1/visits/${k2.id}/end`, { outcome: 'needs_callback', callback: { phone: '+39 333 4445556' } })).status, 200);
    const second = (await op.get(`${base}/cases?citizen=${encodeURIComponent('+39 333 4445556')}`)).json.cases;
    assert.equal(second.length, 1);
    assert.equal(second[0].visit_id, k2.id);
  } finally {
    sockets.forEach((s) => s.close());
    await srv.stop();
  }
});

test(`[${backend}] a supervisor sees who serves whom, reassigns a conversation and takes one over`, async () => {
  const srv = await startServer({ now: NOW });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const sup = await onDutyAt(srv.url, 'supervisor');
    const op = await onDutyAt(srv.url, 'operator');
    const urp = await urpId(srv.url);
    const col = await colleague(srv.url, admin, urp, 'collega', 'Carlo Verdi');
    const me = (await op.get('/api/v1/session')).json.operator.id;
    const supId = (await sup.get('/api/v1/session')).json.operator.id;
    sockets.push(await console_(srv.url, op, urp), await console_(srv.url, col.client, urp));
    const k = await knock(srv.url, 'Anna');
    sockets.push(k.ws);
    assert.equal((await op.post(`/api/v1/visits/${k.id}/admit`)).status, 200);
    assert.equal((await op.post('/api/v1/desks', { offices: ['urp'] })).status, 201);

    assert.equal((await op.get('/api/v1/supervision')).status, 403, 'operators do not supervise');
    const sv = await sup.get('/api/v1/supervision');
    assert.equal(sv.status, 200, sv.text);
    const giulia = sv.json.operators.find((o) => o.id === me);
    assert.equal(giulia.desk.kind, 'remote');
    assert.deepEqual(giulia.visits.map((v) => v.id), [k.id]);
    assert.ok(sv.json.operators.some((o) => o.id === col.id && o.visits.length === 0));

    // Only supervisors reassign; bad targets change nothing.
    assert.equal((await op.post(`/api/v1/visits/${k.id}/assign`, { operator_id: col.id })).status, 403);
    assert.equal((await sup.post(`/api/v1/visits/${k.id}/assign`, {})).json.error.field, 'operator_id');
    assert.equal((await sup.post(`/api/v1/visits/${k.id}/assign`, { operator_id: 'nessuno' })).status, 400);
    assert.equal((await sup.post(`/api/v1/visits/${k.id}/assign`, { operator_id: me })).status, 400, 'already theirs');
    assert.equal((await visitOf(op, k.id)).operator.id, me);

    const r = await sup.post(`/api/v1/visits/${k.id}/assign`, { operator_id: col.id });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.operator.id, col.id);
    const ev = await k.ws.next((m) => m.op === 'event' && m.type === 'visit.reassigned');
    assert.equal(ev.data.operator.display_name, 'Carlo Verdi');
    // The former operator no longer writes in it; the new one does.
    assert.equal((await op.post(`/api/v1/visits/${k.id}/messages`, { body: 'ci sono io', client_id: 'a1' })).status, 403);
    assert.equal((await col.client.post(`/api/v1/visits/${k.id}/messages`, { body: 'Buongiorno, sono Carlo', client_id: 'b1' })).status, 201);
    // A conversation may change hands again (and back).
    const twice = await sup.post(`/api/v1/visits/${k.id}/assign`, { operator_id: me });
    assert.equal(twice.status, 200, twice.text);
    const again = await sup.post(`/api/v1/visits/${k.id}/assign`, { operator_id: col.id });
    assert.equal(again.status, 200, again.text);
    const sys = (await col.client.get(`/api/v1/visits/${k.id}/messages`)).json.messages.filter((m) => m.from === 'system');
    assert.equal(sys.length, 3);

    // The cap holds for the new operator too.
    await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 1, auto_assign: null });
    const k2 = await knock(srv.url, 'Bruno');
    sockets.push(k2.ws);
    assert.equal((await op.post(`/api/v1/visits/${k2.id}/admit`)).status, 200);
    const full = await sup.post(`/api/v1/visits/${k2.id}/assign`, { operator_id: col.id });
    assert.equal(full.status, 409, full.text);
    assert.equal(full.json.error.code, 'cap');
    // Taking over: the supervisor gives it to themselves.
    const mine = await sup.post(`/api/v1/visits/${k2.id}/assign`, { operator_id: supId });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.operator.id, supId);
    // A waiting visit is admitted for the operator named.
    await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: null, auto_assign: null });
    const k3 = await knock(srv.url, 'Carla');
    sockets.push(k3.ws);
    const w = await sup.post(`/api/v1/visits/${k3.id}/assign`, { operator_id: me });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.state, 'admitted');
    assert.equal(w.json.operator.id, me);
  } finally {
    sockets.forEach((s) => s.close());
    await srv.stop();
  }
});

if (backend === 'postgres') {
  test('[postgres] two nodes: automatic assignment and admissions at once never give a visit twice nor exceed the cap', async () => {
    const db = await freshDatabase();
    const a = await startServer({ db, now: NOW });
    const b = await startServer({ db, demo: false, now: NOW });
    const sockets = [];
    try {
      const admin = await loggedIn(a.url, 'admin');
      const sup = await loggedIn(a.url, 'supervisor');
      const urp = await urpId(a.url);
      const op = await onDutyAt(a.url, 'operator');
      const me = (await op.get('/api/v1/session')).json.operator.id;
      const col = await colleague(b.url, admin, urp, 'collega', 'Carlo Verdi');
      sockets.push(await console_(a.url, op, urp), await console_(b.url, col.client, urp));

      // 1. The cap across nodes: the same operator admits on node A and node B at once, cap 1.
      assert.equal((await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 1, auto_assign: false })).status, 200);
      const opB = new Client(b.url);
      opB.cookies = op.cookies;
      opB.csrf = op.csrf;
      for (let round = 0; round < 4; round++) {
        const x = await knock(a.url, `X${round}`);
        const y = await knock(b.url, `Y${round}`);
        sockets.push(x.ws, y.ws);
        const [rx, ry] = await Promise.all([op.post(`/api/v1/visits/${x.id}/admit`), opB.post(`/api/v1/visits/${y.id}/admit`)]);
        const codes = [rx.status, ry.status].sort();
        assert.deepEqual(codes, [200, 409], `round ${round}: ${rx.text} ${ry.text}`);
        assert.equal((rx.status === 409 ? rx : ry).json.error.code, 'cap');
        const held = (await sup.get('/api/v1/supervision')).json.operators.find((o) => o.id === me).visits;
        assert.equal(held.length, 1);
        assert.equal((await op.post(`/api/v1/visits/${held[0].id}/end`, { outcome: 'resolved' })).status, 200);
        // The loser's visit leaves too, so each round starts empty.
        const loser = rx.status === 409 ? x : y;
        assert.equal((await new Client(a.url).post(`/api/v1/visits/${loser.id}/leave`, {}, { headers: { 'x-visit-token': loser.token } })).status, 200);
      }

      // 2. Automatic assignment with knocks arriving on both nodes at once, cap 3 each.
      assert.equal((await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: 3, auto_assign: true })).status, 200);
      const knocks = await Promise.all(Array.from({ length: 10 }, (_, i) => knock(i % 2 ? b.url : a.url, `Z${i}`)));
      sockets.push(...knocks.map((k) => k.ws));
      const sv = (await sup.get('/api/v1/supervision')).json.operators;
      const held = sv.flatMap((o) => o.visits.map((v) => ({ op: o.id, id: v.id })));
      const ids = held.map((h) => h.id);
      assert.equal(new Set(ids).size, ids.length, 'no visit held twice');
      for (const o of [me, col.id]) assert.equal(held.filter((h) => h.op === o).length, 3, `operator ${o} at the cap, not over`);
      let waiting = 0;
      for (const k of knocks) {
        const v = await visitOf(op, k.id);
        if (v.state === 'waiting') waiting++;
        else assert.ok(ids.includes(k.id) && v.state === 'admitted');
      }
      assert.equal(waiting, 4);
    } finally {
      sockets.forEach((s) => s.close());
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}
