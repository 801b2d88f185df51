// Two sportello nodes on one PostgreSQL database (the scale-out setup): a change made through
// node A reaches WebSocket clients of node B, in order and once, and B's cached public view
// is refreshed. Registered only on the PostgreSQL run (SQLite is single-node by design).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, loggedIn, Client, Ws, backend } from './lib.mjs';

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
