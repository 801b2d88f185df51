// Satisfaction reports from known contacts through the real binary: ratings on two days (the
// test clock moves a day), the hourly roll-up written with each rating, the report over one day
// and over both (per day, office, channel; totals, shares, reasons, by operator), the CSV export,
// the period's edges and bad input, and who may read it (supervisors and admins of the ente).
// Wednesday 25 November 2026, 10:30 in Rome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, freshDatabase, loggedIn, onDutyAt, Client, backend } from './lib.mjs';

let srv, sup, op, collina;
before(async () => {
  srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--clock-control', 'true'] });
  sup = await loggedIn(srv.url, 'supervisor');
  op = await onDutyAt(srv.url, 'operator');
  collina = await loggedIn(srv.url, 'collinaAdmin');
});
after(async () => { await srv?.stop(); });

const report = (q, who = sup) => who.get(`/api/v1/enti/esempio/reports/satisfaction?${q}`);

async function phoneRated(score, reasons = []) {
  const c = await op.post('/api/v1/enti/esempio/cases', { office: 'urp', subject: 'Orari', channel: 'phone', answer: 'Dalle 9.', resolved_now: true });
  assert.equal(c.status, 201, c.text);
  const r = await op.post(`/api/v1/enti/esempio/ratings/phone/${c.json.case.id}`, reasons.length ? { score, reasons } : { score });
  assert.equal(r.status, 201, r.text);
}

async function visitRated(score) {
  const v = await new Client(srv.url).post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'video', name: 'Mario', topic: 'x' });
  assert.equal(v.status, 201, v.text);
  const id = v.json.visit.id;
  assert.equal((await op.post(`/api/v1/visits/${id}/admit`)).status, 200);
  assert.equal((await op.post(`/api/v1/visits/${id}/end`, { outcome: 'resolved' })).status, 200);
  // The visit's own route: the roll-up counts it through reception's rating hook.
  const r = await new Client(srv.url).post(`/api/v1/visits/${id}/rating`, { score }, { headers: { 'x-visit-token': v.json.token } });
  assert.equal(r.status, 204, r.text);
}

test(`[${backend}] the report adds up known ratings per day, office and channel; CSV says the same`, async () => {
  await phoneRated('positive');
  await phoneRated('negative', ['waiting_time', 'clarity']);
  await phoneRated('neutral', ['waiting_time']);
  await visitRated('positive');
  const moved = await new Client(srv.url).post('/api/v1/test/clock', { advance_seconds: 86_400 });
  assert.equal(moved.status, 200, moved.text);
  // A day later the sessions have expired: sign in again.
  sup = await loggedIn(srv.url, 'supervisor');
  op = await onDutyAt(srv.url, 'operator');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  await phoneRated('positive');

  const one = await report('from=2026-11-25&to=2026-11-25');
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.timezone, 'Europe/Rome');
  assert.deepEqual([one.json.total.ratings, one.json.total.positive, one.json.total.neutral, one.json.total.negative], [4, 2, 1, 1]);
  assert.equal(one.json.total.positive_share, 0.5);
  assert.deepEqual(one.json.total.reasons, { waiting_time: 2, courtesy: 0, competence: 0, clarity: 1, not_solved: 0, technical: 0 });
  assert.deepEqual(one.json.rows.map((r) => [r.day, r.office.name.startsWith('URP'), r.channel, r.ratings]),
    [['2026-11-25', true, 'visit', 1], ['2026-11-25', true, 'phone', 3]], 'by day, office, then channel');
  assert.deepEqual(one.json.by_channel.map((c) => [c.channel, c.ratings]), [['phone', 3], ['visit', 1]]);
  assert.equal(one.json.by_operator.length, 1, 'every contact was the operator’s');
  assert.equal(one.json.by_operator[0].ratings, 4);

  const both = await report('from=2026-11-25&to=2026-11-26');
  assert.equal(both.json.total.ratings, 5);
  assert.deepEqual(both.json.rows.map((r) => [r.day, r.channel, r.ratings]),
    [['2026-11-25', 'visit', 1], ['2026-11-25', 'phone', 3], ['2026-11-26', 'phone', 1]]);
  const later = await report('from=2026-11-26&to=2026-11-26');
  assert.equal(later.json.total.ratings, 1);
  const before = await report('from=2026-11-24&to=2026-11-24');
  assert.equal(before.json.total.ratings, 0);
  assert.equal(before.json.total.positive_share, null);
  assert.deepEqual(before.json.rows, []);
  // One office: the URP has them all, the Anagrafe none.
  const offices = await sup.get('/api/v1/enti/esempio/offices');
  const list = Array.isArray(offices.json) ? offices.json : offices.json.offices;
  const anagrafe = list.find((o) => o.slug === 'anagrafe');
  assert.equal((await report(`from=2026-11-25&to=2026-11-26&office=${anagrafe.id}`)).json.total.ratings, 0);

  const csv = await report('from=2026-11-25&to=2026-11-26&format=csv');
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /soddisfazione-2026-11-25-2026-11-26\.csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'day,office,channel,ratings,positive,neutral,negative,waiting_time,courtesy,competence,clarity,not_solved,technical');
  assert.equal(lines.length, 4);
  assert.match(lines[1], /^2026-11-25,.*,visit,1,1,0,0,0,0,0,0,0,0$/);
  assert.match(lines[2], /^2026-11-25,.*,phone,3,1,1,1,2,0,0,1,0,0$/);
  assert.match(lines[3], /^2026-11-26,.*,phone,1,1,0,0,0,0,0,0,0,0$/);
});

test(`[${backend}] bad periods are refused; only supervisors and admins of the ente read it`, async () => {
  for (const [q, field] of [['from=2026-11-25', 'to'], ['from=25-11-2026&to=2026-11-25', 'from'],
    ['from=2026-11-26&to=2026-11-25', 'to'], ['from=2026-01-01&to=2027-01-02', 'to'],
    ['from=2026-11-25&to=2026-11-25&format=xml', 'format'], ['from=2026-11-25&to=2026-11-25&office=nope', 'office']]) {
    const r = await report(q);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.equal(r.json.error.field, field, q);
  }
  assert.equal((await report('from=2026-11-25&to=2026-11-25', op)).status, 403, 'an operator');
  assert.equal((await report('from=2026-11-25&to=2026-11-25', new Client(srv.url))).status, 401);
  assert.equal((await report('from=2026-11-25&to=2026-11-25', collina)).status, 403, 'another ente’s admin');
});

// What a database held before feedback existed: the visit's rating on reception's row only.
// Migration 1201 copies it into the one model and its hour; here the feedback rows and the
// roll-up are taken away by hand (and 1201 marked unapplied), then the server starts again.
test(`[${backend}] visits rated before feedback existed are counted after the migration`, async () => {
  const db = await freshDatabase();
  const first = await startServer({ db, now: '2026-11-25T09:30:00Z' });
  const operator = await onDutyAt(first.url, 'operator');
  const v = await new Client(first.url).post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'video', name: 'Mario', topic: 'x' });
  assert.equal(v.status, 201, v.text);
  const id = v.json.visit.id;
  assert.equal((await operator.post(`/api/v1/visits/${id}/admit`)).status, 200);
  assert.equal((await operator.post(`/api/v1/visits/${id}/end`, { outcome: 'resolved' })).status, 200);
  const r = await new Client(first.url).post(`/api/v1/visits/${id}/rating`, { score: 'negative', reasons: ['courtesy'] },
    { headers: { 'x-visit-token': v.json.token } });
  assert.equal(r.status, 204, r.text);
  await first.stop({ keepDb: true });

  const sql = 'DELETE FROM fb_ratings; DELETE FROM fb_daily; DELETE FROM fb_daily_operator; DROP TABLE fb_hourly_ratings; DELETE FROM schema_migrations WHERE version = 1201;';
  const out = backend === 'postgres'
    ? spawnSync('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' })
    : spawnSync('sqlite3', [join(db.dataDir, 'sportello.db'), sql], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);

  const again = await startServer({ db, now: '2026-11-25T10:30:00Z' });
  try {
    const s = await loggedIn(again.url, 'supervisor');
    const rep = await s.get('/api/v1/enti/esempio/reports/satisfaction?from=2026-11-25&to=2026-11-25');
    assert.equal(rep.status, 200, rep.text);
    assert.deepEqual([rep.json.total.ratings, rep.json.total.negative, rep.json.total.reasons.courtesy], [1, 1, 1]);
    assert.deepEqual(rep.json.rows.map((x) => x.channel), ['visit']);
    const twice = await new Client(again.url).post(`/api/v1/enti/esempio/ratings/visit/${id}`, { score: 'positive' },
      { headers: { 'x-visit-token': v.json.token } });
    assert.equal(twice.status, 409, 'still rated once');
  } finally {
    await again.stop();
  }
});
