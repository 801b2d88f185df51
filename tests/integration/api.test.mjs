// The HTTP API through the real binary: public offices, office CRUD, authorisation for
// anonymous / operator / admin / another ente's admin, bad input, sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, loggedIn, backend } from './lib.mjs';

let srv;
before(async () => { srv = await startServer({ now: '2026-11-23T09:00:00Z' }); });
after(async () => { await srv?.stop(); });

const offices = '/api/v1/enti/esempio/offices';

test(`[${backend}] public offices: open now, next opening, week hours, channel hours`, async () => {
  const c = new Client(srv.url);
  const r = await c.get(offices);
  assert.equal(r.status, 200);
  assert.equal(r.json.ente.slug, 'esempio');
  assert.equal(r.json.today, '2026-11-23');
  const urp = r.json.offices.find((o) => o.slug === 'urp');
  assert.equal(urp.status.open, true);
  assert.equal(urp.status.closes_at, '2026-11-23T18:00:00Z'); // 19:00 in Rome (UTC+1)
  assert.deepEqual(urp.week[0].intervals, [{ start: '08:00', end: '19:00' }]);
  assert.equal(urp.week[6].closed, true); // Sunday
  assert.equal(urp.channel_hours.chat.status.open, false);
  assert.equal(urp.channel_hours.chat.status.next_opens_at, '2026-11-25T13:00:00Z'); // Wed 14:00
  const sindaco = r.json.offices.find((o) => o.slug === 'sindaco');
  assert.equal(sindaco.status.open, false);
  assert.equal(sindaco.status.next_opens_at, '2026-11-24T10:00:00Z'); // Tue 11:00
  assert.equal(urp.site.name, 'Palazzo municipale');
  // The default-ente alias answers the same offices.
  const alias = await c.get('/api/v1/offices');
  assert.equal(alias.status, 200);
  assert.deepEqual(alias.json.offices.map((o) => o.id), r.json.offices.map((o) => o.id));
  // Another ente has its own offices only.
  const other = await c.get('/api/v1/enti/collina/offices');
  assert.equal(other.json.offices.length, 1);
  assert.ok(!other.json.offices.some((o) => urp.id === o.id));
  assert.equal((await c.get('/api/v1/enti/nessuno/offices')).status, 404);
});

test(`[${backend}] office CRUD as admin, reflected in the public view`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const created = await admin.post('/api/v1/enti/esempio/offices', {
    slug: 'polizia-locale', name: 'Polizia locale', description: 'Permessi e verbali',
    channels: ['walk_in', 'phone'], email: 'pl@comune.esempio.it',
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.match(id, /^[0-9a-z]{26}$/);
  assert.equal((await admin.get(`/api/v1/enti/esempio/offices/${id}`)).json.name, 'Polizia locale');
  const patched = await admin.patch(`/api/v1/enti/esempio/offices/${id}`, { name: 'Polizia Locale' });
  assert.equal(patched.status, 200);
  assert.equal(patched.json.name, 'Polizia Locale');
  assert.equal(patched.json.email, 'pl@comune.esempio.it'); // untouched
  const sched = await admin.put(`/api/v1/enti/esempio/offices/${id}/schedule`, {
    rules: [{ weekday: 1, start: '09:00', end: '12:00', channel: null }],
    exceptions: [{ date: '2026-12-07', closed: true, note: 'Chiusura' }],
  });
  assert.equal(sched.status, 200, sched.text);
  let pub = await new Client(srv.url).get(offices);
  let o = pub.json.offices.find((x) => x.id === id);
  assert.equal(o.name, 'Polizia Locale');
  assert.equal(o.status.open, true);
  assert.equal(o.status.closes_at, '2026-11-23T11:00:00Z');
  assert.equal((await admin.del(`/api/v1/enti/esempio/offices/${id}`)).status, 204);
  assert.equal((await admin.get(`/api/v1/enti/esempio/offices/${id}`)).status, 404);
  pub = await new Client(srv.url).get(offices);
  assert.ok(!pub.json.offices.some((x) => x.id === id));
});

test(`[${backend}] sites, services and holidays CRUD`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const site = await admin.post('/api/v1/enti/esempio/sites', { name: 'Biblioteca', address: 'Via Verdi 2', kind: 'other' });
  assert.equal(site.status, 201);
  const svc = await admin.post('/api/v1/enti/esempio/services', { name: 'Tessere biblioteca', prefix: 'L', duration_minutes: 5 });
  assert.equal(svc.status, 201, svc.text);
  const dup = await admin.post('/api/v1/enti/esempio/services', { name: 'Altro', prefix: 'L' });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'prefix');
  const h = await admin.post('/api/v1/enti/esempio/holidays', { date: '2026-11-24', name: 'Festa locale' });
  assert.equal(h.status, 201);
  const list = await admin.get('/api/v1/enti/esempio/holidays?year=2026');
  const names = list.json.holidays.map((x) => `${x.date} ${x.name} ${x.kind}`);
  assert.ok(names.includes('2026-04-06 Lunedì dell\'Angelo national'), names.join('\n'));
  assert.ok(names.includes('2026-09-29 San Michele Arcangelo patron'));
  assert.ok(names.includes('2026-11-24 Festa locale ente'));
  // The ente's holiday closes the mayor's Tuesday reception: next opening moves to Thursday.
  const pub = await new Client(srv.url).get(offices);
  assert.equal(pub.json.offices.find((o) => o.slug === 'sindaco').status.next_opens_at, '2026-11-26T10:00:00Z');
  assert.equal((await admin.del(`/api/v1/enti/esempio/holidays/${h.json.id}`)).status, 204);
  assert.equal((await admin.del(`/api/v1/enti/esempio/sites/${site.json.id}`)).status, 204);
  assert.equal((await admin.del(`/api/v1/enti/esempio/services/${svc.json.id}`)).status, 204);
});

test(`[${backend}] authorisation: anonymous, operator, other ente, CSRF`, async () => {
  const anon = new Client(srv.url);
  const body = { slug: 'x-office', name: 'X' };
  const path = '/api/v1/enti/esempio/offices';
  assert.equal((await anon.post(path, body)).status, 401);
  assert.equal((await anon.get('/api/v1/enti/esempio/sites')).status, 401);
  assert.equal((await anon.get('/api/v1/enti/esempio/operators')).status, 401);
  const op = await loggedIn(srv.url, 'operator');
  assert.equal((await op.get(path)).status, 200); // staff may read
  const denied = await op.post(path, body);
  assert.equal(denied.status, 403);
  assert.equal(denied.json.error.code, 'forbidden');
  const other = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await other.post(path, body)).status, 403);
  assert.equal((await other.get('/api/v1/enti/esempio/sites')).status, 403);
  const urp = (await anon.get(offices)).json.offices.find((o) => o.slug === 'urp');
  assert.equal((await other.patch(`${path}/${urp.id}`, { name: 'Hacked' })).status, 403);
  assert.equal((await other.del(`${path}/${urp.id}`)).status, 403);
  // Collina's admin cannot reach Esempio's office through its own ente either.
  assert.equal((await other.patch(`/api/v1/enti/collina/offices/${urp.id}`, { name: 'Hacked' })).status, 404);
  const admin = await loggedIn(srv.url, 'admin');
  const noCsrf = await admin.post(path, body, { headers: { 'x-csrf-token': '' } });
  assert.equal(noCsrf.status, 403);
  const wrongOrigin = await admin.post(path, body, { headers: { origin: 'https://evil.example' } });
  assert.equal(wrongOrigin.status, 403);
  const after = (await anon.get(offices)).json.offices;
  assert.equal(after.find((o) => o.id === urp.id).name, urp.name);
  assert.ok(!after.some((o) => o.slug === 'x-office'));
  // docs/API.md: "reads for any staff member" — operators read the colleagues' directory (it
  // used to be 403); what it shows is checked in "operators administration".
  assert.equal((await op.get('/api/v1/enti/esempio/operators')).status, 200);
  assert.equal((await other.get('/api/v1/enti/esempio/operators')).status, 403);
  assert.equal((await admin.get('/api/v1/enti/esempio/operators')).status, 200);
});

test(`[${backend}] bad input gives 400 with the field and changes nothing`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const before = await admin.get('/api/v1/enti/esempio/offices');
  const urp = before.json.offices.find((o) => o.slug === 'urp');
  const cases = [
    [{ slug: 'ok-slug', name: 'N', extra: 1 }, 'extra'],
    [{ slug: 'ok-slug', name: 42 }, 'name'],
    [{ slug: 'Bad Slug', name: 'N' }, 'slug'],
    [{ name: 'N' }, 'slug'],
    [{ slug: 'ok-slug', name: 'N', channels: ['fax'] }, 'channels'],
    [{ slug: 'ok-slug', name: 'N', sort: 'first' }, 'sort'],
    [{ slug: 'ok-slug', name: 'N', site_id: 'nope' }, 'site_id'],
  ];
  for (const [body, field] of cases) {
    const r = await admin.post('/api/v1/enti/esempio/offices', body);
    assert.equal(r.status, 400, JSON.stringify(body) + ' → ' + r.text);
    assert.equal(r.json.error.code, 'invalid');
    assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  const dup = await admin.post('/api/v1/enti/esempio/offices', { slug: 'urp', name: 'Doppio' });
  assert.equal(dup.status, 409);
  assert.equal((await admin.post('/api/v1/enti/esempio/offices', '{"slug":', { raw: true })).status, 400);
  assert.equal((await admin.post('/api/v1/enti/esempio/offices', 'slug=x', { raw: true, headers: { 'content-type': 'text/plain' } })).status, 400);
  const badSched = await admin.put(`/api/v1/enti/esempio/offices/${urp.id}/schedule`, {
    rules: [{ weekday: 1, start: '08:00', end: '19:00' }, { weekday: 9, start: '08:00', end: '12:00' }],
  });
  assert.equal(badSched.status, 400);
  assert.equal(badSched.json.error.field, 'rules[1].weekday');
  const badTime = await admin.put(`/api/v1/enti/esempio/offices/${urp.id}/schedule`, {
    rules: [{ weekday: 1, start: '25:00', end: '19:00' }],
  });
  assert.equal(badTime.status, 400);
  const badColor = await admin.patch('/api/v1/enti/esempio', { primary_color: '#ffff00' });
  assert.equal(badColor.status, 400); // white text on yellow fails WCAG contrast
  assert.equal(badColor.json.error.field, 'primary_color');
  const after = await admin.get('/api/v1/enti/esempio/offices');
  // `now` is the instant of the answer (the clock ticks: a second may pass); the rest is the data.
  assert.ok(after.json.now >= before.json.now);
  assert.deepEqual({ ...after.json, now: null }, { ...before.json, now: null });
  const sched = await admin.get(`/api/v1/enti/esempio/offices/${urp.id}/schedule`);
  assert.equal(sched.json.rules.length, 7); // Mon–Fri, Sat, chat on Wednesday: unchanged
});

test(`[${backend}] sessions: login errors, throttling, logout, password change`, async () => {
  const c = new Client(srv.url);
  const wrong = await c.post('/api/v1/enti/esempio/session', { username: 'sindaco', password: 'nope-nope-nope' });
  assert.equal(wrong.status, 401);
  assert.equal((await c.post('/api/v1/enti/esempio/session', { username: 'sindaco' })).status, 400);
  for (let i = 0; i < 4; i++) await c.post('/api/v1/enti/esempio/session', { username: 'sindaco', password: 'x' + i });
  const throttled = await c.post('/api/v1/enti/esempio/session', { username: 'sindaco', password: 'sindaco-demo-2026' });
  assert.equal(throttled.status, 429);
  assert.ok(Number(throttled.headers.get('retry-after')) > 0);

  const a = await loggedIn(srv.url, 'operator');
  const b = await loggedIn(srv.url, 'operator');
  const cookie = [...a.cookies.values()][0];
  assert.match(cookie, /^[A-Za-z0-9_-]{43}$/);
  const res = await new Client(srv.url).post('/api/v1/enti/esempio/session', { username: 'operatore', password: 'operatore-demo-2026' });
  const setCookie = res.headers.get('set-cookie');
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.equal((await a.get('/api/v1/session')).json.operator.username, 'operatore');
  const short = await a.post('/api/v1/session/password', { current_password: 'operatore-demo-2026', new_password: 'short' });
  assert.equal(short.status, 400);
  const badCurrent = await a.post('/api/v1/session/password', { current_password: 'wrong-wrong', new_password: 'a-much-longer-password' });
  assert.equal(badCurrent.status, 400);
  assert.equal((await a.post('/api/v1/session/password', { current_password: 'operatore-demo-2026', new_password: 'nuova-password-2026' })).status, 204);
  assert.equal((await b.get('/api/v1/session')).status, 401); // other session ended
  assert.equal((await a.get('/api/v1/session')).status, 200);
  assert.equal((await a.del('/api/v1/session')).status, 204);
  assert.equal((await a.get('/api/v1/session')).status, 401);
  const again = await new Client(srv.url).login('esempio', 'operatore', 'nuova-password-2026');
  assert.equal(again.status, 200);
  const p = await (await loggedIn(srv.url, 'admin')).put('/api/v1/session/presence', { presence: 'available' });
  assert.equal(p.status, 200);
  assert.equal(p.json.presence, 'available');
});

test(`[${backend}] operators administration`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const urp = (await admin.get('/api/v1/enti/esempio/offices')).json.offices.find((o) => o.slug === 'urp');
  const created = await admin.post('/api/v1/enti/esempio/operators', {
    username: 'luca', display_name: 'Luca Verdi', role: 'operator', password: 'luca-password-1', office_ids: [urp.id],
  });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json.offices.map((o) => o.slug), ['urp']);
  assert.ok(!('password_hash' in created.json));
  assert.equal((await admin.post('/api/v1/enti/esempio/operators', {
    username: 'luca', display_name: 'Altro', role: 'operator', password: 'luca-password-1' })).status, 409);
  assert.equal((await admin.post('/api/v1/enti/esempio/operators', {
    username: 'mario', display_name: 'M', role: 'boss', password: 'mario-password-1' })).status, 400);
  const luca = await new Client(srv.url);
  assert.equal((await luca.login('esempio', 'luca', 'luca-password-1')).status, 200);
  const off = await admin.patch(`/api/v1/enti/esempio/operators/${created.json.id}`, { active: false });
  assert.equal(off.status, 200);
  assert.equal((await luca.get('/api/v1/session')).status, 401);
  assert.equal((await new Client(srv.url).login('esempio', 'luca', 'luca-password-1')).status, 401);
  // A foreign office id is refused.
  const collinaUrp = (await new Client(srv.url).get('/api/v1/enti/collina/offices')).json.offices[0];
  const foreign = await admin.patch(`/api/v1/enti/esempio/operators/${created.json.id}`, { office_ids: [collinaUrp.id] });
  assert.equal(foreign.status, 400);
  // There is no DELETE: operators are deactivated (their names stay on cases and visits).
  assert.equal((await admin.del(`/api/v1/enti/esempio/operators/${created.json.id}`)).status, 405);
  assert.equal((await admin.get(`/api/v1/enti/esempio/operators/${created.json.id}`)).json.active, false);

  // Least privilege: colleagues see who is who, in which office and whether available — not
  // usernames (half of a login), emails, nor deactivated accounts. Admins see everything.
  // (The sessions test changed the demo operator's password: a new colleague plays the operator.)
  const marta = await admin.post('/api/v1/enti/esempio/operators', {
    username: 'marta', display_name: 'Marta Neri', email: 'marta@example.it', role: 'operator', password: 'marta-password-1', office_ids: [urp.id],
  });
  assert.equal(marta.status, 201, marta.text);
  const asMarta = new Client(srv.url);
  assert.equal((await asMarta.login('esempio', 'marta', 'marta-password-1')).status, 200);
  for (const c of [asMarta, await loggedIn(srv.url, 'supervisor')]) {
    const list = await c.get('/api/v1/enti/esempio/operators');
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.operators.length >= 3);
    for (const o of list.json.operators) {
      assert.deepEqual(Object.keys(o).sort(), ['active', 'display_name', 'id', 'offices', 'presence', 'role']);
      assert.equal(o.active, true);
    }
    assert.ok(!list.json.operators.some((o) => o.id === created.json.id), 'the deactivated one is not listed');
    assert.ok(list.json.operators.some((o) => o.display_name === 'Luca Verdi') === false);
    const one = list.json.operators[0];
    const item = await c.get(`/api/v1/enti/esempio/operators/${one.id}`);
    assert.equal(item.status, 200);
    assert.deepEqual(item.json, one);
    assert.equal((await c.get(`/api/v1/enti/esempio/operators/${created.json.id}`)).status, 404);
    assert.ok(!list.text.includes('@'), 'no emails');
  }
  const full = await admin.get('/api/v1/enti/esempio/operators');
  assert.ok(full.json.operators.every((o) => 'username' in o && 'email' in o));
  assert.ok(full.json.operators.some((o) => o.id === created.json.id && o.active === false));
});

test(`[${backend}] limits, errors and operations endpoints`, async () => {
  const c = new Client(srv.url);
  const big = 'x'.repeat(1_100_000);
  const admin = await loggedIn(srv.url, 'admin');
  const r = await admin.post('/api/v1/enti/esempio/sites', JSON.stringify({ name: big }), { raw: true });
  assert.equal(r.status, 413);
  assert.equal((await c.get('/api/v1/nothing')).status, 404);
  assert.equal((await c.get('/api/v1/nothing')).json.error.code, 'not_found');
  assert.equal((await c.req('PUT', '/api/v1/enti/esempio/offices', {})).status, 405);
  const health = await c.get('/healthz');
  assert.equal(health.status, 200);
  assert.equal(health.json.status, 'ok');
  const metrics = await c.get('/metrics');
  assert.match(metrics.text, /sportello_http_requests_total\{code="2xx"\} \d+/);
  assert.match(metrics.text, /sportello_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(metrics.text, /sportello_http_connections \d+/);
  const page = await c.get('/esempio/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'self'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.match(page.text, /<html/);
});
