// The reports' figures from known contacts through the real binary and a still clock (issue 16):
// visits (served, left before admission, transferred), phone tickets (done, no-show), a phone
// call resolved at once, an appointment nobody came to, and one rating. Every contact reaches
// the daily roll-ups through its owner's transaction (platform/contact_fact.h); the report's
// totals, medians and p90s (read from fixed buckets), FCR, by hour / channel / operator, the
// filters, the CSV and JSON exports, the open data with its suppression and metadata, and who
// may read what.
// Wednesday 25 November 2026, 10:30 in Rome; the clock moves only by POST /api/v1/test/clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, onDutyAt, Client, backend } from './lib.mjs';

let srv, admin, sup, op, collina, site;
before(async () => {
  srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--clock-control', 'true'] });
  admin = await loggedIn(srv.url, 'admin');
  sup = await loggedIn(srv.url, 'supervisor');
  op = await onDutyAt(srv.url, 'operator');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  const sites = await admin.get('/api/v1/enti/esempio/sites');
  const list = Array.isArray(sites.json) ? sites.json : sites.json.sites;
  site = list.find((s) => s.kind === 'town_hall').id;
});
after(async () => { await srv?.stop(); });

const anon = () => new Client(srv.url);
async function advance(seconds) {
  const r = await anon().post('/api/v1/test/clock', { advance_seconds: seconds });
  assert.equal(r.status, 200, r.text);
}
const figures = (q, who = sup) => who.get(`/api/v1/enti/esempio/reports/figures?${q}`);
async function knock() {
  const v = await anon().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'video', name: 'Mario', topic: 'x' });
  assert.equal(v.status, 201, v.text);
  return v.json;
}
const ok = async (p, what) => {
  const r = await p;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r;
};

test(`[${backend}] the figures equal those of the known contacts; exports and filters agree`, async () => {
  // Visits (no time passes while a citizen's page is not connected, see liveness): A admitted
  // and resolved, rated positive; B leaves before anyone admits it (an abandoned knock); C is
  // admitted and transferred (not resolved at first contact).
  const a = await knock();
  await ok(op.post(`/api/v1/visits/${a.visit.id}/admit`), 'admit A');
  await ok(op.post(`/api/v1/visits/${a.visit.id}/end`, { outcome: 'resolved' }), 'end A');
  await ok(anon().post(`/api/v1/visits/${a.visit.id}/rating`, { score: 'positive' }, { headers: { 'x-visit-token': a.token } }), 'rate A');
  const b = await knock();
  await ok(anon().post(`/api/v1/visits/${b.visit.id}/leave`, {}, { headers: { 'x-visit-token': b.token } }), 'leave B');
  const c = await knock();
  await ok(op.post(`/api/v1/visits/${c.visit.id}/admit`), 'admit C');
  await ok(op.post(`/api/v1/visits/${c.visit.id}/end`, { outcome: 'transferred' }), 'end C');
  // Tickets: T1 waits 60 s and is served 240 s; T2 is called after 300 s and does not come.
  const k = await admin.post('/api/v1/enti/esempio/counters', { name: 'Cifre', site, services: ['G'] });
  assert.equal(k.status, 201, k.text);
  const t1 = await ok(op.post(`/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'G', source: 'machine' }), 'T1');
  const t2 = await ok(op.post(`/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'G', source: 'machine' }), 'T2');
  await advance(60);
  await ok(op.post(`/api/v1/counters/${k.json.id}/call-next`), 'call T1');
  await ok(op.post(`/api/v1/tickets/${t1.json.ticket.id}/start`), 'start T1');
  await advance(240);
  await ok(op.post(`/api/v1/tickets/${t1.json.ticket.id}/done`), 'done T1');
  const called = await ok(op.post(`/api/v1/counters/${k.json.id}/call-next`), 'call T2');
  assert.equal(called.json.ticket?.id ?? called.json.called?.id ?? t2.json.ticket.id, t2.json.ticket.id);
  await ok(op.post(`/api/v1/tickets/${t2.json.ticket.id}/no-show`), 'no-show T2');
  // A phone call answered at once (a phone case resolved at creation: FCR).
  await ok(op.post('/api/v1/enti/esempio/cases', { office: 'urp', subject: 'Orari', channel: 'phone', answer: 'Dalle 9.', resolved_now: true }), 'phone');
  // An appointment tomorrow at 09:10 that nobody came to.
  const offices = await anon().get('/api/v1/enti/esempio/booking/offices');
  const anagrafe = offices.json.offices.find((o) => o.slug === 'anagrafe');
  const bk = await ok(anon().post('/api/v1/enti/esempio/bookings', {
    office: 'anagrafe', service: anagrafe.plans[0].service.id, date: '2026-11-26', start: '09:10',
    first_name: 'Maria', last_name: 'Esposito', email: 'maria.figures@example.org', privacy_accepted: true,
  }), 'booking');
  await ok(op.post(`/api/v1/enti/esempio/bookings/${bk.json.booking.code}/no-show`), 'no-show booking');

  const r = await figures('from=2026-11-25&to=2026-11-26');
  assert.equal(r.status, 200, r.text);
  const f = r.json;
  assert.equal(f.timezone, 'Europe/Rome');
  assert.deepEqual([f.total.contacts, f.total.served, f.total.abandoned, f.total.no_show], [7, 4, 1, 2]);
  assert.deepEqual([f.total.fcr.eligible, f.total.fcr.resolved, f.total.fcr.target, f.total.fcr.met], [3, 2, 0.8, false]);
  assert.ok(Math.abs(f.total.fcr.rate - 2 / 3) < 1e-9);
  // Waits 0, 0, 60, 300 s: mean exact; median and p90 read from the buckets [60,120) and
  // [300,450) (linear inside a bucket).
  assert.deepEqual(f.total.wait, { count: 4, mean_s: 90, median_s: 60, p90_s: 390 });
  // Service 0, 0, 240 s: median 3/4 into [0,30), p90 0.7 into [180,300).
  assert.deepEqual(f.total.service_time, { count: 3, mean_s: 80, median_s: 23, p90_s: 264 });
  assert.equal(f.total.satisfaction.ratings, 1);
  assert.equal(f.total.satisfaction.positive_share, 1);
  // Volumes by local day and hour: six on the 25th from 10:30, the appointment at 09:10 on the 26th.
  assert.deepEqual(f.by_day.map((d) => [d.day, d.contacts]), [['2026-11-25', 6], ['2026-11-26', 1]]);
  assert.equal(f.by_hour.length, 24);
  assert.deepEqual(f.by_hour.filter((h) => h.contacts).map((h) => [h.hour, h.contacts]), [[9, 1], [10, 6]]);
  assert.deepEqual(Object.fromEntries(f.by_channel.map((g) => [g.channel, [g.contacts, g.served, g.abandoned, g.no_show]])),
    { appointment: [1, 0, 0, 1], phone: [1, 1, 0, 0], ticket: [2, 1, 0, 1], visit: [3, 2, 1, 0] });
  assert.equal(f.by_operator.length, 1, 'one operator served them');
  assert.equal(f.by_operator[0].contacts, 5);
  assert.ok(f.by_operator[0].name, 'operators by name');
  const urp = f.by_office.find((g) => g.name?.startsWith('URP'));
  assert.equal(urp.contacts, 6, 'three visits, the call and the two tickets of service G');

  // Filters: one day, one channel, one operator; service and operator together are refused.
  assert.equal((await figures('from=2026-11-25&to=2026-11-25')).json.total.contacts, 6);
  assert.equal((await figures('from=2026-11-24&to=2026-11-24')).json.total.contacts, 0);
  const tickets = (await figures('from=2026-11-25&to=2026-11-26&channel=ticket')).json;
  assert.deepEqual([tickets.total.contacts, tickets.total.wait.count, tickets.total.no_show], [2, 2, 1]);
  const mine = (await figures(`from=2026-11-25&to=2026-11-26&operator=${f.by_operator[0].operator}`)).json;
  assert.deepEqual([mine.total.contacts, mine.total.fcr.eligible], [5, 3]);
  const service = f.by_service.find((g) => g.service);
  const byService = (await figures(`from=2026-11-25&to=2026-11-26&service=${service.service}`)).json;
  assert.equal(byService.by_operator, null, 'no operator breakdown with a service');
  for (const [q, field] of [[`service=${service.service}&operator=${f.by_operator[0].operator}`, 'operator'],
    ['channel=fax', 'channel'], ['office=nope', 'office'], ['operator=nope', 'operator'], ['format=xml', 'format']]) {
    const bad = await figures(`from=2026-11-25&to=2026-11-26&${q}`);
    assert.equal(bad.status, 400, `${q}: ${bad.text}`);
    assert.equal(bad.json.error.field, field, q);
  }

  const csv = await figures('from=2026-11-25&to=2026-11-26&format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.match(lines[0], /^breakdown,key,name,contacts,served,abandoned,no_show,fcr_eligible,fcr_resolved,fcr_rate,wait_median_s,wait_p90_s,service_median_s,service_p90_s,ratings/);
  assert.equal(lines[1], 'total,,,7,4,1,2,3,2,0.667,60,390,23,264,1,1,0,0,0,0,0,0,0,0');
  assert.ok(lines.includes('day,2026-11-26,,1,0,0,1,0,0,,,,,,0,0,0,0,0,0,0,0,0,0'), lines.join('\n'));
  const json = await figures('from=2026-11-25&to=2026-11-26&format=json');
  assert.deepEqual(json.json.total, f.total);

  // Who: supervisors and admins of the ente.
  assert.equal((await figures('from=2026-11-25&to=2026-11-26', op)).status, 403);
  assert.equal((await figures('from=2026-11-25&to=2026-11-26', anon())).status, 401);
  assert.equal((await figures('from=2026-11-25&to=2026-11-26', collina)).status, 403);
  assert.equal((await figures('from=2026-11-25&to=2026-11-26', admin)).status, 200);

  // Open data (public): November's URP row has 4 contacts (< 10): suppressed, like its wait.
  const od = await anon().get('/api/v1/enti/esempio/opendata/figures?year=2026');
  assert.equal(od.status, 200, od.text);
  const row = od.json.rows.find((x) => x.month === '2026-11' && x.office.startsWith('URP'));
  assert.deepEqual([row.contacts, row.wait_median_s, row.ratings, row.positive_share], [null, null, null, null]);
  assert.equal(od.json.metadata.license.uri, 'https://creativecommons.org/licenses/by/4.0/');
  assert.equal(od.json.metadata.accrualPeriodicity, 'http://publications.europa.eu/resource/authority/frequency/MONTHLY');
  assert.equal(od.json.metadata.suppression.min_count, 10);
  assert.ok(!JSON.stringify(od.json).includes('Mario'), 'no personal data');
  const odCsv = await anon().get('/api/v1/enti/esempio/opendata/figures?year=2026&format=csv');
  assert.equal(odCsv.text.split('\r\n')[0], 'month,office_id,office,contacts,wait_count,wait_median_s,wait_p90_s,ratings,positive_share,neutral_share,negative_share');
  assert.match(odCsv.text, /2026-11,[^,]+,URP[^,]*,,,,,,,,\r\n/);
  const meta = await anon().get('/api/v1/enti/esempio/opendata/figures/metadata?year=2026');
  assert.equal(meta.json.publisher.identifier, 'esempio');
  assert.equal((await anon().get('/api/v1/enti/esempio/opendata/figures?year=20x6')).status, 400);
  assert.equal((await anon().get('/api/v1/enti/nessuno/opendata/figures')).status, 404);
});

// Eleven served tickets (issued at the desk) in one month and office: from the threshold up, the
// open data shows them.
test(`[${backend}] open data shows a month and office from ten cases up`, async () => {
  const k = await admin.post('/api/v1/enti/esempio/counters', { name: 'Aperti', site, services: ['G'] });
  assert.equal(k.status, 201, k.text);
  for (let i = 0; i < 11; i++) {
    const t = await ok(op.post(`/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'G', source: 'machine' }), `ticket ${i}`);
    await advance(30);
    await ok(op.post(`/api/v1/counters/${k.json.id}/call-next`), `call ${i}`);
    await ok(op.post(`/api/v1/tickets/${t.json.ticket.id}/done`), `done ${i}`);
  }
  const od = await anon().get('/api/v1/enti/esempio/opendata/figures?year=2026');
  const rows = od.json.rows.filter((x) => x.month === '2026-11' && x.contacts != null);
  assert.equal(rows.length, 1, JSON.stringify(od.json.rows));
  assert.ok(rows[0].contacts >= 11);
  assert.ok(rows[0].wait_count >= 11 && rows[0].wait_median_s != null);
  assert.equal(rows[0].ratings, null, 'no ratings there: suppressed');
});
