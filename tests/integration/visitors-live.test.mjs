// The info point live and on the visitor's phone (issue 18) through the real binary: the topic
// `visitors:{ente}` pushes every registration, entry, exit and revocation to the info point
// (no personal data in the events), refuses whoever may not read the occupancy list, and ends
// when the operator stops being the info point or logs out; the phone pass page's API answers
// with the badge's data, the window and the state, guarded by the pass token only.
// Wednesday 25 November 2026, 09:30 in Rome; the clock stands still (--clock-control).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Client, Ws, cookieOf, backend } from './lib.mjs';

let srv, admin, op, mayor, collina, area, gate, topic;
const E = '/api/v1/enti/esempio';

const device = (token) => {
  const c = new Client(srv.url);
  const req = c.req.bind(c);
  c.req = (m, p, b, o = {}) => req(m, p, b, { ...o, headers: { authorization: `Bearer ${token}`, ...(o.headers || {}) } });
  return c;
};
const check = async (token, direction = 'in') => {
  const r = await gate.post('/api/v1/turnstile/check', { token, direction });
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const register = async (who, extra = {}) => {
  const r = await who.post(`${E}/visitors`, {
    first_name: 'Mario', last_name: 'Rossi', office: 'sociali', reason: 'Colloquio', expected_minutes: 30, ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const viewsCount = async () => (await admin.get(`${E}/visitors/views?days=1`)).json.views.length;

// A WebSocket of `client` subscribed to `t`: the server's answer (subscribed or error).
async function follow(client, t = topic) {
  const ws = await Ws.open(srv.url, { cookie: cookieOf(client) });
  ws.send({ op: 'subscribe', topic: t });
  const answer = await ws.next((m) => (m.op === 'subscribed' || m.op === 'error') && m.topic === t);
  return { ws, answer };
}
const changeOf = (ws, change) => ws.next((m) => m.op === 'event' && m.topic === topic && m.data.change === change);

before(async () => {
  srv = await startServer({ now: '2026-11-25T08:30:00Z', extraArgs: ['--clock-control', 'true'] });
  admin = await loggedIn(srv.url, 'admin');
  op = await loggedIn(srv.url, 'operator');
  mayor = await loggedIn(srv.url, 'mayor');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await admin.put(`${E}/visitors/settings`, { info_office: 'urp', retention_hours: 24 })).status, 200);
  const a = await admin.post(`${E}/visitor-areas`, { name: 'Servizi sociali', offices: ['sociali'] });
  assert.equal(a.status, 201, a.text);
  area = a.json;
  const t = await admin.post(`${E}/turnstiles`, { name: 'Porta sociali', area: area.id });
  assert.equal(t.status, 201, t.text);
  gate = device(t.json.token);
  const r = await op.get(`${E}/visitors/rights`);
  assert.equal(r.json.info_point, true);
  topic = r.json.topic;
  assert.match(topic, /^visitors:[^:]+$/);
});
after(async () => { await srv?.stop(); });

test(`[${backend}] the info point's topic: who may follow it`, async () => {
  // An operator of another office (not the info point) reads no occupancy list: no topic either.
  assert.equal((await mayor.get(`${E}/occupancy`)).status, 403);
  assert.equal((await mayor.get(`${E}/visitors/rights`)).json.topic, null);
  let s = await follow(mayor);
  assert.deepEqual([s.answer.op, s.answer.code], ['error', 'forbidden']);
  await s.ws.close();
  // Another ente's admin, and nobody signed in.
  s = await follow(collina);
  assert.deepEqual([s.answer.op, s.answer.code], ['error', 'forbidden']);
  await s.ws.close();
  s = await follow(new Client(srv.url));
  assert.equal(s.answer.op, 'error');
  await s.ws.close();
  // The info point's operator and the admin may.
  for (const who of [op, admin]) {
    s = await follow(who);
    assert.equal(s.answer.op, 'subscribed', JSON.stringify(s.answer));
    await s.ws.close();
  }
});

test(`[${backend}] registration, entry, exit and revocation are pushed, without personal data`, async () => {
  const { ws, answer } = await follow(op);
  assert.equal(answer.op, 'subscribed');
  const views = await viewsCount();

  const p = await register(op, { first_name: 'Lucia', last_name: 'Mondella' });
  let m = await changeOf(ws, 'registered');
  assert.equal(m.type, 'visitor.changed');
  assert.equal(m.data.id, p.visitor.id);
  assert.equal((await check(p.token, 'in')).allowed, true);
  assert.equal((await changeOf(ws, 'entered')).data.id, p.visitor.id);
  // The list read after the push shows them inside.
  const occ = (await op.get(`${E}/occupancy`)).json.areas.find((x) => x.id === area.id);
  assert.deepEqual(occ.inside.map((v) => v.last_name), ['Mondella']);
  assert.equal((await check(p.token, 'out')).allowed, true);
  await changeOf(ws, 'exited');
  // A refused check changes nothing: no push.
  assert.equal((await check(p.token, 'out')).reason, 'anti_passback');
  assert.equal((await op.post(`${E}/visitors/${p.visitor.id}/revoke`, {})).status, 200);
  await changeOf(ws, 'revoked');
  await ws.sync();
  const leaked = ws.queue.filter((x) => /Lucia|Mondella|Colloquio/.test(JSON.stringify(x)));
  assert.deepEqual(leaked, [], 'no personal data on the topic');
  assert.equal(ws.queue.filter((x) => x.op === 'event').length, 0, JSON.stringify(ws.queue));
  // The pushes are not views; the one read of the occupancy list is.
  assert.equal(await viewsCount(), views + 1);
  await ws.close();
});

test(`[${backend}] the subscription ends when the operator is no longer the info point, or logs out`, async () => {
  const a = await follow(op);
  const b = await follow(admin);
  assert.equal(a.answer.op, 'subscribed');
  // The info point moves to the mayor's office, which Giulia Rossi does not serve: refused at once.
  assert.equal((await admin.put(`${E}/visitors/settings`, { info_office: 'sindaco', retention_hours: 24 })).status, 200);
  const m = await a.ws.next((x) => x.op === 'revoked' && x.topic === topic);
  assert.equal(m.code, 'forbidden');
  await register(admin, { last_name: 'Dopo' });
  await b.ws.next((x) => x.op === 'event' && x.data.change === 'registered');
  await a.ws.sync();
  assert.equal(a.ws.queue.filter((x) => x.op === 'event').length, 0, 'nothing after the right ended');
  // The admin keeps it until they log out.
  assert.equal((await admin.del('/api/v1/session')).status, 204);
  assert.ok(['unauthorized', 'forbidden'].includes((await b.ws.next((x) => x.op === 'revoked' && x.topic === topic)).code));
  await a.ws.close();
  await b.ws.close();
  admin = await loggedIn(srv.url, 'admin');
  assert.equal((await admin.put(`${E}/visitors/settings`, { info_office: 'urp', retention_hours: 24 })).status, 200);
});

test(`[${backend}] the phone pass: the badge's data, the window and the state, by the token only`, async () => {
  const p = await register(op, { first_name: 'Renzo Maria', last_name: 'Tramaglino', document_type: 'Patente', document_number: 'U1234567X' });
  assert.equal(p.phone_url, `${srv.url}/esempio/pass#${p.token}`);
  assert.match(p.phone_qr_svg, /^<svg/);
  const anyone = new Client(srv.url);
  const view = async (token) => anyone.post('/api/v1/visitor-pass', { token });
  let r = await view(p.token);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    [r.json.first_name, r.json.destination, r.json.state, r.json.valid_until, r.json.ente.name],
    ['Renzo', 'Servizi sociali', 'valid', p.visitor.pass.valid_until, 'Comune di Esempio'],
  );
  assert.match(r.json.qr_svg, /^<svg/);
  for (const secret of ['Tramaglino', 'Maria', 'Patente', '567X', 'Colloquio', p.visitor.id]) {
    assert.ok(!r.text.includes(secret), `the phone pass does not show ${secret}`);
  }
  // The page shows the state as it moves.
  await check(p.token, 'in');
  r = await view(p.token);
  assert.deepEqual([r.json.state, r.json.inside_area], ['inside', 'Servizi sociali']);
  await check(p.token, 'out');
  assert.equal((await anyone.post('/api/v1/test/clock', { advance_seconds: 3601 })).status, 200);
  assert.equal((await view(p.token)).json.state, 'expired');
  // A replaced pass: the old token shows nothing; the new one shows the new window.
  const re = await op.post(`${E}/visitors/${p.visitor.id}/pass`, {});
  assert.equal(re.status, 200, re.text);
  assert.equal(re.json.phone_url, `${srv.url}/esempio/pass#${re.json.token}`);
  r = await view(p.token);
  assert.equal(r.status, 404);
  assert.equal(r.json.error.message, 'pass non trovato');
  assert.equal((await view(re.json.token)).json.state, 'valid');
  assert.equal((await op.post(`${E}/visitors/${p.visitor.id}/revoke`, {})).status, 200);
  assert.equal((await view(re.json.token)).json.state, 'revoked');
  // Bad input changes nothing and says why.
  r = await anyone.post('/api/v1/visitor-pass', {});
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'token');
  r = await anyone.post('/api/v1/visitor-pass', { token: 'x'.repeat(201) });
  assert.equal(r.status, 400);
  assert.equal((await view('nope')).status, 404);
  // The page itself is served at /{slug}/pass (the token stays in the fragment).
  const page = await fetch(`${srv.url}/esempio/pass`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
});
