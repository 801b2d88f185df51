// Two sportello nodes on one PostgreSQL database (the scale-out setup): a change made through
// node A reaches WebSocket clients of node B, in order and once, and B's cached public view
// is refreshed. Registered only on the PostgreSQL run (SQLite is single-node by design).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, freshDatabase, loggedIn, onDutyAt, cookieOf, Client, Ws, backend } from './lib.mjs';

const psql = (url, sql) => new Promise((res, rej) => execFile('psql', [url, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql],
  (err, out, errOut) => (err ? rej(new Error(errOut || err.message)) : res(out))));

if (backend === 'postgres') {
  test('[postgres] events and cache invalidation cross nodes through LISTEN/NOTIFY', async () => {
    const db = await freshDatabase();
    const a = await startServer({ db, now: '2026-11-23T09:00:00Z' });
    const b = await startServer({ db, demo: false, now: '2026-11-23T09:00:00Z' });
    try {
      const ws = await Ws.open(b.url);
      ws.send({ op: 'subscribe', topic: 'ente:esempio:directory' });
      const ack = await ws.next((m) => m.op === 'subscribed');
      // Warm node B's cache of the public view.
      const before = await new Client(b.url).get('/api/v1/enti/esempio/offices');
      const urp = before.json.offices.find((o) => o.slug === 'urp');
      assert.equal(urp.status.closes_at, '2026-11-23T18:00:00Z');

      const admin = await loggedIn(a.url, 'admin');
      const site = await admin.post('/api/v1/enti/esempio/sites', { name: 'Sede remota' });
      assert.equal(site.status, 201);
      const sched = await admin.put(`/api/v1/enti/esempio/offices/${urp.id}/schedule`, {
        rules: [{ weekday: 1, start: '08:00', end: '12:00', channel: null }],
      });
      assert.equal(sched.status, 200);

      const e1 = await ws.next((m) => m.op === 'event');
      const e2 = await ws.next((m) => m.op === 'event');
      assert.deepEqual([e1.seq, e1.type], [ack.seq + 1, 'sites.created']);
      assert.deepEqual([e2.seq, e2.type], [ack.seq + 2, 'schedule.updated']);
      await ws.sync();
      assert.equal(ws.queue.filter((m) => m.op === 'event').length, 0);

      const after = await new Client(b.url).get('/api/v1/enti/esempio/offices');
      assert.equal(after.json.offices.find((o) => o.slug === 'urp').status.closes_at,
        '2026-11-23T11:00:00Z');
      // A session created on A is valid on B (state is in the database, nodes are stateless).
      const onB = new Client(b.url);
      onB.cookies = admin.cookies;
      assert.equal((await onB.get('/api/v1/session')).json.operator.username, 'admin');
      await ws.close();
    } finally {
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}

// WebRTC signalling is ephemeral (never in the event log), so it crosses nodes on its own bus
// (platform/pg_signal_bus.h): the citizen on node A, the operator on node B, and only the two
// parties of the admitted visit talk, in order, whatever the size of the message.
if (backend === 'postgres') {
  test('[postgres] signalling crosses nodes: only the two parties, in order, any size', async () => {
    const db = await freshDatabase();
    const now = '2026-11-25T14:30:00Z'; // Wednesday 15:30 in Rome: URP video open
    const args = ['--knocks-per-address-per-hour', '0'];
    const a = await startServer({ db, now, extraArgs: args });
    const b = await startServer({ db, demo: false, now, extraArgs: args });
    const sockets = [];
    const open = async (url, opts) => { const w = await Ws.open(url, opts); sockets.push(w); return w; };
    const follow = async (ws, topic, token) => {
      ws.send(token ? { op: 'subscribe', topic, token } : { op: 'subscribe', topic });
      await ws.next((m) => m.op === 'subscribed' && m.topic === topic);
    };
    try {
      const op = await onDutyAt(b.url, 'operator');
      const k = await new Client(a.url).post('/api/v1/enti/esempio/offices/urp/visits',
        { mode: 'video', name: 'Lucia', topic: 'Residenza' });
      assert.equal(k.status, 201, k.text);
      const v = k.json;
      const topic = `visit:${v.visit.id}`;
      const cws = await open(a.url); // the citizen's page, on A
      await follow(cws, topic, v.token);
      const ows = await open(b.url, { cookie: cookieOf(op) }); // the operator's console, on B
      await follow(ows, topic);
      const sup = await loggedIn(a.url, 'supervisor');
      const sws = await open(a.url, { cookie: cookieOf(sup) }); // staff of the office, not a party
      await follow(sws, topic);

      // Before admission nobody may signal (refused on the sender's node).
      cws.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0' } });
      assert.equal((await cws.next((m) => m.op === 'error')).code, 'conflict');
      assert.equal((await op.post(`/api/v1/visits/${v.visit.id}/admit`)).status, 200);
      await cws.next((m) => m.type === 'visit.admitted');

      // Offer B → A, answer A → B: as on one node, the sender named by its connection.
      ows.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 offer' } });
      assert.deepEqual(await cws.next((m) => m.op === 'signal'),
        { op: 'signal', topic, from: 'operator', data: { kind: 'offer', sdp: 'v=0 offer' } });
      cws.send({ op: 'signal', topic, from: 'operator', data: { kind: 'answer', sdp: 'v=0 answer' } });
      const answer = await ows.next((m) => m.op === 'signal');
      assert.deepEqual([answer.from, answer.data.sdp], ['citizen', 'v=0 answer']);

      // Trickled candidates keep their order, also around an SDP too big for a NOTIFY payload
      // (8000 bytes): that one travels through the relay table.
      const big = 'v=0\r\n' + 'a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0\r\n'.repeat(200);
      assert.ok(big.length > 12_000 && big.length < 16 * 1024);
      const sent = [];
      for (let i = 0; i < 60; i++) {
        const data = i === 30
          ? { kind: 'offer', sdp: big }
          : { kind: 'ice', candidate: { candidate: `candidate:${i} 1 udp 1 192.0.2.1 ${9000 + i} typ host`, sdpMid: '0' } };
        sent.push(data);
        ows.send({ op: 'signal', topic, data });
      }
      const got = [];
      while (got.length < sent.length) got.push((await cws.next((m) => m.op === 'signal')).data);
      assert.deepEqual(got, sent);
      const relayed = await psql(db.url, 'SELECT count(*) FROM signal_relay');
      assert.ok(Number(relayed.trim()) >= 1, 'the big offer went through the relay table');

      // Staff of the office who is not the party, and a connection that never subscribed:
      // refused; nothing reaches the parties.
      sws.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 intruder' } });
      assert.equal((await sws.next((m) => m.op === 'error')).code, 'forbidden');
      const stranger = await open(b.url);
      stranger.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 stranger' } });
      assert.equal((await stranger.next((m) => m.op === 'error')).code, 'forbidden');

      // The citizen in two tabs, one per node: the operator's signal reaches both, once each.
      const cws2 = await open(b.url);
      await follow(cws2, topic, v.token);
      ows.send({ op: 'signal', topic, data: { kind: 'ice', candidate: null } });
      for (const w of [cws, cws2]) assert.equal((await w.next((m) => m.op === 'signal')).data.candidate, null);
      for (const w of [cws, cws2, ows, sws]) {
        await w.sync();
        assert.deepEqual(w.queue.filter((m) => m.op === 'signal' || m.op === 'error'), [], 'nothing else, nothing twice');
      }

      // Cross-node latency, one way (A → B), measured on this test's clock.
      const times = [];
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        cws.send({ op: 'signal', topic, data: { kind: 'ice', candidate: { candidate: `candidate:p${i}`, sdpMid: '0' } } });
        await ows.next((m) => m.op === 'signal' && m.data.candidate?.candidate === `candidate:p${i}`);
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      console.log(`# signal A→B over PostgreSQL: p50 ${times[25].toFixed(1)} ms, max ${times[49].toFixed(1)} ms`);

      // The operator's console closes: the citizen's next signal finds nobody on any node and
      // is answered `unavailable` within the acknowledgement timeout. Every earlier signal of the
      // citizen (delivered on B) was acknowledged: this is the first `unavailable` it hears.
      await ows.close();
      const t0 = Date.now();
      cws.send({ op: 'signal', topic, data: { kind: 'bye' } });
      const gone = await cws.next((m) => m.op === 'error', 6000);
      assert.equal(gone.code, 'unavailable');
      const waited = Date.now() - t0;
      assert.ok(waited >= 1500 && waited < 5000, `unavailable after ${waited} ms`);
      await cws.sync();
      assert.deepEqual(cws.queue.filter((m) => m.op === 'error'), []);
      // What each node counted (/metrics): B's offer and 60 messages delivered on A, the
      // citizen's answer and 50 candidates on B; one signal found nobody.
      const metric = async (url, name) =>
        Number((await new Client(url).get('/metrics')).text.match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);
      assert.ok(await metric(a.url, 'sportello_signals_received_total') >= 61);
      assert.ok(await metric(b.url, 'sportello_signals_received_total') >= 51);
      assert.ok(await metric(b.url, 'sportello_signals_published_total') >= 62);
      assert.equal(await metric(a.url, 'sportello_signals_unavailable_total'), 1);

      // Rights that end, across nodes: the visit transferred to another office; the old
      // operator (reconnected on B) is taken off and can no longer send, the new party (the
      // admin, on B) is the one who hears the citizen from A.
      const ows2 = await open(b.url, { cookie: cookieOf(op) });
      await follow(ows2, topic);
      assert.equal((await op.post(`/api/v1/visits/${v.visit.id}/transfer`, { office: 'tributi' })).status, 200);
      assert.equal((await ows2.next((m) => m.op === 'revoked' && m.topic === topic)).code, 'forbidden');
      const admin = await loggedIn(a.url, 'admin');
      const aws = await open(b.url, { cookie: cookieOf(admin) });
      await follow(aws, topic);
      assert.equal((await admin.post(`/api/v1/visits/${v.visit.id}/admit`)).status, 200);
      await cws.next((m) => m.type === 'visit.admitted');
      cws.send({ op: 'signal', topic, data: { kind: 'answer', sdp: 'v=0 to the admin' } });
      const toAdmin = await aws.next((m) => m.op === 'signal');
      assert.deepEqual([toAdmin.from, toAdmin.data.sdp], ['citizen', 'v=0 to the admin']);
      ows2.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 old operator' } });
      assert.equal((await ows2.next((m) => m.op === 'error')).code, 'forbidden');
      for (const w of [ows2, cws, cws2]) await w.sync();
      assert.equal(ows2.queue.filter((m) => m.op === 'signal').length, 0);
      assert.equal(cws.queue.filter((m) => m.op === 'signal').length, 0);
    } finally {
      for (const w of sockets) w.ws.terminate();
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}
