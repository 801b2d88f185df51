// Nothing of a day that closed stays open: tickets still waiting (or called) when the ente's
// local midnight passed become "expired" — told to their holders, never called later, not
// counted as the holder's active ticket — whether the server was running at midnight or was
// started the next morning. Wednesday 25 November 2026, 18:00 in Rome (URP open until 19),
// then Thursday 26, 09:30.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Client, Ws, backend } from './lib.mjs';

const holder = (token) => ({ headers: { 'x-ticket-token': token } });

async function townHall(admin) {
  const sites = await admin.get('/api/v1/enti/esempio/sites');
  return (Array.isArray(sites.json) ? sites.json : sites.json.sites).find((s) => s.kind === 'town_hall').id;
}

test(`[${backend}] yesterday's tickets expire at midnight: never called today, the holder is told`, async () => {
  const day1 = await startServer({ now: '2026-11-25T17:00:00Z' });
  let day2;
  try {
    const admin = await loggedIn(day1.url, 'admin');
    const site = await townHall(admin);
    const tickets = `/api/v1/enti/esempio/sites/${site}/tickets`;
    const k = await admin.post('/api/v1/enti/esempio/counters', { name: 'Fine giornata', site, services: ['J'] });
    assert.equal(k.status, 201, k.text);
    const op = await loggedIn(day1.url, 'operator');
    const paper = await op.post(tickets, { service: 'J', source: 'machine' });
    assert.equal(paper.status, 201, paper.text);
    const phone = await new Client(day1.url).post(tickets, { service: 'J', source: 'phone' });
    assert.equal(phone.status, 201, phone.text);
    assert.deepEqual([paper.json.ticket.code, phone.json.ticket.code], ['J001', 'J002']);
    const seen = await new Client(day1.url).get(`/api/v1/tickets/${phone.json.ticket.id}`, holder(phone.json.token));
    assert.equal(seen.json.ticket_seq, 0);
    await day1.stop({ keepDb: true });

    // Thursday morning: the server starts again on the same database.
    day2 = await startServer({ db: day1.database, demo: false, now: '2026-11-26T08:30:00Z' });
    // The holder's page reconnects with the seq it had: it hears that the number expired.
    const ws = await Ws.open(day2.url);
    ws.send({ op: 'subscribe', topic: `ticket:${phone.json.ticket.id}`, token: phone.json.token, since: 0 });
    const expired = await ws.next((m) => m.op === 'event' && m.type === 'ticket.expired', 15_000);
    assert.deepEqual(expired.data, { code: 'J002', day: '2026-11-25' });
    await ws.close();
    const view = await new Client(day2.url).get(`/api/v1/tickets/${phone.json.ticket.id}`, holder(phone.json.token));
    assert.equal(view.json.state, 'expired');

    // Today's line starts again at J001; call-next gives today's, never yesterday's J001.
    const op2 = await loggedIn(day2.url, 'operator');
    const today = await op2.post(tickets, { service: 'J', source: 'machine' });
    assert.equal(today.json.ticket.code, 'J001');
    const called = await op2.post(`/api/v1/counters/${k.json.id}/call-next`);
    assert.equal(called.status, 200, called.text);
    assert.equal(called.json.ticket.id, today.json.ticket.id);
    const next = await op2.post(`/api/v1/counters/${k.json.id}/call-next`);
    assert.equal(next.json.ticket, null, 'nothing of yesterday is left to call');
    // The same person may take a new phone number: the expired one is not their active ticket.
    const again = await new Client(day2.url).post(tickets, { service: 'J', source: 'phone' });
    assert.equal(again.status, 201, again.text);
    // Yesterday's statistics count them as expired, not as still open.
    const stats = await op2.get(`/api/v1/enti/esempio/sites/${site}/queue-stats?from=2026-11-25&to=2026-11-25`);
    assert.equal(stats.status, 200, stats.text);
    const total = stats.json.total ?? stats.json;
    assert.equal(total.expired, 2, JSON.stringify(total));
    assert.equal(total.open, 0);
  } finally {
    if (day2) await day2.stop();
    else await day1.stop();
  }
});

test(`[${backend}] call-next never takes a ticket of an earlier day`, async () => {
  // A ticket issued in the evening; the counter calls the next morning: whether or not the
  // sweep ran first, call-next closes the day itself before choosing.
  const evening = await startServer({ now: '2026-11-25T17:30:00Z' });
  let morning;
  try {
    const admin = await loggedIn(evening.url, 'admin');
    const site = await townHall(admin);
    const k = await admin.post('/api/v1/enti/esempio/counters', { name: 'Mattina', site, services: ['G'] });
    const op = await loggedIn(evening.url, 'operator');
    const t = await op.post(`/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'G', source: 'machine' });
    assert.equal(t.status, 201, t.text);
    await evening.stop({ keepDb: true });
    morning = await startServer({ db: evening.database, demo: false, now: '2026-11-26T08:00:00Z' });
    const op2 = await loggedIn(morning.url, 'operator');
    const called = await op2.post(`/api/v1/counters/${k.json.id}/call-next`);
    assert.equal(called.status, 200, called.text);
    assert.equal(called.json.ticket, null);
    const list = await op2.get(`/api/v1/enti/esempio/sites/${site}/tickets?state=expired`);
    assert.equal(list.status, 200, list.text);
    const rows = Array.isArray(list.json) ? list.json : list.json.tickets;
    assert.ok(rows.some((x) => x.id === t.json.ticket.id && x.state === 'expired'));
  } finally {
    if (morning) await morning.stop();
    else await evening.stop();
  }
});
