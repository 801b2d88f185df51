// WebSocket topics through the real binary: subscribe, live events after commit, reconnect
// with the last sequence number (missed events exactly once), resync, authorisation, Origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Ws, backend } from './lib.mjs';

let srv;
before(async () => { srv = await startServer({ now: '2026-11-23T09:00:00Z' }); });
after(async () => { await srv?.stop(); });

const topic = 'ente:esempio:directory';

test(`[${backend}] subscribe, disconnect, reconnect with last seq: missed events once, in order`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic });
  const ack = await ws.next((m) => m.op === 'subscribed');
  assert.equal(ack.topic, topic);
  const start = ack.seq;
  assert.ok(start >= 1, 'the demo load emitted events');

  const site = await admin.post('/api/v1/enti/esempio/sites', { name: 'Sede A' });
  assert.equal(site.status, 201);
  const live = await ws.next((m) => m.op === 'event');
  assert.equal(live.seq, start + 1);
  assert.equal(live.type, 'sites.created');
  assert.equal(live.data.id, site.json.id);
  await ws.close();

  // While disconnected: two more changes.
  const b = await admin.post('/api/v1/enti/esempio/sites', { name: 'Sede B' });
  const c = await admin.patch(`/api/v1/enti/esempio/sites/${b.json.id}`, { name: 'Sede B2' });
  assert.equal(c.status, 200);

  const ws2 = await Ws.open(srv.url);
  ws2.send({ op: 'subscribe', topic, since: live.seq });
  const ack2 = await ws2.next((m) => m.op === 'subscribed');
  assert.equal(ack2.seq, start + 3);
  const e1 = await ws2.next((m) => m.op === 'event');
  const e2 = await ws2.next((m) => m.op === 'event');
  assert.deepEqual([e1.seq, e1.type], [start + 2, 'sites.created']);
  assert.deepEqual([e2.seq, e2.type], [start + 3, 'sites.updated']);
  // A new live change arrives once; nothing is duplicated.
  await admin.del(`/api/v1/enti/esempio/sites/${b.json.id}`);
  const e3 = await ws2.next((m) => m.op === 'event');
  assert.equal(e3.seq, start + 4);
  await ws2.sync();
  assert.equal(ws2.queue.filter((m) => m.op === 'event').length, 0);
  await ws2.close();
});

test(`[${backend}] a failed change emits nothing; a client ahead of the server gets resync`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic });
  const ack = await ws.next((m) => m.op === 'subscribed');
  const bad = await admin.post('/api/v1/enti/esempio/offices', { slug: 'urp', name: 'Doppio' });
  assert.equal(bad.status, 409);
  await admin.post('/api/v1/enti/esempio/sites', { name: 'Sede C' });
  const ev = await ws.next((m) => m.op === 'event');
  assert.equal(ev.seq, ack.seq + 1); // no gap: the rolled-back change used no number
  assert.equal(ev.type, 'sites.created');
  await ws.close();

  const ws2 = await Ws.open(srv.url);
  ws2.send({ op: 'subscribe', topic, since: ev.seq + 1000 });
  await ws2.next((m) => m.op === 'subscribed');
  const rs = await ws2.next((m) => m.op === 'resync');
  assert.equal(rs.seq, ev.seq);
  await ws2.close();
});

test(`[${backend}] topic authorisation and bad messages`, async () => {
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
  const err = await ws.next((m) => m.op === 'error');
  assert.equal(err.code, 'unauthorized');
  ws.send({ op: 'subscribe', topic: 'something:else' });
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'not_found');
  ws.ws.send('not json');
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'invalid');
  ws.send({ op: 'subscribe', topic, since: -1 });
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'invalid');
  await ws.close();

  // With a staff session of that ente the staff topic is allowed; another ente's is not.
  const admin = await loggedIn(srv.url, 'admin');
  const cookie = 'sportello_session=' + admin.cookies.get('sportello_session');
  const staffWs = await Ws.open(srv.url, { cookie });
  staffWs.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
  await staffWs.next((m) => m.op === 'subscribed');
  await admin.put('/api/v1/session/presence', { presence: 'busy' });
  const ev = await staffWs.next((m) => m.op === 'event');
  assert.equal(ev.type, 'operator.presence');
  assert.equal(ev.data.presence, 'busy');
  staffWs.send({ op: 'subscribe', topic: 'ente:collina:staff' });
  assert.equal((await staffWs.next((m) => m.op === 'error')).code, 'forbidden');
  await staffWs.close();
});

test(`[${backend}] the upgrade checks the Origin`, async () => {
  await assert.rejects(Ws.open(srv.url, { origin: 'https://evil.example' }), /upgrade refused: 403/);
  const same = await Ws.open(srv.url, { origin: srv.url });
  await same.close();
  // Once the ente allows an embedding origin, it may connect.
  const admin = await loggedIn(srv.url, 'admin');
  const r = await admin.patch('/api/v1/enti/esempio', { embed_origins: ['https://www.comune.esempio.it'] });
  assert.equal(r.status, 200);
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic });
  await ws.next((m) => m.op === 'subscribed');
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      const embedded = await Ws.open(srv.url, { origin: 'https://www.comune.esempio.it' });
      await embedded.close();
      break;
    } catch (e) {
      // The allow-list is refreshed right after the commit; retry briefly until it is.
      if (Date.now() > deadline) throw e;
      await ws.sync();
    }
  }
  await ws.close();
  // That ente's pages may now be framed by the origin (the widget's future home); others not.
  const page = await fetch(srv.url + '/esempio/');
  assert.match(page.headers.get('content-security-policy'),
    /frame-ancestors 'self' https:\/\/www\.comune\.esempio\.it$/);
  const widget = await fetch(srv.url + '/esempio/widget/urp');
  assert.match(widget.headers.get('content-security-policy'),
    /frame-ancestors 'self' https:\/\/www\.comune\.esempio\.it$/);
  for (const staffPage of ['/esempio/login', '/esempio/console', '/esempio/admin']) {
    const r = await fetch(srv.url + staffPage);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'self'$/, staffPage);
  }
  const other = await fetch(srv.url + '/collina/');
  assert.match(other.headers.get('content-security-policy'), /frame-ancestors 'self'$/);
  const api = await fetch(srv.url + '/api/v1/offices');
  assert.match(api.headers.get('content-security-policy'), /frame-ancestors 'self'$/);
});

test(`[${backend}] a client too far behind the kept events gets resync, not a partial replay`, async () => {
  const small = await startServer({ retention: 10 });
  try {
    const admin = await loggedIn(small.url, 'admin');
    const ws = await Ws.open(small.url);
    ws.send({ op: 'subscribe', topic });
    const ack = await ws.next((m) => m.op === 'subscribed');
    await ws.close();
    // 70 changes: the log keeps only the last 10 events of the topic (pruned every 64).
    for (let i = 0; i < 70; i++) {
      assert.equal((await admin.post('/api/v1/enti/esempio/sites', { name: `Sede ${i}` })).status, 201);
    }
    const ws2 = await Ws.open(small.url);
    ws2.send({ op: 'subscribe', topic, since: ack.seq });
    const sub = await ws2.next((m) => m.op === 'subscribed');
    const rs = await ws2.next((m) => m.op === 'resync' || m.op === 'event');
    assert.equal(rs.op, 'resync');
    assert.equal(rs.seq, sub.seq);
    await ws2.sync();
    assert.equal(ws2.queue.filter((m) => m.op === 'event').length, 0);
    // A client only a few events behind still gets exactly what it missed.
    const ws3 = await Ws.open(small.url);
    ws3.send({ op: 'subscribe', topic, since: sub.seq - 3 });
    await ws3.next((m) => m.op === 'subscribed');
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await ws3.next((m) => m.op === 'event')).seq);
    assert.deepEqual(got, [sub.seq - 2, sub.seq - 1, sub.seq]);
    await ws2.close();
    await ws3.close();
  } finally {
    await small.stop();
  }
});
