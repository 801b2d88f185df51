// Virtual reception through the real binary: knock, waiting room (position from one queue
// broadcast), admit races, chat, signalling relayed only between the parties, TURN
// credentials, transfer, end, rating, offline messages, kiosks, and every refusal.
// Wednesday 25 November 2026, 15:30 in Rome: the demo URP has chat (Wed 14–17) and video open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, onDutyAt, Client, Ws, backend } from './lib.mjs';

let srv;
before(async () => {
  srv = await startServer({
    now: '2026-11-25T14:30:00Z',
    extraArgs: ['--turn-urls', 'turn:127.0.0.1:3478?transport=udp', '--turn-secret', 'north',
      '--knocks-per-address-per-hour', '0'],
  });
});
after(async () => { await srv?.stop(); });

const citizen = () => new Client(srv.url);
const asCitizen = (token) => ({ headers: { 'x-visit-token': token } });

const onDuty = (who) => onDutyAt(srv.url, who);

// Anagrafe receives only in the morning on Wednesdays: open it this afternoon too (a dated
// exception), so that it can take knocks and transfers in these tests.
async function openAnagrafeToday() {
  const admin = await loggedIn(srv.url, 'admin');
  const rec = await admin.get('/api/v1/enti/esempio/offices/anagrafe/reception');
  const path = `/api/v1/enti/esempio/offices/${rec.json.office.id}/schedule`;
  const sched = (await admin.get(path)).json;
  if (sched.exceptions.some((e) => e.date === '2026-11-25')) return;
  sched.exceptions.push({ date: '2026-11-25', closed: false, intervals: [{ start: '08:00', end: '19:00' }], channel: null, note: 'Apertura straordinaria' });
  const r = await admin.put(path, sched);
  assert.equal(r.status, 200, r.text);
}

async function knock(body = { mode: 'chat', name: 'Mario', topic: 'Residenza' }, office = 'urp') {
  const r = await citizen().post(`/api/v1/enti/esempio/offices/${office}/visits`, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Leaves every waiting visit of the URP empty-handed so each test starts from a clean line.
async function drain(op) {
  for (;;) {
    const r = await op.post('/api/v1/enti/esempio/offices/urp/admit-next');
    if (r.status === 404) return;
    assert.equal(r.status, 200, r.text);
    await op.post(`/api/v1/visits/${r.json.id}/end`, { outcome: 'abandoned' });
  }
}

test(`[${backend}] nobody on duty: knocking is refused as unstaffed, nothing stored`, async () => {
  const st = await citizen().get('/api/v1/enti/esempio/offices/urp/reception');
  assert.equal(st.status, 200);
  assert.equal(st.json.modes.chat.open, true);
  if (st.json.operators_available === 0) {
    const r = await citizen().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'chat' });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'unstaffed');
  }
});

test(`[${backend}] outside the hours of a channel: refused with the next opening`, async () => {
  await onDuty('mayor');
  // The mayor receives Tue and Thu 11–13: on Wednesday afternoon the office is closed.
  const r = await citizen().post('/api/v1/enti/esempio/offices/sindaco/visits', { mode: 'video' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'closed');
  assert.equal(r.json.error.next_opens_at, '2026-11-26T10:00:00Z');
  const bad = await citizen().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'fax' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'mode');
  const unknown = await citizen().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'chat', x: 1 });
  assert.equal(unknown.status, 400);
});

test(`[${backend}] widget status: public, readable from any site, framing only for embed_origins`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const site = 'https://www.comune.esempio.it';
  const before = (await admin.get('/api/v1/enti/esempio')).json.embed_origins ?? [];
  assert.equal((await admin.patch('/api/v1/enti/esempio', { embed_origins: [...before, site] })).status, 200);
  try {
    const ask = (offices, origin) =>
      citizen().get(`/api/v1/enti/esempio/widget?offices=${offices}`, origin ? { headers: { origin } } : {});
    const ok = await ask('urp,anagrafe', site);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    assert.equal(ok.json.framing, true);
    assert.deepEqual(ok.json.offices.map((o) => o.office.slug), ['urp', 'anagrafe']);
    // Wednesday 15:30: the URP receives (chat 14–17), the Anagrafe only in the morning.
    const [urp, anagrafe] = ok.json.offices;
    assert.equal(urp.open, true);
    assert.equal(urp.next_opens_at, null);
    assert.equal(anagrafe.open, false);
    assert.equal(anagrafe.can_knock, false);
    assert.ok(anagrafe.next_opens_at > '2026-11-25T14:30:00Z', anagrafe.next_opens_at);
    // can_knock is the reception's own answer (open and somebody on duty).
    const rec = await citizen().get('/api/v1/enti/esempio/offices/urp/reception');
    assert.equal(urp.can_knock, rec.json.can_knock.chat || rec.json.can_knock.video);
    // Nothing about who is waiting or who is on duty.
    assert.deepEqual(Object.keys(urp).sort(), ['can_knock', 'next_opens_at', 'office', 'open']);

    assert.equal((await ask('urp', 'https://altro.example')).json.framing, false, 'another site opens a new tab');
    assert.equal((await ask('urp')).json.framing, false);
    assert.equal((await ask('', site)).status, 400);
    assert.equal((await ask('urp,nessuno', site)).status, 404);
    assert.equal((await ask(Array.from({ length: 11 }, () => 'urp').join(','), site)).status, 400);
    assert.equal((await citizen().get('/api/v1/enti/nessuno/widget?offices=urp')).status, 404);
  } finally {
    await admin.patch('/api/v1/enti/esempio', { embed_origins: before });
  }
});

test(`[${backend}] waiting room: position from one queue broadcast, reload keeps the place`, async () => {
  const op = await onDuty('operator');
  await drain(op);
  const a = await knock();
  const b = await knock({ mode: 'video', channel: 'widget' });
  const c = await knock({ mode: 'chat' });
  assert.equal(a.visit.position, 1);
  assert.equal(b.visit.position, 2);
  assert.equal(c.visit.position, 3);
  assert.ok(c.visit.knock_no > b.visit.knock_no && b.visit.knock_no > a.visit.knock_no);
  assert.ok(c.visit.estimated_wait_ms > a.visit.estimated_wait_ms);
  assert.ok(!('token_hash' in c.visit));

  // "Reload": the same token gives the same place.
  const again = await citizen().get(`/api/v1/visits/${c.visit.id}`, asCitizen(c.token));
  assert.equal(again.status, 200);
  assert.equal(again.json.position, 3);

  // The client follows the queue topic from queue_seq and works out its own position.
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: again.json.queue_topic, since: again.json.queue_seq });
  await ws.next((m) => m.op === 'subscribed');
  let position = again.json.position;
  const apply = (m) => {
    if (m.data.k >= c.visit.knock_no) return;
    if (m.type === 'queue.joined') position += 1;
    if (m.type === 'queue.left') position -= 1;
  };
  const adm = await op.post('/api/v1/enti/esempio/offices/urp/admit-next');
  assert.equal(adm.status, 200);
  assert.equal(adm.json.id, a.visit.id, 'the oldest is admitted first');
  const left = await ws.next((m) => m.op === 'event' && m.type === 'queue.left');
  assert.deepEqual(left.data, { k: a.visit.knock_no, why: 'admitted' });
  assert.equal(Object.keys(left.data).length, 2, 'no personal data on the public topic');
  apply(left);
  const bLeaves = await citizen().post(`/api/v1/visits/${b.visit.id}/leave`, {}, asCitizen(b.token));
  assert.equal(bLeaves.status, 200);
  assert.equal(bLeaves.json.state, 'left');
  apply(await ws.next((m) => m.op === 'event' && m.type === 'queue.left'));
  assert.equal(position, 1);
  const now = await citizen().get(`/api/v1/visits/${c.visit.id}`, asCitizen(c.token));
  assert.equal(now.json.position, 1, 'the server agrees with the client');
  await ws.close();
  await drain(op);
  await op.post(`/api/v1/visits/${a.visit.id}/end`, { outcome: 'resolved' });
});

test(`[${backend}] tokens and offices guard every visit`, async () => {
  await onDuty('operator');
  const v = await knock();
  const c = citizen();
  assert.equal((await c.get(`/api/v1/visits/${v.visit.id}`)).status, 401, 'no token, no session');
  const made = await c.get(`/api/v1/visits/${v.visit.id}`, asCitizen('A'.repeat(52)));
  assert.equal(made.status, 404, 'a made-up token');
  const other = await knock();
  const cross = await c.get(`/api/v1/visits/${v.visit.id}`, asCitizen(other.token));
  assert.equal(cross.status, 404, "another visit's token");
  const mayor = await loggedIn(srv.url, 'mayor');
  assert.equal((await mayor.get(`/api/v1/visits/${v.visit.id}`)).status, 403, 'another office');
  assert.equal((await mayor.post(`/api/v1/visits/${v.visit.id}/admit`)).status, 403);
  const collina = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await collina.get(`/api/v1/visits/${v.visit.id}`)).status, 403, 'another ente');
  // A body where none is expected is refused, not ignored.
  const typo = await mayor.post(`/api/v1/visits/${v.visit.id}/leave`, { reason: 'x' }, asCitizen(v.token));
  assert.equal(typo.status, 400);
  assert.equal(typo.json.error.field, 'reason');
  // The citizen cannot act as staff.
  assert.equal((await c.post(`/api/v1/visits/${v.visit.id}/admit`, {}, asCitizen(v.token))).status, 403);
  // Nothing changed.
  const still = await c.get(`/api/v1/visits/${v.visit.id}`, asCitizen(v.token));
  assert.equal(still.json.state, 'waiting');
  await c.post(`/api/v1/visits/${v.visit.id}/leave`, {}, asCitizen(v.token));
  await c.post(`/api/v1/visits/${other.visit.id}/leave`, {}, asCitizen(other.token));
});

test(`[${backend}] two operators open the door at once: exactly one wins`, async () => {
  const op = await onDuty('operator');
  const sup = await onDuty('supervisor');
  for (let round = 0; round < 5; round++) {
    const v = await knock();
    const [r1, r2] = await Promise.all([
      op.post(`/api/v1/visits/${v.visit.id}/admit`),
      sup.post(`/api/v1/visits/${v.visit.id}/admit`),
    ]);
    const statuses = [r1.status, r2.status].sort();
    assert.deepEqual(statuses, [200, 409], `round ${round}: ${r1.text} / ${r2.text}`);
    const winner = r1.status === 200 ? r1 : r2;
    const loser = r1.status === 200 ? r2 : r1;
    assert.equal(loser.json.error.code, 'conflict');
    const seen = await citizen().get(`/api/v1/visits/${v.visit.id}`, asCitizen(v.token));
    assert.equal(seen.json.state, 'admitted');
    assert.equal(seen.json.operator.id, winner.json.operator.id);
    const who = winner === r1 ? op : sup;
    await who.post(`/api/v1/visits/${v.visit.id}/end`, { outcome: 'resolved' });
  }
});

test(`[${backend}] conversation: chat both ways over the visit topic, retries, read marks`, async () => {
  const op = await onDuty('operator');
  await drain(op);
  const v = await knock();
  const cws = await Ws.open(srv.url);
  cws.send({ op: 'subscribe', topic: `visit:${v.visit.id}`, token: v.token });
  await cws.next((m) => m.op === 'subscribed');
  const ows = await Ws.open(srv.url, { cookie: [...op.cookies].map(([k, x]) => `${k}=${x}`).join('; ') });
  ows.send({ op: 'subscribe', topic: `visit:${v.visit.id}` });
  await ows.next((m) => m.op === 'subscribed');

  const early = await citizen().post(`/api/v1/visits/${v.visit.id}/messages`, { body: 'ciao', client_id: 'x1' }, asCitizen(v.token));
  assert.equal(early.status, 409, 'no chat before admission');

  await op.post(`/api/v1/visits/${v.visit.id}/admit`);
  const admitted = await cws.next((m) => m.type === 'visit.admitted');
  assert.equal(admitted.data.operator.display_name, 'Giulia Rossi');

  const sent = await citizen().post(`/api/v1/visits/${v.visit.id}/messages`,
    { body: 'Buongiorno, è la prima volta <b>', client_id: 'c-1' }, asCitizen(v.token));
  assert.equal(sent.status, 201);
  assert.equal(sent.json.seq, 1);
  const retry = await citizen().post(`/api/v1/visits/${v.visit.id}/messages`,
    { body: 'Buongiorno, è la prima volta <b>', client_id: 'c-1' }, asCitizen(v.token));
  assert.equal(retry.json.seq, 1, 'a retry with the same client_id is the same message');
  const atOperator = await ows.next((m) => m.type === 'message');
  assert.equal(atOperator.data.body, 'Buongiorno, è la prima volta <b>');
  assert.equal(atOperator.data.from, 'citizen');

  const reply = await op.post(`/api/v1/visits/${v.visit.id}/messages`, { body: 'Mi dica pure', client_id: 'o-1' });
  assert.equal(reply.status, 201, reply.text);
  const atCitizen = await cws.next((m) => m.type === 'message' && m.data.from === 'operator');
  assert.equal(atCitizen.data.seq, 2);
  assert.equal(atCitizen.data.operator.display_name, 'Giulia Rossi');

  const read = await citizen().post(`/api/v1/visits/${v.visit.id}/read`, { seq: 99 }, asCitizen(v.token));
  assert.equal(read.status, 204);
  const mark = await ows.next((m) => m.type === 'read');
  assert.deepEqual(mark.data, { by: 'citizen', seq: 2 });

  const sup = await loggedIn(srv.url, 'supervisor');
  const notParty = await sup.post(`/api/v1/visits/${v.visit.id}/messages`, { body: 'intruso' });
  assert.equal(notParty.status, 403, 'only the admitted operator writes');
  const transcript = await sup.get(`/api/v1/visits/${v.visit.id}/messages`);
  assert.equal(transcript.status, 200, 'staff of the office read the transcript');
  assert.deepEqual(transcript.json.messages.map((m) => m.seq), [1, 2]);
  const empty = await citizen().post(`/api/v1/visits/${v.visit.id}/messages`, { body: '' }, asCitizen(v.token));
  assert.equal(empty.status, 400);
  const long = await citizen().post(`/api/v1/visits/${v.visit.id}/messages`, { body: 'x'.repeat(2001) }, asCitizen(v.token));
  assert.equal(long.status, 400);

  // Reconnect with the last seq: nothing missed, nothing twice.
  await cws.close();
  await op.post(`/api/v1/visits/${v.visit.id}/messages`, { body: 'È ancora lì?', client_id: 'o-2' });
  const back = await Ws.open(srv.url);
  back.send({ op: 'subscribe', topic: `visit:${v.visit.id}`, token: v.token, since: atCitizen.seq });
  const replayed = await back.next((m) => m.type === 'message');
  assert.equal(replayed.data.body, 'È ancora lì?');
  await back.sync();
  assert.equal(back.queue.filter((m) => m.type === 'message').length, 0);

  const end = await op.post(`/api/v1/visits/${v.visit.id}/end`, { outcome: 'resolved' });
  assert.equal(end.status, 200);
  const ended = await back.next((m) => m.type === 'visit.ended');
  assert.deepEqual(ended.data, { by: 'operator', outcome: 'resolved' });
  const late = await op.post(`/api/v1/visits/${v.visit.id}/messages`, { body: 'dopo' });
  assert.equal(late.status, 409);
  await back.close();
  await ows.close();
});

test(`[${backend}] signalling is relayed only between the two parties; TURN only for them`, async () => {
  const op = await onDuty('operator');
  await drain(op);
  const v = await knock({ mode: 'video' });
  const topic = `visit:${v.visit.id}`;
  const cookieOf = (c) => [...c.cookies].map(([k, x]) => `${k}=${x}`).join('; ');
  const cws = await Ws.open(srv.url);
  cws.send({ op: 'subscribe', topic, token: v.token });
  await cws.next((m) => m.op === 'subscribed');
  const ows = await Ws.open(srv.url, { cookie: cookieOf(op) });
  ows.send({ op: 'subscribe', topic });
  await ows.next((m) => m.op === 'subscribed');
  const sup = await onDuty('supervisor');
  const sws = await Ws.open(srv.url, { cookie: cookieOf(sup) });
  sws.send({ op: 'subscribe', topic });
  await sws.next((m) => m.op === 'subscribed');

  // Before admission nobody may signal, and no TURN credentials are given.
  cws.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0' } });
  assert.equal((await cws.next((m) => m.op === 'error')).code, 'conflict');
  assert.equal((await citizen().get(`/api/v1/visits/${v.visit.id}/ice`, asCitizen(v.token))).status, 403);

  await op.post(`/api/v1/visits/${v.visit.id}/admit`);
  await cws.next((m) => m.type === 'visit.admitted');

  ows.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 offer' } });
  const offer = await cws.next((m) => m.op === 'signal');
  assert.deepEqual(offer, { op: 'signal', topic, from: 'operator', data: { kind: 'offer', sdp: 'v=0 offer' } });
  // A claimed sender in the payload is ignored: the identity comes from the connection.
  cws.send({ op: 'signal', topic, from: 'operator', data: { kind: 'answer', sdp: 'v=0 answer' } });
  const answer = await ows.next((m) => m.op === 'signal');
  assert.equal(answer.from, 'citizen');
  cws.send({ op: 'signal', topic, data: { kind: 'ice', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } } });
  assert.equal((await ows.next((m) => m.op === 'signal')).data.kind, 'ice');

  // Another staff member of the office follows the topic but is not a party.
  sws.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 intruder' } });
  assert.equal((await sws.next((m) => m.op === 'error')).code, 'forbidden');
  // A connection that never subscribed with the visit's token.
  const stranger = await Ws.open(srv.url);
  stranger.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'v=0 stranger' } });
  assert.equal((await stranger.next((m) => m.op === 'error')).code, 'forbidden');
  stranger.send({ op: 'subscribe', topic, token: 'made-up' });
  assert.equal((await stranger.next((m) => m.op === 'error')).code, 'not_found');
  // Malformed and oversized.
  cws.send({ op: 'signal', topic, data: { kind: 'offer', sdp: 'x'.repeat(17 * 1024) } });
  assert.equal((await cws.next((m) => m.op === 'error')).code, 'invalid');
  cws.send({ op: 'signal', topic, data: { kind: 'exec', cmd: 'rm' } });
  assert.equal((await cws.next((m) => m.op === 'error')).code, 'invalid');
  // Nothing of that reached the citizen or the operator.
  await cws.sync();
  await ows.sync();
  assert.equal(cws.queue.filter((m) => m.op === 'signal').length, 0);
  assert.equal(ows.queue.filter((m) => m.op === 'signal').length, 0);

  // TURN REST credentials, only for the parties.
  const ice = await citizen().get(`/api/v1/visits/${v.visit.id}/ice`, asCitizen(v.token));
  assert.equal(ice.status, 200);
  const [server] = ice.json.ice_servers;
  assert.deepEqual(server.urls, ['turn:127.0.0.1:3478?transport=udp']);
  const [expiry, name] = server.username.split(':');
  assert.equal(name, v.visit.id);
  const realNow = Math.floor(Date.now() / 1000);
  assert.ok(Number(expiry) > realNow && Number(expiry) <= realNow + 601, 'short TTL on the real clock');
  const { createHmac } = await import('node:crypto');
  assert.equal(server.credential, createHmac('sha1', 'north').update(server.username).digest('base64'));
  assert.equal((await op.get(`/api/v1/visits/${v.visit.id}/ice`)).status, 200);
  assert.equal((await sup.get(`/api/v1/visits/${v.visit.id}/ice`)).status, 403);

  await op.post(`/api/v1/visits/${v.visit.id}/end`, { outcome: 'resolved' });
  ows.send({ op: 'signal', topic, data: { kind: 'bye' } });
  assert.equal((await ows.next((m) => m.op === 'error')).code, 'conflict', 'after the end');
  for (const w of [cws, ows, sws, stranger]) await w.close();
});

test(`[${backend}] "sta scrivendo…": relayed between the two parties only, never stored, no error when nobody hears it`, async () => {
  const op = await onDuty('operator');
  await drain(op);
  const v = await knock({ mode: 'chat' });
  const topic = `visit:${v.visit.id}`;
  const cookieOf = (c) => [...c.cookies].map(([k, x]) => `${k}=${x}`).join('; ');
  const cws = await Ws.open(srv.url);
  cws.send({ op: 'subscribe', topic, token: v.token });
  await cws.next((m) => m.op === 'subscribed');
  // Waiting: not yet a conversation, nobody to tell.
  cws.send({ op: 'signal', topic, data: { kind: 'typing', active: true } });
  assert.equal((await cws.next((m) => m.op === 'error')).code, 'conflict');

  await op.post(`/api/v1/visits/${v.visit.id}/admit`);
  await cws.next((m) => m.type === 'visit.admitted');
  // The operator's page is not connected: the hint is lost without an error to the citizen.
  cws.send({ op: 'signal', topic, data: { kind: 'typing', active: true } });
  await cws.sync();
  assert.equal(cws.queue.filter((m) => m.op === 'error').length, 0, JSON.stringify(cws.queue));

  const ows = await Ws.open(srv.url, { cookie: cookieOf(op) });
  ows.send({ op: 'subscribe', topic });
  await ows.next((m) => m.op === 'subscribed');
  const sup = await onDuty('supervisor');
  const sws = await Ws.open(srv.url, { cookie: cookieOf(sup) });
  sws.send({ op: 'subscribe', topic });
  await sws.next((m) => m.op === 'subscribed');

  cws.send({ op: 'signal', topic, data: { kind: 'typing', active: true } });
  assert.deepEqual(await ows.next((m) => m.op === 'signal'), { op: 'signal', topic, from: 'citizen', data: { kind: 'typing', active: true } });
  ows.send({ op: 'signal', topic, data: { kind: 'typing', active: false } });
  assert.deepEqual(await cws.next((m) => m.op === 'signal'), { op: 'signal', topic, from: 'operator', data: { kind: 'typing', active: false } });
  // A colleague following the topic neither hears it nor may send it.
  sws.send({ op: 'signal', topic, data: { kind: 'typing', active: true } });
  assert.equal((await sws.next((m) => m.op === 'error')).code, 'forbidden');
  // Malformed: no state, or a field that is not its own.
  cws.send({ op: 'signal', topic, data: { kind: 'typing' } });
  assert.equal((await cws.next((m) => m.op === 'error')).code, 'invalid');
  cws.send({ op: 'signal', topic, data: { kind: 'typing', active: true, body: 'ciao' } });
  assert.equal((await cws.next((m) => m.op === 'error')).code, 'invalid');
  await sws.sync();
  assert.equal(sws.queue.filter((m) => m.op === 'signal').length, 0);
  // Nothing of it is in the conversation.
  const msgs = await op.get(`/api/v1/visits/${v.visit.id}/messages`);
  assert.equal(msgs.json.messages.length, 0);

  await op.post(`/api/v1/visits/${v.visit.id}/end`, { outcome: 'resolved' });
  for (const w of [cws, ows, sws]) await w.close();
});

test(`[${backend}] one video call at a time per operator, several chats`, async () => {
  const op = await onDuty('operator');
  await drain(op);
  const a = await knock({ mode: 'chat' });
  const b = await knock({ mode: 'chat' });
  assert.equal((await op.post(`/api/v1/visits/${a.visit.id}/admit`)).status, 200);
  assert.equal((await op.post(`/api/v1/visits/${b.visit.id}/admit`)).status, 200, 'two chats at once');
  const callA = await citizen().post(`/api/v1/visits/${a.visit.id}/call`, {}, asCitizen(a.token));
  assert.equal(callA.status, 200);
  assert.equal(callA.json.call, 'active');
  const callB = await op.post(`/api/v1/visits/${b.visit.id}/call`);
  assert.equal(callB.status, 409);
  const propose = await op.post(`/api/v1/visits/${b.visit.id}/call/propose`);
  assert.equal(propose.status, 204);
  const hang = await op.del(`/api/v1/visits/${a.visit.id}/call`);
  assert.equal(hang.json.call, 'none');
  const accept = await citizen().post(`/api/v1/visits/${b.visit.id}/call`, {}, asCitizen(b.token));
  assert.equal(accept.json.call, 'active');
  // A video knock cannot be admitted while a call is on.
  const c = await knock({ mode: 'video' });
  assert.equal((await op.post(`/api/v1/visits/${c.visit.id}/admit`)).status, 409);
  for (const v of [a, b]) await op.post(`/api/v1/visits/${v.visit.id}/end`, { outcome: 'resolved' });
  assert.equal((await op.post(`/api/v1/visits/${c.visit.id}/admit`)).status, 200);
  await op.post(`/api/v1/visits/${c.visit.id}/end`, { outcome: 'resolved' });
});

test(`[${backend}] transfer keeps the knock time; reject with a reason; end and rate once`, async () => {
  const op = await onDuty('operator');
  await drain(op);
  await openAnagrafeToday();
  const first = await knock({ mode: 'chat', name: 'Anna' });
  const ana = await knock({ mode: 'video' }, 'anagrafe');
  assert.equal(ana.visit.position, 1);
  assert.equal((await op.post(`/api/v1/visits/${first.visit.id}/admit`)).status, 200);
  const moved = await op.post(`/api/v1/visits/${first.visit.id}/transfer`, { office: 'anagrafe' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.office.slug, 'anagrafe');
  assert.equal(moved.json.state, 'waiting');
  assert.equal(moved.json.knock_no, first.visit.knock_no);
  assert.equal(moved.json.position, 1, 'ahead of a later knock at the new office');
  const later = await citizen().get(`/api/v1/visits/${ana.visit.id}`, asCitizen(ana.token));
  assert.equal(later.json.position, 2);
  const sys = await citizen().get(`/api/v1/visits/${first.visit.id}/messages`, asCitizen(first.token));
  assert.equal(sys.json.messages.at(-1).from, 'system');
  assert.equal((await op.post(`/api/v1/visits/${first.visit.id}/transfer`, { office: 'nowhere' })).status, 400);

  const rej = await op.post(`/api/v1/visits/${ana.visit.id}/reject`, { reason: "Serve l'appuntamento allo sportello" });
  assert.equal(rej.status, 200);
  const seen = await citizen().get(`/api/v1/visits/${ana.visit.id}`, asCitizen(ana.token));
  assert.equal(seen.json.state, 'rejected');
  assert.equal(seen.json.reject_reason, "Serve l'appuntamento allo sportello");
  assert.equal((await op.post(`/api/v1/visits/${ana.visit.id}/reject`, { reason: 'x' })).status, 409);

  assert.equal((await op.post(`/api/v1/visits/${first.visit.id}/admit`)).status, 200);
  const early = await citizen().post(`/api/v1/visits/${first.visit.id}/rating`, { score: 'positive' }, asCitizen(first.token));
  assert.equal(early.status, 409, 'no rating before the end');
  const noOutcome = await op.post(`/api/v1/visits/${first.visit.id}/end`, {});
  assert.equal(noOutcome.status, 400);
  const byCitizen = await citizen().post(`/api/v1/visits/${first.visit.id}/end`, {}, asCitizen(first.token));
  assert.equal(byCitizen.json.state, 'ended');
  assert.equal(byCitizen.json.ended_by, 'citizen');
  const outcome = await op.post(`/api/v1/visits/${first.visit.id}/end`, { outcome: 'needs_callback' });
  assert.equal(outcome.json.outcome, 'needs_callback', 'the operator records the outcome afterwards');
  const badReasons = await citizen().post(`/api/v1/visits/${first.visit.id}/rating`,
    { score: 'positive', reasons: ['courtesy'] }, asCitizen(first.token));
  assert.equal(badReasons.status, 400);
  const rate = await citizen().post(`/api/v1/visits/${first.visit.id}/rating`,
    { score: 'negative', reasons: ['waiting_time', 'not_solved'], comment: 'Attesa lunga' }, asCitizen(first.token));
  assert.equal(rate.status, 204, rate.text);
  const twice = await citizen().post(`/api/v1/visits/${first.visit.id}/rating`, { score: 'positive' }, asCitizen(first.token));
  assert.equal(twice.status, 409);
  const ended = await op.get('/api/v1/enti/esempio/offices/anagrafe/visits?state=ended');
  const mine = ended.json.visits.find((x) => x.id === first.visit.id);
  assert.deepEqual(mine.rating, { score: 'negative', reasons: ['waiting_time', 'not_solved'], comment: 'Attesa lunga' });
});

test(`[${backend}] offline message: stored, shown to the office's staff, live, with a code`, async () => {
  const op = await onDuty('operator');
  const cookie = [...op.cookies].map(([k, x]) => `${k}=${x}`).join('; ');
  const rec = await citizen().get('/api/v1/enti/esempio/offices/urp/reception');
  const officeId = rec.json.office.id;
  const ws = await Ws.open(srv.url, { cookie });
  ws.send({ op: 'subscribe', topic: `office:${officeId}:staff` });
  await ws.next((m) => m.op === 'subscribed');

  const bad = [
    [{ name: 'Lucia', contact: 'lucia@example.it', message: 'Richiamatemi' }, 'privacy_accepted'],
    [{ name: 'Lucia', contact: 'lucia@example.it', message: 'x', privacy_accepted: false }, 'privacy_accepted'],
    [{ name: 'Lucia', contact: 'non so', message: 'x', privacy_accepted: true }, 'contact'],
    [{ name: '', contact: '333 1234567', message: 'x', privacy_accepted: true }, 'name'],
  ];
  for (const [body, field] of bad) {
    const r = await citizen().post('/api/v1/enti/esempio/offices/urp/callback-requests', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  const r = await citizen().post('/api/v1/enti/esempio/offices/urp/callback-requests',
    { name: 'Lucia Verdi', contact: '+39 333 1234567', message: 'Vorrei sapere se posso\nrinnovare la carta.', privacy_accepted: true });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const live = await ws.next((m) => m.type === 'callback.created');
  assert.equal(live.data.code, r.json.code);

  const list = await op.get('/api/v1/enti/esempio/callback-requests?office=urp');
  const found = list.json.callback_requests.find((x) => x.code === r.json.code);
  assert.equal(found.name, 'Lucia Verdi');
  assert.equal(found.message, 'Vorrei sapere se posso\nrinnovare la carta.');
  const mayor = await loggedIn(srv.url, 'mayor');
  const notMine = await mayor.get('/api/v1/enti/esempio/callback-requests');
  assert.ok(!notMine.json.callback_requests.some((x) => x.code === r.json.code), 'other offices do not see it');
  assert.equal((await mayor.post(`/api/v1/enti/esempio/callback-requests/${found.id}/done`, {})).status, 403);
  const done = await op.post(`/api/v1/enti/esempio/callback-requests/${found.id}/done`, { note: 'Richiamata alle 16' });
  assert.equal(done.status, 200);
  assert.equal(done.json.state, 'done');
  assert.equal(done.json.done_by, 'Giulia Rossi');
  assert.equal((await op.post(`/api/v1/enti/esempio/callback-requests/${found.id}/done`, {})).status, 409);
  await ws.close();
});

test(`[${backend}] kiosks: registered by an admin, authenticated by a device token`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const op = await onDuty('operator');
  await drain(op);
  assert.equal((await op.post('/api/v1/enti/esempio/kiosks', { name: 'x', office: 'urp' })).status, 403, 'admins only');
  const k = await admin.post('/api/v1/enti/esempio/kiosks', { name: 'Totem centro commerciale', office: 'urp' });
  assert.equal(k.status, 201, k.text);
  assert.equal(k.json.url, `/kiosk/${k.json.kiosk.id}#token=${k.json.token}`);
  const list = await admin.get('/api/v1/enti/esempio/kiosks');
  assert.ok(!JSON.stringify(list.json).includes(k.json.token), 'the token is shown only once');

  const device = { headers: { authorization: `Bearer ${k.json.token}` } };
  assert.equal((await citizen().get('/api/v1/kiosk')).status, 401);
  assert.equal((await citizen().get('/api/v1/kiosk', { headers: { authorization: 'Bearer nope' } })).status, 401);
  const home = await citizen().get('/api/v1/kiosk', device);
  assert.equal(home.status, 200);
  assert.equal(home.json.office.slug, 'urp');
  assert.equal(home.json.reception.can_knock.video, true);
  const visit = await citizen().post('/api/v1/kiosk/visits', {}, device);
  assert.equal(visit.status, 201, visit.text);
  assert.equal(visit.json.visit.channel, 'kiosk');
  assert.equal(visit.json.visit.mode, 'video');
  const seen = (await admin.get('/api/v1/enti/esempio/kiosks')).json.kiosks.find((x) => x.id === k.json.kiosk.id);
  assert.ok(seen.last_seen_at);

  const renewed = await admin.post(`/api/v1/enti/esempio/kiosks/${k.json.kiosk.id}/token`);
  assert.equal((await citizen().get('/api/v1/kiosk', device)).status, 401, 'the old token stops working');
  const fresh = { headers: { authorization: `Bearer ${renewed.json.token}` } };
  assert.equal((await citizen().get('/api/v1/kiosk', fresh)).status, 200);
  assert.equal((await admin.del(`/api/v1/enti/esempio/kiosks/${k.json.kiosk.id}`)).status, 204);
  assert.equal((await citizen().get('/api/v1/kiosk', fresh)).status, 401, 'deactivated');
  await drain(op);
});

test(`[${backend}] presence changes are announced on the queue topic; console lists`, async () => {
  const op = await onDuty('operator');
  const rec = await citizen().get('/api/v1/enti/esempio/offices/anagrafe/reception');
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: rec.json.queue_topic });
  await ws.next((m) => m.op === 'subscribed');
  await op.put('/api/v1/session/presence', { presence: 'away' });
  const st = await ws.next((m) => m.type === 'queue.status');
  assert.equal(typeof st.data.operators_available, 'number');
  await op.put('/api/v1/session/presence', { presence: 'available' });
  const st2 = await ws.next((m) => m.type === 'queue.status');
  assert.equal(st2.data.operators_available, st.data.operators_available + 1);
  await openAnagrafeToday();
  const v = await knock({ mode: 'video', name: 'Pia' }, 'anagrafe');
  const con = await op.get('/api/v1/enti/esempio/reception');
  assert.equal(con.status, 200);
  const ana = con.json.offices.find((o) => o.office.slug === 'anagrafe');
  assert.ok(ana.waiting.some((x) => x.id === v.visit.id && x.name === 'Pia'));
  assert.ok(!con.json.offices.some((o) => o.office.slug === 'sindaco'), "only the operator's offices");
  await citizen().post(`/api/v1/visits/${v.visit.id}/leave`, {}, asCitizen(v.token));
  await ws.close();
});
