// Rights that end end their live subscriptions too (docs/SECURITY.md, "What ends a
// subscription"): after logout, deactivation, a password change from another session, an admin
// password reset, a visit transferred to another office, the open WebSocket is told "revoked"
// and receives nothing more of what it may no longer see; a subscription that still passes
// goes on without missing anything. Also: `since: 0` replays from the topic's first event.
// Wednesday 25 November 2026, 15:30 in Rome: the demo URP has chat and video open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, onDutyAt, cookieOf, Client, Ws, backend, logins, run } from './lib.mjs';

let srv, admin, urpId;
const unlimited = ['--knocks-per-address-per-hour', '0', '--callback-requests-per-address-per-hour', '0',
  '--callback-requests-per-contact-per-day', '0'];
before(async () => {
  srv = await startServer({
    now: '2026-11-25T14:30:00Z',
    // Many messages left from one address and number: the anonymous limits are not what
    // these tests are about (tests/integration/limits.test.mjs is).
    extraArgs: unlimited,
  });
  admin = await loggedIn(srv.url, 'admin');
  urpId = (await new Client(srv.url).get('/api/v1/enti/esempio/offices/urp/reception')).json.office.id;
});
after(async () => { await srv?.stop(); });

const asCitizen = (token) => ({ headers: { 'x-visit-token': token } });
const onDuty = (who) => onDutyAt(srv.url, who);

async function operatorId(username) {
  const r = await admin.get('/api/v1/enti/esempio/operators');
  assert.equal(r.status, 200, r.text);
  const list = Array.isArray(r.json) ? r.json : r.json.operators;
  return list.find((o) => o.username === username).id;
}

// A staff WebSocket following the URP's staff and cases topics and the ente's staff topic.
async function staffSocket(client) {
  const ws = await Ws.open(srv.url, { cookie: cookieOf(client) });
  const topics = [`office:${urpId}:staff`, `office:${urpId}:cases`, 'ente:esempio:staff'];
  for (const topic of topics) {
    ws.send({ op: 'subscribe', topic });
    await ws.next((m) => m.op === 'subscribed' && m.topic === topic);
  }
  return { ws, topics };
}

// A citizen leaves a message at the URP: a callback.created with their name and phone number
// on office:{urp}:staff, and the case it opens on office:{urp}:cases.
async function leaveMessage(name) {
  const r = await new Client(srv.url).post('/api/v1/enti/esempio/offices/urp/callback-requests',
    { name, contact: '+39 333 7654321', message: 'Richiamatemi per favore', privacy_accepted: true });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function expectRevoked(ws, topics) {
  for (const topic of topics) {
    const m = await ws.next((x) => x.op === 'revoked' && x.topic === topic);
    assert.ok(['unauthorized', 'forbidden'].includes(m.code), JSON.stringify(m));
  }
}

// Nothing about `name` reached `ws` (after everything the server sent so far).
async function expectNothingAbout(ws, name) {
  await ws.sync();
  const leaked = ws.queue.filter((m) => m.op === 'event' && JSON.stringify(m.data).includes(name));
  assert.deepEqual(leaked, [], 'events after the right ended');
}

test(`[${backend}] logout ends the live subscriptions of that session at once`, async () => {
  const op = await loggedIn(srv.url, 'operator');
  const { ws, topics } = await staffSocket(op);
  await leaveMessage('Prima Dellauscita');
  await ws.next((m) => m.type === 'callback.created' && m.data.name === 'Prima Dellauscita');

  assert.equal((await op.del('/api/v1/session')).status, 204);
  await expectRevoked(ws, topics);
  await leaveMessage('Dopo Lauscita');
  await expectNothingAbout(ws, 'Dopo Lauscita');
  // Subscribing again with the ended session is refused too.
  ws.send({ op: 'subscribe', topic: topics[0] });
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'unauthorized');
  await ws.close();
});

test(`[${backend}] a deactivated operator stops receiving citizens' names and numbers`, async () => {
  const op = await loggedIn(srv.url, 'operator');
  const { ws, topics } = await staffSocket(op);
  // A colleague's socket, which must keep working throughout.
  const sup = await loggedIn(srv.url, 'supervisor');
  const other = await staffSocket(sup);
  const id = await operatorId('operatore');
  try {
    const off = await admin.patch(`/api/v1/enti/esempio/operators/${id}`, { active: false });
    assert.equal(off.status, 200, off.text);
    await expectRevoked(ws, topics);
    await leaveMessage('Segreto Riservato');
    await expectNothingAbout(ws, 'Segreto Riservato');
    // The supervisor's subscriptions were authorised again and missed nothing.
    const seen = await other.ws.next((m) => m.type === 'callback.created' && m.data.name === 'Segreto Riservato');
    assert.equal(seen.topic, `office:${urpId}:staff`);
    await other.ws.sync();
    assert.equal(other.ws.queue.filter((m) => m.op === 'revoked').length, 0);
  } finally {
    assert.equal((await admin.patch(`/api/v1/enti/esempio/operators/${id}`, { active: true })).status, 200);
  }
  await ws.close();
  await other.ws.close();
});

test(`[${backend}] removed from an office: that office's topics end, the others go on`, async () => {
  const op = await loggedIn(srv.url, 'operator');
  const { ws } = await staffSocket(op);
  const id = await operatorId('operatore');
  const before = (await admin.get(`/api/v1/enti/esempio/operators/${id}`)).json;
  const offices = (before.operator ?? before).offices.map((o) => o.id);
  assert.ok(offices.includes(urpId));
  try {
    const moved = await admin.patch(`/api/v1/enti/esempio/operators/${id}`,
      { office_ids: offices.filter((o) => o !== urpId) });
    assert.equal(moved.status, 200, moved.text);
    await expectRevoked(ws, [`office:${urpId}:staff`, `office:${urpId}:cases`]);
    await leaveMessage('Altro Ufficio');
    await expectNothingAbout(ws, 'Altro Ufficio');
    // The ente's staff topic still passes: an event there still arrives.
    const sup = await onDuty('supervisor');
    await ws.next((m) => m.op === 'event' && m.topic === 'ente:esempio:staff' && m.type === 'operator.presence');
    assert.equal(ws.queue.filter((m) => m.op === 'revoked' && m.topic === 'ente:esempio:staff').length, 0);
    await sup.put('/api/v1/session/presence', { presence: 'away' });
  } finally {
    assert.equal((await admin.patch(`/api/v1/enti/esempio/operators/${id}`, { office_ids: offices })).status, 200);
  }
  await ws.close();
});

test(`[${backend}] a password change from another session ends this one's subscriptions, not its own`, async () => {
  const [slug, user, password] = logins.supervisor;
  const here = await loggedIn(srv.url, 'supervisor');
  const there = await loggedIn(srv.url, 'supervisor');
  const a = await staffSocket(here);
  const b = await staffSocket(there);
  const changed = await there.post('/api/v1/session/password',
    { current_password: password, new_password: 'una-nuova-password-2026' });
  assert.equal(changed.status, 204, changed.text);
  await expectRevoked(a.ws, a.topics);
  await leaveMessage('Cambio Password');
  await expectNothingAbout(a.ws, 'Cambio Password');
  await b.ws.next((m) => m.type === 'callback.created' && m.data.name === 'Cambio Password');
  // An admin's reset ends the remaining session's subscriptions as well.
  const id = await operatorId(user);
  const reset = await admin.patch(`/api/v1/enti/esempio/operators/${id}`, { password });
  assert.equal(reset.status, 200, reset.text);
  await expectRevoked(b.ws, b.topics);
  await leaveMessage('Dopo Il Reset');
  await expectNothingAbout(b.ws, 'Dopo Il Reset');
  assert.equal((await new Client(srv.url).login(slug, user, password)).status, 200);
  await a.ws.close();
  await b.ws.close();
});

test(`[${backend}] a visit transferred to another office: the old office's operator no longer follows it`, async () => {
  const op = await onDuty('operator');
  const r = await new Client(srv.url).post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'chat', name: 'Paola', topic: 'Tributi' });
  assert.equal(r.status, 201, r.text);
  const v = r.json;
  const topic = `visit:${v.visit.id}`;
  const ows = await Ws.open(srv.url, { cookie: cookieOf(op) });
  ows.send({ op: 'subscribe', topic });
  await ows.next((m) => m.op === 'subscribed');
  const cws = await Ws.open(srv.url);
  cws.send({ op: 'subscribe', topic, token: v.token });
  await cws.next((m) => m.op === 'subscribed');

  const moved = await op.post(`/api/v1/visits/${v.visit.id}/transfer`, { office: 'tributi' });
  assert.equal(moved.status, 200, moved.text);
  await ows.next((m) => m.type === 'visit.transferred');
  assert.equal((await ows.next((m) => m.op === 'revoked' && m.topic === topic)).code, 'forbidden');
  // The citizen's own subscription passes again and carries on.
  const mayor = await loggedIn(srv.url, 'admin');
  const admitted = await mayor.post(`/api/v1/visits/${v.visit.id}/admit`);
  assert.equal(admitted.status, 200, admitted.text);
  await cws.next((m) => m.type === 'visit.admitted');
  const said = await new Client(srv.url).post(`/api/v1/visits/${v.visit.id}/messages`,
    { body: 'Il mio codice fiscale è RSSPLA80A41H501X', client_id: 'p-1' }, asCitizen(v.token));
  assert.equal(said.status, 201, said.text);
  await expectNothingAbout(ows, 'RSSPLA80A41H501X');
  // And it cannot signal into the call any more.
  ows.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0' } });
  assert.equal((await ows.next((m) => m.op === 'error')).code, 'forbidden');
  await mayor.post(`/api/v1/visits/${v.visit.id}/end`, { outcome: 'resolved' });
  await ows.close();
  await cws.close();
});

test(`[${backend}] since 0 replays from the first event: a new phone ticket's holder hears its call`, async () => {
  const sites = await admin.get('/api/v1/enti/esempio/sites');
  const site = (Array.isArray(sites.json) ? sites.json : sites.json.sites).find((s) => s.kind === 'town_hall').id;
  const k = await admin.post('/api/v1/enti/esempio/counters', { name: 'Revoche', site, services: ['J'] });
  assert.equal(k.status, 201, k.text);
  const t = await new Client(srv.url).post(`/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'J', source: 'phone' });
  assert.equal(t.status, 201, t.text);
  // The holder's page reads its ticket: no event on its topic yet.
  const view = await new Client(srv.url).get(`/api/v1/tickets/${t.json.ticket.id}`, { headers: { 'x-ticket-token': t.json.token } });
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.ticket_seq, 0, 'a new ticket has seen no event of its topic');
  const op = await loggedIn(srv.url, 'operator');
  const called = await op.post(`/api/v1/counters/${k.json.id}/call-next`);
  assert.equal(called.status, 200, called.text);
  assert.equal(called.json.ticket.id, t.json.ticket.id);
  // The holder's page subscribes only now, with the seq it was given (0).
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: view.json.ticket_topic, token: t.json.token, since: view.json.ticket_seq });
  const ack = await ws.next((m) => m.op === 'subscribed');
  assert.ok(ack.seq >= 1);
  const ev = await ws.next((m) => m.op === 'event');
  assert.equal(ev.seq, 1);
  assert.equal(ev.type, 'ticket.called');
  // Without `since`: only what comes from now on.
  const now = await Ws.open(srv.url);
  now.send({ op: 'subscribe', topic: view.json.ticket_topic, token: t.json.token });
  await now.next((m) => m.op === 'subscribed');
  await now.sync();
  assert.equal(now.queue.filter((m) => m.op === 'event').length, 0);
  await ws.close();
  await now.close();
});

test(`[${backend}] the internal rights topic cannot be followed`, async () => {
  const ws = await Ws.open(srv.url, { cookie: cookieOf(admin) });
  ws.send({ op: 'subscribe', topic: 'sys:rights' });
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'not_found');
  await ws.close();
});

test(`[${backend}] subscriptions are authorised again periodically: a password set from the CLI`, async () => {
  // The CLI writes to the database from another process: on SQLite no event reaches the
  // server, so only the periodic re-authorisation (here every second) ends the session's feed.
  const own = await startServer({ now: '2026-11-25T14:30:00Z', env: { SPORTELLO_WS_REAUTH_SECONDS: '1' } });
  try {
    const op = await loggedIn(own.url, 'operator');
    const ws = await Ws.open(own.url, { cookie: cookieOf(op) });
    ws.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
    await ws.next((m) => m.op === 'subscribed');
    const r = await run(['operator', 'passwd', ...own.database.args, '--ente', 'esempio',
      '--username', 'operatore', '--password', 'una-password-dal-terminale']);
    assert.equal(r.code, 0, r.stderr);
    const m = await ws.next((x) => x.op === 'revoked', 10_000);
    assert.equal(m.topic, 'ente:esempio:staff');
    await ws.close();
  } finally {
    await own.stop();
  }
});

if (backend === 'postgres') {
  test('[postgres] two nodes: a logout or deactivation on node A ends the subscriptions on node B', async () => {
    const { freshDatabase } = await import('./lib.mjs');
    const db = await freshDatabase();
    const a = await startServer({ db, now: '2026-11-25T14:30:00Z', extraArgs: unlimited });
    const b = await startServer({ db, demo: false, now: '2026-11-25T14:30:00Z', extraArgs: unlimited });
    try {
      const office = (await new Client(a.url).get('/api/v1/enti/esempio/offices/urp/reception')).json.office.id;
      const topic = `office:${office}:staff`;
      const follow = async (client) => {
        const ws = await Ws.open(b.url, { cookie: cookieOf(client) });
        ws.send({ op: 'subscribe', topic });
        await ws.next((m) => m.op === 'subscribed');
        return ws;
      };
      const message = (name) => new Client(a.url).post('/api/v1/enti/esempio/offices/urp/callback-requests',
        { name, contact: '+39 333 1112223', message: 'Richiamatemi', privacy_accepted: true });

      const op = await loggedIn(a.url, 'operator');
      const ws = await follow(op);
      const sup = await loggedIn(a.url, 'supervisor');
      const other = await follow(sup);
      assert.equal((await message('Sul Nodo B')).status, 201);
      await ws.next((m) => m.type === 'callback.created' && m.data.name === 'Sul Nodo B');

      assert.equal((await op.del('/api/v1/session')).status, 204);
      assert.equal((await ws.next((m) => m.op === 'revoked', 10_000)).topic, topic);
      assert.equal((await message('Dopo Il Logout')).status, 201);
      await other.next((m) => m.type === 'callback.created' && m.data.name === 'Dopo Il Logout', 10_000);
      await expectNothingAbout(ws, 'Dopo Il Logout');

      // Deactivated on node A, while following on node B.
      const adminA = await loggedIn(a.url, 'admin');
      const list = (await adminA.get('/api/v1/enti/esempio/operators')).json;
      const id = (Array.isArray(list) ? list : list.operators).find((o) => o.username === 'supervisore').id;
      assert.equal((await adminA.patch(`/api/v1/enti/esempio/operators/${id}`, { active: false })).status, 200);
      assert.equal((await other.next((m) => m.op === 'revoked', 10_000)).topic, topic);
      assert.equal((await message('Dopo La Disattivazione')).status, 201);
      const watcher = await follow(adminA);
      assert.equal((await message('Dopo Il Disattivato')).status, 201);
      await watcher.next((m) => m.type === 'callback.created' && m.data.name === 'Dopo Il Disattivato', 10_000);
      await expectNothingAbout(other, 'Dopo La Disattivazione');
      await expectNothingAbout(other, 'Dopo Il Disattivato');
      await ws.close();
      await other.close();
      await watcher.close();
    } finally {
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}

test(`[${backend}] signing out of the last session is no longer "available" to citizens`, async () => {
  const reception = async () => (await new Client(srv.url).get('/api/v1/enti/esempio/offices/urp/reception')).json;
  // End the sessions earlier tests left open (deactivating also makes the operator "away").
  const id = await operatorId('operatore');
  assert.equal((await admin.patch(`/api/v1/enti/esempio/operators/${id}`, { active: false })).status, 200);
  const gone = (await admin.get(`/api/v1/enti/esempio/operators/${id}`)).json;
  assert.equal((gone.operator ?? gone).presence, 'away', 'a deactivated operator is not available');
  assert.equal((await admin.patch(`/api/v1/enti/esempio/operators/${id}`, { active: true })).status, 200);
  const op = await onDuty('operator');
  const before = await reception();
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: before.queue_topic });
  await ws.next((m) => m.op === 'subscribed');
  assert.equal((await op.del('/api/v1/session')).status, 204);
  const status = await ws.next((m) => m.type === 'queue.status');
  assert.equal(status.data.operators_available, before.operators_available - 1);
  assert.equal((await reception()).operators_available, before.operators_available - 1);
  const list = (await admin.get('/api/v1/enti/esempio/operators')).json;
  assert.equal((Array.isArray(list) ? list : list.operators).find((o) => o.username === 'operatore').presence, 'away');
  // With two sessions, signing out of one keeps the other's presence.
  const a = await onDuty('operator');
  const b = await loggedIn(srv.url, 'operator');
  assert.equal((await b.del('/api/v1/session')).status, 204);
  assert.equal((await reception()).operators_available, before.operators_available);
  await a.del('/api/v1/session');
  await ws.close();
});
