// The workspace's context and the supervisors' wall through the real binary (issues 13, 16):
// internal notes on a contact (staff of its office only, never the citizen, carried into the
// case opened from the contact), the per-office target wait, the wall's figures by channel
// (knocks, tickets, appointments, callbacks) with the alert past the target, and the
// supervisors' topic — authorised per subscription, revoked when the supervisor is demoted or
// deactivated. Wednesday 25 November 2026, 15:30 in Rome (URP chat is open), clock control.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, onDutyAt, cookieOf, Client, Ws, backend } from './lib.mjs';

const base = '/api/v1/enti/esempio';
const NOW = '2026-11-25T14:30:00Z';

async function urpId(url) {
  return (await new Client(url).get(`${base}/offices/urp/reception`)).json.office.id;
}

// A citizen knocks by chat and keeps the page open (in line only while connected).
async function knock(url, name) {
  const r = await new Client(url).post(`${base}/offices/urp/visits`, { mode: 'chat', name, topic: `Domanda di ${name}` });
  assert.equal(r.status, 201, r.text);
  const ws = await Ws.open(url);
  ws.send({ op: 'subscribe', topic: `visit:${r.json.visit.id}`, token: r.json.token });
  await ws.next((m) => m.op === 'subscribed');
  return { id: r.json.visit.id, token: r.json.token, ws };
}

async function advance(url, seconds) {
  const r = await fetch(url + '/api/v1/test/clock', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance_seconds: seconds }),
  });
  assert.equal(r.status, 200, await r.text());
}

test(`[${backend}] internal notes: staff of the office only, never the citizen, and they go with the case`, async () => {
  const srv = await startServer({ now: NOW });
  const sockets = [];
  try {
    const op = await onDutyAt(srv.url, 'operator');
    const mayor = await loggedIn(srv.url, 'mayor');
    const k = await knock(srv.url, 'Nora Nota');
    sockets.push(k.ws);
    assert.equal((await op.post(`/api/v1/visits/${k.id}/admit`, {})).status, 200);

    // Bad input changes nothing.
    for (const body of [{}, { body: '' }, { body: '   ' }, { body: 'x'.repeat(2001) }, { body: 'ok', extra: 1 }]) {
      const r = await op.post(`/api/v1/visits/${k.id}/notes`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 40)} → ${r.text}`);
    }
    const r1 = await op.post(`/api/v1/visits/${k.id}/notes`, { body: 'Ha già presentato la domanda a ottobre' });
    assert.equal(r1.status, 201, r1.text);
    assert.equal(r1.json.author.display_name, 'Giulia Rossi');
    const r2 = await op.post(`/api/v1/visits/${k.id}/notes`, { body: 'Richiede copia\nconforme' });
    assert.equal(r2.status, 201, r2.text);
    const list = await op.get(`/api/v1/visits/${k.id}/notes`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.notes.map((n) => n.body), ['Ha già presentato la domanda a ottobre', 'Richiede copia\nconforme']);

    // The citizen, with their own token: refused, and nothing of the notes on their topic.
    const citizen = new Client(srv.url);
    const asCitizen = await citizen.get(`/api/v1/visits/${k.id}/notes`, { headers: { 'X-Visit-Token': k.token } });
    assert.equal(asCitizen.status, 403, asCitizen.text);
    const write = await citizen.post(`/api/v1/visits/${k.id}/notes`, { body: 'io' }, { headers: { 'X-Visit-Token': k.token } });
    assert.equal(write.status, 403, write.text);
    assert.equal((await op.post(`/api/v1/visits/${k.id}/messages`, { body: 'Buongiorno', client_id: 'm1' })).status, 201);
    await k.ws.next((m) => m.type === 'message' && m.data.body === 'Buongiorno');
    await k.ws.sync();
    assert.deepEqual(k.ws.queue.filter((m) => JSON.stringify(m).includes('ottobre')), [], 'a note reached the citizen');
    // Staff of another office (the mayor's secretary serves only the Sindaco): refused.
    assert.equal((await mayor.get(`/api/v1/visits/${k.id}/notes`)).status, 403);
    // Nobody signed in: refused.
    assert.equal((await new Client(srv.url).get(`/api/v1/visits/${k.id}/notes`)).status, 401);

    // Ended, a case opened from the visit takes the notes into its timeline, and is found by visit.
    assert.equal((await op.post(`/api/v1/visits/${k.id}/end`, { outcome: 'resolved' })).status, 200);
    const c = await op.post(`${base}/cases`, { visit: k.id, subject: 'Copia conforme' });
    assert.equal(c.status, 201, c.text);
    const detail = await op.get(`/api/v1/cases/${c.json.case.id}`);
    const notes = detail.json.timeline.filter((e) => e.kind === 'note_internal').map((e) => e.text ?? e.body);
    assert.deepEqual(notes, ['Ha già presentato la domanda a ottobre', 'Richiede copia\nconforme'], JSON.stringify(detail.json.timeline));
    assert.ok(detail.json.timeline.filter((e) => e.kind === 'note_internal').every((e) => !e.public));
    const byVisit = await op.get(`${base}/cases?visit=${k.id}`);
    assert.deepEqual(byVisit.json.cases.map((x) => x.code), [c.json.case.code]);

    // "Da richiamare" too: the end hook's case carries the notes taken before the end.
    const k2 = await knock(srv.url, 'Olga Richiamo');
    sockets.push(k2.ws);
    assert.equal((await op.post(`/api/v1/visits/${k2.id}/admit`, {})).status, 200);
    assert.equal((await op.post(`/api/v1/visits/${k2.id}/notes`, { body: 'Chiamare dopo le 17' })).status, 201);
    const end = await op.post(`/api/v1/visits/${k2.id}/end`, { outcome: 'needs_callback', callback: { phone: '+39 333 1112223' } });
    assert.equal(end.status, 200, end.text);
    const cb = await op.get(`${base}/cases?visit=${k2.id}`);
    assert.equal(cb.json.cases.length, 1);
    const d2 = await op.get(`/api/v1/cases/${cb.json.cases[0].id}`);
    assert.ok(d2.json.timeline.some((e) => e.kind === 'note_internal' && (e.text ?? e.body) === 'Chiamare dopo le 17'), JSON.stringify(d2.json.timeline));
  } finally {
    for (const s of sockets) s.close();
    await srv.stop();
  }
});

test(`[${backend}] the target wait: per office else the ente, 1..480 minutes, supervisors and admins only`, async () => {
  const srv = await startServer({ now: NOW });
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const sup = await loggedIn(srv.url, 'supervisor');
    const op = await loggedIn(srv.url, 'operator');
    const path = `${base}/offices/urp/contact-settings`;
    for (const v of [0, 481, 'dieci', 2.5]) {
      const r = await sup.put(path, { max_chats: null, auto_assign: null, target_wait_minutes: v });
      assert.equal(r.status, 400, `${v} → ${r.text}`);
      assert.equal(r.json.error.field, 'target_wait_minutes');
    }
    assert.equal((await op.put(path, { max_chats: null, auto_assign: null, target_wait_minutes: 5 })).status, 403);
    assert.equal((await sup.get(path)).json.target_wait_minutes, null);
    // The ente's (admins) applies to an office without its own.
    assert.equal((await admin.put(`${base}/contact-settings`, { max_chats: null, auto_assign: null, target_wait_minutes: 20 })).status, 200);
    assert.equal((await sup.get(path)).json.effective.target_wait_minutes, 20);
    const r = await sup.put(path, { max_chats: 3, auto_assign: null, target_wait_minutes: 5 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.target_wait_minutes, 5);
    assert.equal(r.json.effective.target_wait_minutes, 5);
    // Without the field (an older client) the stored target stays.
    const kept = await sup.put(path, { max_chats: 4, auto_assign: null });
    assert.equal(kept.json.target_wait_minutes, 5);
    assert.equal(kept.json.max_chats, 4);
    // null unsets it: the ente's again.
    const unset = await sup.put(path, { max_chats: null, auto_assign: null, target_wait_minutes: null });
    assert.equal(unset.json.target_wait_minutes, null);
    assert.equal(unset.json.effective.target_wait_minutes, 20);
  } finally {
    await srv.stop();
  }
});

test(`[${backend}] the wall: waiting by channel, longest wait against the target, desks and presence; supervisors only`, async () => {
  const srv = await startServer({ now: NOW, extraArgs: ['--clock-control', 'true'] });
  const sockets = [];
  try {
    const sup = await loggedIn(srv.url, 'supervisor');
    const op = await onDutyAt(srv.url, 'operator');
    const urp = await urpId(srv.url);
    assert.equal((await op.get(`${base}/wall`)).status, 403);
    assert.equal((await new Client(srv.url).get(`${base}/wall`)).status, 401);
    const badSite = await sup.get(`${base}/wall?site=nessuna`);
    assert.equal(badSite.status, 400, badSite.text);
    assert.equal(badSite.json.error.field, 'site');

    assert.equal((await sup.put(`${base}/offices/urp/contact-settings`, { max_chats: null, auto_assign: null, target_wait_minutes: 1 })).status, 200);
    const before = (await sup.get(`${base}/wall`)).json;
    const tile0 = before.offices.find((o) => o.id === urp);
    assert.equal(tile0.total, 0);
    assert.equal(tile0.over_target, false);
    assert.equal(tile0.target_wait_minutes, 1);

    // The supervisors' topic: an operator is refused, a supervisor follows desks opening.
    const opWs = await Ws.open(srv.url, { cookie: cookieOf(op) });
    sockets.push(opWs);
    opWs.send({ op: 'subscribe', topic: 'ente:esempio:supervision' });
    const refused = await opWs.next((m) => m.op === 'error' || m.op === 'subscribed');
    assert.equal(refused.op, 'error', JSON.stringify(refused));
    const supWs = await Ws.open(srv.url, { cookie: cookieOf(sup) });
    sockets.push(supWs);
    supWs.send({ op: 'subscribe', topic: 'ente:esempio:supervision' });
    await supWs.next((m) => m.op === 'subscribed');

    // Two knocks, a hall ticket of a URP service, a desk.
    const a = await knock(srv.url, 'Anna Parete');
    const b = await knock(srv.url, 'Bruno Parete');
    sockets.push(a.ws, b.ws);
    const sites = (await sup.get(`${base}/sites`)).json;
    const site = (Array.isArray(sites) ? sites : sites.sites).find((s) => s.kind === 'town_hall').id;
    const services = (await sup.get(`${base}/services`)).json;
    const svc = (Array.isArray(services) ? services : services.services).find((s) => s.office_id === urp);
    const t = await op.post(`${base}/sites/${site}/tickets`, { service: svc.id, source: 'machine' });
    assert.equal(t.status, 201, t.text);
    const desk = await op.post('/api/v1/desks', { offices: ['urp'] });
    assert.equal(desk.status, 201, desk.text);
    const opened = await supWs.next((m) => m.type === 'desk.opened');
    assert.equal(opened.data.operator_id, op.json?.operator?.id ?? opened.data.operator_id);

    const wall = (await sup.get(`${base}/wall`)).json;
    const tile = wall.offices.find((o) => o.id === urp);
    assert.equal(tile.waiting.knocks.waiting, 2);
    assert.equal(tile.waiting.tickets.waiting, 1);
    assert.equal(tile.waiting.appointments.waiting, 0);
    assert.equal(tile.waiting.callbacks.waiting, 0);
    assert.equal(tile.total, 3);
    assert.equal(tile.desks_open, 1);
    assert.equal(tile.over_target, false);
    assert.ok(wall.presence.available >= 1, JSON.stringify(wall.presence));
    assert.ok(wall.operators.some((o) => o.desk && o.desk.offices.includes(urp)));
    // The site filter: the town hall's tickets, another site's none.
    const other = (Array.isArray(sites) ? sites : sites.sites).find((s) => s.id !== site);
    if (other) {
      const w2 = (await sup.get(`${base}/wall?site=${other.id}`)).json;
      const tt = w2.offices.find((o) => o.id === urp);
      if (tt) assert.equal(tt.waiting.tickets.waiting, 0);
    }
    assert.equal((await sup.get(`${base}/wall?site=${site}`)).json.site_id, site);

    // Past the target (1 minute): the alert, with the longest wait.
    await advance(srv.url, 31);
    await advance(srv.url, 31);
    const late = (await sup.get(`${base}/wall`)).json.offices.find((o) => o.id === urp);
    assert.equal(late.over_target, true, JSON.stringify(late));
    assert.ok(late.longest_wait_ms > 60_000, JSON.stringify(late));

    // The desk closes: announced on the supervisors' topic.
    assert.equal((await op.del('/api/v1/desks/mine')).status, 200);
    await supWs.next((m) => m.type === 'desk.closed');
  } finally {
    for (const s of sockets) s.close();
    await srv.stop();
  }
});

test(`[${backend}] a supervisor demoted or deactivated loses the supervisors' topic and every office it no longer serves`, async () => {
  const srv = await startServer({ now: NOW });
  const sockets = [];
  try {
    const admin = await loggedIn(srv.url, 'admin');
    const op = await onDutyAt(srv.url, 'operator');  // someone on duty: citizens may knock
    sockets.push(await Ws.open(srv.url, { cookie: cookieOf(op) }));
    const urp = await urpId(srv.url);
    for (const [username, change] of [['vera', { role: 'operator', office_ids: [] }], ['dora', { active: false }]]) {
      const created = await admin.post(`${base}/operators`, {
        username, display_name: `Capo ${username}`, role: 'supervisor', password: 'capo-password-2026', office_ids: [],
      });
      assert.equal(created.status, 201, created.text);
      const sup = new Client(srv.url);
      assert.equal((await sup.login('esempio', username, 'capo-password-2026')).status, 200);
      assert.equal((await sup.get(`${base}/wall`)).status, 200);
      const ws = await Ws.open(srv.url, { cookie: cookieOf(sup) });
      sockets.push(ws);
      for (const topic of ['ente:esempio:supervision', `office:${urp}:staff`]) {
        ws.send({ op: 'subscribe', topic });
        await ws.next((m) => m.op === 'subscribed' && m.topic === topic);
      }
      const r = await admin.patch(`${base}/operators/${created.json.id}`, change);
      assert.equal(r.status, 200, r.text);
      for (const topic of ['ente:esempio:supervision', `office:${urp}:staff`]) {
        const m = await ws.next((x) => x.op === 'revoked' && x.topic === topic);
        assert.ok(['unauthorized', 'forbidden'].includes(m.code), JSON.stringify(m));
      }
      // A knock now reaches nobody on that socket; the wall's figures are refused.
      const k = await knock(srv.url, `Dopo ${username}`);
      sockets.push(k.ws);
      await ws.sync();
      assert.deepEqual(ws.queue.filter((m) => m.op === 'event' && JSON.stringify(m.data).includes(`Dopo ${username}`)), []);
      assert.ok([401, 403].includes((await sup.get(`${base}/wall`)).status));
      // Asking again is refused too.
      ws.send({ op: 'subscribe', topic: 'ente:esempio:supervision' });
      const again = await ws.next((m) => (m.op === 'error' || m.op === 'subscribed') && (m.topic === undefined || m.topic === 'ente:esempio:supervision'));
      assert.notEqual(again.op, 'subscribed');
    }
  } finally {
    for (const s of sockets) s.close();
    await srv.stop();
  }
});
