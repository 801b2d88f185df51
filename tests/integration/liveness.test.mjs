// Nothing waits forever, nobody is "available" who isn't there (docs/OPERATIONS.md,
// "Liveness"). The server runs with a still clock (--clock-control) that the tests move with
// POST /api/v1/test/clock, which also runs the sweep at the new time: no test sleeps.
// Wednesday 25 November 2026, 15:30 in Rome: the URP receives by chat and video.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, onDutyAt, loggedIn, cookieOf, Client, Ws, backend, freshDatabase } from './lib.mjs';

const NOW = '2026-11-25T14:30:00Z';
const asCitizen = (token) => ({ headers: { 'x-visit-token': token } });

async function advance(url, seconds) {
  const r = await new Client(url).post('/api/v1/test/clock', { advance_seconds: seconds });
  assert.equal(r.status, 200, r.text);
  return r.json.now;
}

async function wsCount(url) {
  const r = await fetch(url + '/metrics');
  const m = /^sportello_websocket_connections (\d+)$/m.exec(await r.text());
  return Number(m[1]);
}

// Closes a WebSocket and waits until the server has let go of it (its count went down).
async function closeTab(url, ws) {
  const before = await wsCount(url);
  await ws.close();
  for (let i = 0; i < 200 && (await wsCount(url)) >= before; i++) await new Promise((r) => setTimeout(r, 10));
}

async function knock(url, body = { mode: 'chat', name: 'Mario' }) {
  const r = await new Client(url).post('/api/v1/enti/esempio/offices/urp/visits', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The citizen's page: follows its visit with the token (what makes it "there").
async function page(url, v) {
  const ws = await Ws.open(url);
  ws.send({ op: 'subscribe', topic: `visit:${v.visit.id}`, token: v.token });
  await ws.next((m) => m.op === 'subscribed');
  return ws;
}

const view = (url, v) => new Client(url).get(`/api/v1/visits/${v.visit.id}`, asCitizen(v.token));

test(`[${backend}] a closed tab is shown disconnected, skipped by admit-next, keeps its place if back, then leaves the line`, async () => {
  const srv = await startServer({ now: NOW, extraArgs: ['--clock-control', 'true'] });
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const ghost = await knock(srv.url, { mode: 'chat', name: 'Gina' });
    const real = await knock(srv.url, { mode: 'chat', name: 'Rita' });
    const gPage = await page(srv.url, ghost);
    const rPage = await page(srv.url, real);
    const queue = await Ws.open(srv.url);
    queue.send({ op: 'subscribe', topic: real.visit.queue_topic });
    await queue.next((m) => m.op === 'subscribed');
    assert.equal((await view(srv.url, real)).json.position, 2);

    // Gina closes the tab. Within the grace (60 s) she is still in line.
    await closeTab(srv.url, gPage);
    await advance(srv.url, 30);
    assert.equal((await view(srv.url, ghost)).json.connected, true);
    await advance(srv.url, 31);
    const g = (await view(srv.url, ghost)).json;
    assert.equal(g.connected, false);
    assert.equal(g.state, 'waiting', 'she keeps her place for a while');
    assert.ok(g.disconnected_since);
    // Everyone behind her moves up: one broadcast, and the snapshot agrees.
    const left = await queue.next((m) => m.op === 'event' && m.type === 'queue.left');
    assert.deepEqual(left.data, { k: ghost.visit.knock_no, why: 'disconnected' });
    assert.equal((await view(srv.url, real)).json.position, 1);
    // Staff see it; opening the door to the ghost is refused, admit-next takes Rita.
    const console = await op.get('/api/v1/enti/esempio/reception');
    const urp = console.json.offices.find((o) => o.office.slug === 'urp');
    assert.equal(urp.waiting.find((w) => w.id === ghost.visit.id).connected, false);
    const door = await op.post(`/api/v1/visits/${ghost.visit.id}/admit`);
    assert.equal(door.status, 409, door.text);
    const next = await op.post('/api/v1/enti/esempio/offices/urp/admit-next');
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json.id, real.visit.id);
    assert.equal((await op.post('/api/v1/enti/esempio/offices/urp/admit-next')).status, 404, 'nobody there to admit');

    // Gina's page comes back (a reload within 10 minutes): same place, told to everyone.
    const again = await page(srv.url, ghost);
    const back = await queue.next((m) => m.op === 'event' && m.type === 'queue.joined');
    assert.deepEqual(back.data, { k: ghost.visit.knock_no, why: 'back' });
    const gb = (await view(srv.url, ghost)).json;
    assert.deepEqual([gb.connected, gb.position, gb.knock_no], [true, 1, ghost.visit.knock_no]);

    // She goes away for good: after 10 minutes she leaves the line, and her page, if it ever
    // returns, says why. Rita (connected, in conversation) is untouched.
    await closeTab(srv.url, again);
    await advance(srv.url, 61);
    await advance(srv.url, 540);
    const gone = (await view(srv.url, ghost)).json;
    assert.deepEqual([gone.state, gone.ended_by], ['left', 'system']);
    const late = await Ws.open(srv.url);
    late.send({ op: 'subscribe', topic: `visit:${ghost.visit.id}`, token: ghost.token, since: 0 });
    const ev = await late.next((m) => m.op === 'event' && m.type === 'visit.left');
    assert.deepEqual(ev.data, { reason: 'disconnected' });
    const rita = (await view(srv.url, real)).json;
    assert.deepEqual([rita.state, rita.connected], ['admitted', true]);
    for (const w of [rPage, queue, late]) await w.close();
  } finally {
    await srv.stop();
  }
});

test(`[${backend}] a call whose party is gone ends by itself and no longer blocks video admissions; a conversation without its operator goes back to the line`, async () => {
  const srv = await startServer({ now: NOW, extraArgs: ['--clock-control', 'true'] });
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const console = await Ws.open(srv.url, { cookie: cookieOf(op) });
    const a = await knock(srv.url, { mode: 'video', name: 'Aldo' });
    const aPage = await page(srv.url, a);
    assert.equal((await op.post(`/api/v1/visits/${a.visit.id}/admit`)).status, 200);
    console.send({ op: 'subscribe', topic: `visit:${a.visit.id}` });
    await console.next((m) => m.op === 'subscribed');
    const call = await new Client(srv.url).post(`/api/v1/visits/${a.visit.id}/call`, {}, asCitizen(a.token));
    assert.equal(call.json.call, 'active');
    const b = await knock(srv.url, { mode: 'video', name: 'Bice' });
    const bPage = await page(srv.url, b);
    assert.equal((await op.post(`/api/v1/visits/${b.visit.id}/admit`)).status, 409, 'one call at a time');

    // Aldo's browser dies in the middle of the call.
    await closeTab(srv.url, aPage);
    await advance(srv.url, 30);
    await advance(srv.url, 31);
    const ended = await console.next((m) => m.op === 'event' && m.type === 'call.ended');
    assert.deepEqual(ended.data, { by: 'system', reason: 'disconnected' });
    const av = (await op.get(`/api/v1/visits/${a.visit.id}`)).json;
    assert.deepEqual([av.state, av.call, av.connected], ['admitted', 'none', false]);
    // The operator can take the next video visit.
    assert.equal((await op.post(`/api/v1/visits/${b.visit.id}/admit`)).status, 200);
    // Aldo never comes back: after 10 minutes the conversation is closed as abandoned.
    await advance(srv.url, 540);
    const closed = (await op.get(`/api/v1/visits/${a.visit.id}`)).json;
    assert.deepEqual([closed.state, closed.ended_by, closed.outcome], ['ended', 'system', 'abandoned']);

    // Now the operator's browser dies while Bice is in conversation: she is not left alone
    // with nobody. Her call would end first; after 10 minutes she is back in line, first.
    await closeTab(srv.url, console);
    for (let i = 0; i < 21; i++) await advance(srv.url, 30);
    const bv = (await view(srv.url, b)).json;
    assert.deepEqual([bv.state, bv.knock_no, bv.position, bv.operator], ['waiting', b.visit.knock_no, 1, null]);
    await bPage.close();
  } finally {
    await srv.stop();
  }
});

test(`[${backend}] presence follows the live console: closed → away after 90 s, back when it reconnects`, async () => {
  const srv = await startServer({ now: NOW, extraArgs: ['--clock-control', 'true'] });
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const reception = () => new Client(srv.url).get('/api/v1/enti/esempio/offices/urp/reception');
    const urpId = (await reception()).json.office.id;
    const openConsole = async () => {
      const ws = await Ws.open(srv.url, { cookie: cookieOf(op) });
      ws.send({ op: 'subscribe', topic: `office:${urpId}:staff` });
      await ws.next((m) => m.op === 'subscribed');
      return ws;
    };
    let ws = await openConsole();
    const available = (await reception()).json.operators_available;
    assert.ok(available >= 1);
    // A citizen's waiting room hears the count drop.
    const q = await Ws.open(srv.url);
    q.send({ op: 'subscribe', topic: `office:${urpId}:queue` });
    await q.next((m) => m.op === 'subscribed');

    await closeTab(srv.url, ws);
    await advance(srv.url, 60);
    assert.equal((await reception()).json.operators_available, available, 'within the grace');
    await advance(srv.url, 31);
    assert.equal((await reception()).json.operators_available, available - 1);
    assert.equal((await op.get('/api/v1/session')).json.operator.presence, 'away');
    const status = await q.next((m) => m.op === 'event' && m.type === 'queue.status');
    assert.equal(status.data.operators_available, available - 1);

    // The console comes back (the network returned): the presence they had is given back.
    ws = await openConsole();
    assert.equal((await op.get('/api/v1/session')).json.operator.presence, 'available');
    assert.equal((await reception()).json.operators_available, available);
    // A presence chosen by hand is never overridden by a reconnection.
    await op.put('/api/v1/session/presence', { presence: 'away' });
    await closeTab(srv.url, ws);
    ws = await openConsole();
    assert.equal((await op.get('/api/v1/session')).json.operator.presence, 'away');
    await ws.close();
    await q.close();
  } finally {
    await srv.stop();
  }
});

if (backend === 'postgres') {
  test('[postgres] two nodes: a ghost on node A is swept once, its place given back on node B', async () => {
    const db = await freshDatabase();
    const a = await startServer({ db, now: NOW, extraArgs: ['--clock-control', 'true'] });
    const b = await startServer({ db, demo: false, now: NOW, extraArgs: ['--clock-control', 'true'] });
    try {
      await onDutyAt(a.url, 'operator');
      const ghost = await knock(a.url, { mode: 'chat', name: 'Gino' });
      const other = await knock(b.url, { mode: 'chat', name: 'Olga' });
      const gPage = await page(a.url, ghost);
      const oPage = await page(b.url, other); // Olga is connected to node B only
      const queue = await Ws.open(b.url);
      queue.send({ op: 'subscribe', topic: other.visit.queue_topic });
      await queue.next((m) => m.op === 'subscribed');
      await closeTab(a.url, gPage);
      // Both nodes sweep (each with its own clock, moved together).
      for (const s of [30, 31]) {
        await advance(b.url, s);
        await advance(a.url, s);
      }
      const left = await queue.next((m) => m.op === 'event' && m.type === 'queue.left');
      assert.equal(left.data.k, ghost.visit.knock_no);
      await queue.sync();
      assert.equal(queue.queue.filter((m) => m.type === 'queue.left').length, 0, 'swept once, not once per node');
      assert.equal((await view(a.url, other)).json.connected, true, "node A did not judge node B's client gone");
      // Gino comes back through node B.
      const again = await page(b.url, ghost);
      const joined = await queue.next((m) => m.op === 'event' && m.type === 'queue.joined');
      assert.equal(joined.data.k, ghost.visit.knock_no);
      assert.equal((await view(a.url, ghost)).json.position, 1);
      for (const w of [oPage, queue, again]) await w.close();
    } finally {
      await b.stop();
      await a.stop({ keepDb: false });
    }
  });
}

test(`[${backend}] "ci sei ancora?": a citizen idle long is asked; the answer keeps the place; no answer sets the entry aside (skipped, the page alone does not bring it back), then it leaves the line`, async () => {
  const srv = await startServer({ now: NOW, extraArgs: ['--clock-control', 'true'] });
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const ada = await knock(srv.url, { mode: 'chat', name: 'Ada' });
    const bice = await knock(srv.url, { mode: 'chat', name: 'Bice' });
    const aPage = await page(srv.url, ada);
    const bPage = await page(srv.url, bice);
    const queue = await Ws.open(srv.url);
    queue.send({ op: 'subscribe', topic: bice.visit.queue_topic });
    await queue.next((m) => m.op === 'subscribed');

    // Connected pages, no answer asked for yet: 15 minutes of waiting are not suspicious.
    await advance(srv.url, 899);
    assert.equal((await view(srv.url, ada)).json.still_there_asked_at, null);
    await advance(srv.url, 2);
    const asked = await aPage.next((m) => m.op === 'event' && m.type === 'visit.still_there');
    assert.ok(Date.parse(asked.data.answer_by) - Date.parse(asked.data.asked_at) === 180_000, JSON.stringify(asked.data));
    await bPage.next((m) => m.op === 'event' && m.type === 'visit.still_there');
    const a1 = (await view(srv.url, ada)).json;
    assert.deepEqual([a1.state, a1.connected, a1.position], ['waiting', true, 1]);
    assert.ok(a1.still_there_asked_at);
    // Staff see the open question.
    const seen = await op.get('/api/v1/enti/esempio/reception');
    const urp = seen.json.offices.find((o) => o.office.slug === 'urp');
    assert.ok(urp.waiting.find((w) => w.id === ada.visit.id).still_there_asked_at);

    // Bice answers in time: the question is closed, on every tab of hers.
    const yes = await new Client(srv.url).post(`/api/v1/visits/${bice.visit.id}/here`, {}, asCitizen(bice.token));
    assert.equal(yes.status, 200, yes.text);
    assert.deepEqual([yes.json.still_there_asked_at, yes.json.connected], [null, true]);
    await bPage.next((m) => m.op === 'event' && m.type === 'visit.here');
    // Only the citizen answers for herself.
    assert.equal((await op.post(`/api/v1/visits/${ada.visit.id}/here`)).status, 403);
    const noToken = await new Client(srv.url).post(`/api/v1/visits/${ada.visit.id}/here`, {});
    assert.ok([401, 403].includes(noToken.status), noToken.text);

    // Ada does not answer: after 3 minutes she is set aside although her page is open; Bice moves up.
    await advance(srv.url, 181);
    const left = await queue.next((m) => m.op === 'event' && m.type === 'queue.left');
    assert.deepEqual(left.data, { k: ada.visit.knock_no, why: 'unanswered' });
    const aside = await aPage.next((m) => m.op === 'event' && m.type === 'visit.set_aside');
    assert.equal(aside.data.reason, 'unanswered');
    assert.equal(Date.parse(aside.data.keep_place_until) - Date.parse(asked.data.asked_at), 600_000);
    const a2 = (await view(srv.url, ada)).json;
    assert.deepEqual([a2.state, a2.connected], ['waiting', false]);
    assert.equal((await view(srv.url, bice)).json.position, 1);
    assert.equal((await view(srv.url, bice)).json.still_there_asked_at, null, 'Bice answered: not asked again so soon');
    // The heartbeat of her open page does not bring her back; call-next skips her.
    await advance(srv.url, 30);
    assert.equal((await view(srv.url, ada)).json.connected, false);
    const next = await op.post('/api/v1/enti/esempio/offices/urp/admit-next');
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json.id, bice.visit.id);

    // She answers late but within her place's time: back at her place, told to the line.
    const late = await new Client(srv.url).post(`/api/v1/visits/${ada.visit.id}/here`, {}, asCitizen(ada.token));
    assert.equal(late.status, 200, late.text);
    assert.deepEqual([late.json.connected, late.json.position, late.json.still_there_asked_at], [true, 1, null]);
    const back = await queue.next((m) => m.op === 'event' && m.type === 'queue.joined');
    assert.deepEqual(back.data, { k: ada.visit.knock_no, why: 'back' });

    // Asked again after another idle stretch, she never answers: set aside, then out of the line.
    await advance(srv.url, 901);
    await aPage.next((m) => m.op === 'event' && m.type === 'visit.still_there');
    await advance(srv.url, 181);
    assert.equal((await view(srv.url, ada)).json.connected, false);
    await advance(srv.url, 420);
    const gone = (await view(srv.url, ada)).json;
    assert.deepEqual([gone.state, gone.ended_by], ['left', 'system']);
    const why = await aPage.next((m) => m.op === 'event' && m.type === 'visit.left');
    assert.deepEqual(why.data, { reason: 'unanswered' });
    const after = await new Client(srv.url).post(`/api/v1/visits/${ada.visit.id}/here`, {}, asCitizen(ada.token));
    assert.equal(after.status, 409, after.text);
    for (const w of [aPage, bPage, queue]) await w.close();
  } finally {
    await srv.stop();
  }
});
