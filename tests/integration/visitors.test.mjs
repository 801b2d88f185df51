// The info point (issue 18) through the real binary: areas and turnstiles configured by an
// admin, visitors registered (or pre-registered by a host and confirmed) with a pass, turnstile
// checks with their reasons (expired, wrong area, another ente's turnstile, replayed token,
// anti-passback, revoked, unknown token), concurrent checks at two turnstiles, the occupancy
// list, every look at the lists recorded, who may see what, day closing flagging a pass still
// inside and the retention erasing visitor data. Wednesday 25 November 2026, 09:30 in Rome; the
// clock stands still (--clock-control) and is moved by POST /api/v1/test/clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Client, backend } from './lib.mjs';

let srv, admin, supervisor, op, mayor, collina;
let social, tax, gSocial, gSocial2, gTax, gCollina;
const E = '/api/v1/enti/esempio';

const device = (token) => {
  const c = new Client(srv.url);
  const req = c.req.bind(c);
  c.req = (m, p, b, o = {}) => req(m, p, b, { ...o, headers: { authorization: `Bearer ${token}`, ...(o.headers || {}) } });
  return c;
};
const advance = async (seconds) => {
  const r = await new Client(srv.url).post('/api/v1/test/clock', { advance_seconds: seconds });
  assert.equal(r.status, 200, r.text);
};
const check = async (gate, token, direction = 'in') => {
  const r = await gate.post('/api/v1/turnstile/check', { token, direction });
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const visitor = (extra = {}) => ({
  first_name: 'Mario', last_name: 'Rossi', office: 'sociali', reason: 'Colloquio assistente sociale',
  expected_minutes: 30, ...extra,
});
const register = async (who, extra) => {
  const r = await who.post(`${E}/visitors`, visitor(extra));
  assert.equal(r.status, 201, r.text);
  return r.json;
};

before(async () => {
  srv = await startServer({ now: '2026-11-25T08:30:00Z', extraArgs: ['--clock-control', 'true'] });
  admin = await loggedIn(srv.url, 'admin');
  supervisor = await loggedIn(srv.url, 'supervisor');
  op = await loggedIn(srv.url, 'operator');
  mayor = await loggedIn(srv.url, 'mayor');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  // The URP runs the info point: its operators register visitors.
  const s = await admin.put(`${E}/visitors/settings`, { info_office: 'urp', retention_hours: 24 });
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.info_office.id.length > 0, true);
  assert.equal(s.json.retention_hours, 24);
  let r = await admin.post(`${E}/visitor-areas`, { name: 'Servizi sociali, primo piano', offices: ['sociali'] });
  assert.equal(r.status, 201, r.text);
  social = r.json;
  assert.deepEqual(social.offices.map((o) => o.name).length, 1);
  r = await admin.post(`${E}/visitor-areas`, { name: 'Tributi, secondo piano', offices: ['tributi'] });
  tax = r.json;
  const gate = async (c, slug, name, area) => {
    const t = await c.post(`/api/v1/enti/${slug}/turnstiles`, { name, area });
    assert.equal(t.status, 201, t.text);
    assert.ok(t.json.token.length >= 43);
    // The tablet's setup address (absolute: it is also the QR's content), the token in its fragment.
    assert.equal(t.json.url, `${srv.url}/turnstile/${t.json.turnstile.id}#token=${t.json.token}`);
    assert.match(t.json.qr_svg, /^<svg/);
    return device(t.json.token);
  };
  gSocial = await gate(admin, 'esempio', 'Tornello sociali A', social.id);
  gSocial2 = await gate(admin, 'esempio', 'Tornello sociali B', social.id);
  gTax = await gate(admin, 'esempio', 'Tornello tributi', tax.id);
  const carea = await collina.post('/api/v1/enti/collina/visitor-areas', { name: 'Municipio', offices: ['urp'] });
  assert.equal(carea.status, 201, carea.text);
  gCollina = await gate(collina, 'collina', 'Porta municipio', carea.json.id);
});
after(async () => { await srv?.stop(); });

test(`[${backend}] configuration is the admin's; bad input changes nothing`, async () => {
  assert.equal((await op.post(`${E}/visitor-areas`, { name: 'X', offices: ['urp'] })).status, 403);
  assert.equal((await supervisor.post(`${E}/turnstiles`, { name: 'X', area: social.id })).status, 403);
  assert.equal((await op.get(`${E}/turnstiles`)).status, 403);
  let r = await admin.post(`${E}/visitor-areas`, { name: 'Altro', offices: ['nessuno'] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'offices');
  r = await admin.post(`${E}/visitor-areas`, { name: 'Servizi sociali, primo piano', offices: ['urp'] });
  assert.equal(r.status, 409, r.text);
  r = await admin.post(`${E}/turnstiles`, { name: 'X', area: 'nope' });
  assert.equal(r.status, 400);
  // Another ente's area is not this ente's.
  const ca = (await collina.get('/api/v1/enti/collina/visitor-areas')).json.areas[0];
  r = await admin.post(`${E}/turnstiles`, { name: 'X', area: ca.id });
  assert.equal(r.status, 400);
  const areas = (await op.get(`${E}/visitor-areas`)).json.areas;
  assert.deepEqual(areas.map((a) => a.name), ['Servizi sociali, primo piano', 'Tributi, secondo piano']);
  const list = (await admin.get(`${E}/turnstiles`)).json.turnstiles;
  assert.equal(list.length, 3);
  assert.ok(list.every((t) => !('token' in t) && !('token_hash' in t)));
  // A turnstile without a token, or with a wrong one, is refused (not "denied": unauthorised).
  assert.equal((await new Client(srv.url).post('/api/v1/turnstile/check', { token: 'x', direction: 'in' })).status, 401);
  assert.equal((await device('nope').post('/api/v1/turnstile/check', { token: 'x', direction: 'in' })).status, 401);
  assert.equal((await gSocial.post('/api/v1/turnstile/check', { token: 'x', direction: 'up' })).status, 400);
  const home = await gSocial.get('/api/v1/turnstile');
  assert.equal(home.status, 200, home.text);
  assert.equal(home.json.turnstile.area_name, 'Servizi sociali, primo piano');
  assert.equal(home.json.ente.slug, 'esempio');
});

test(`[${backend}] the whole life: register → enter → exit, with least data on the badge`, async () => {
  const p = await register(op, { first_name: 'Anna Maria', last_name: 'Verdi', document_type: "Carta d'identità", document_number: 'CA 12345 AB' });
  assert.equal(p.visitor.state, 'registered');
  assert.deepEqual(p.visitor.document, { type: "Carta d'identità", tail: '45AB' });
  assert.ok(!JSON.stringify(p).includes('12345'), 'the document number is not kept');
  assert.deepEqual(p.badge, { first_name: 'Anna', destination: 'Servizi sociali' });
  assert.match(p.qr_svg, /^<svg/);
  assert.ok(p.token.length >= 43);
  // Valid for the visit (30 min) plus the grace (30 min).
  assert.equal(p.visitor.pass.valid_until, '2026-11-25T09:30:00Z');

  let a = await check(gSocial, p.token, 'in');
  assert.deepEqual([a.allowed, a.reason, a.first_name, a.destination], [true, 'ok', 'Anna', 'Servizi sociali']);
  const occ = await op.get(`${E}/occupancy`);
  assert.equal(occ.status, 200, occ.text);
  const area = occ.json.areas.find((x) => x.id === social.id);
  assert.deepEqual(area.inside.map((v) => v.last_name), ['Verdi']);
  // Replayed: the same badge again at the entrance without an exit.
  a = await check(gSocial2, p.token, 'in');
  assert.deepEqual([a.allowed, a.reason, a.first_name], [false, 'anti_passback', null]);
  // Exit where it entered; then no second exit.
  a = await check(gSocial2, p.token, 'out');
  assert.deepEqual([a.allowed, a.reason], [true, 'ok']);
  a = await check(gSocial, p.token, 'out');
  assert.deepEqual([a.allowed, a.reason], [false, 'anti_passback']);
  const after = (await op.get(`${E}/occupancy`)).json.areas.find((x) => x.id === social.id);
  assert.equal(after.inside.length, 0);
  // Back in within the window: allowed again.
  a = await check(gSocial, p.token, 'in');
  assert.equal(a.allowed, true);
  a = await check(gSocial, p.token, 'out');
  assert.equal(a.allowed, true);
});

test(`[${backend}] wrong area, another ente's turnstile, unknown token, revoked pass`, async () => {
  const p = await register(op);
  let a = await check(gTax, p.token);
  assert.deepEqual([a.allowed, a.reason], [false, 'wrong_area']);
  a = await check(gCollina, p.token);
  assert.deepEqual([a.allowed, a.reason, a.first_name], [false, 'other_ente', null]);
  a = await check(gSocial, p.token.slice(0, -2) + (p.token.endsWith('AA') ? 'BB' : 'AA'));
  assert.deepEqual([a.allowed, a.reason], [false, 'unknown_token']);
  // Entered, then revoked: no new entry, but the exit is never refused.
  assert.equal((await check(gSocial, p.token)).allowed, true);
  assert.equal((await mayor.post(`${E}/visitors/${p.visitor.id}/revoke`, {})).status, 403);
  const rv = await op.post(`${E}/visitors/${p.visitor.id}/revoke`, {});
  assert.equal(rv.status, 200, rv.text);
  assert.ok(rv.json.pass.revoked_at);
  a = await check(gSocial, p.token, 'out');
  assert.equal(a.allowed, true);
  a = await check(gSocial, p.token, 'in');
  assert.deepEqual([a.allowed, a.reason], [false, 'revoked']);
  // A new badge replaces the old token (lost badge): the old one is unknown now.
  const re = await op.post(`${E}/visitors/${p.visitor.id}/pass`, {});
  assert.equal(re.status, 200, re.text);
  assert.notEqual(re.json.token, p.token);
  assert.equal((await check(gSocial, p.token)).reason, 'unknown_token');
  assert.equal((await check(gSocial, re.json.token)).allowed, true);
  assert.equal((await check(gSocial, re.json.token, 'out')).allowed, true);
});

test(`[${backend}] concurrent checks of one pass at two turnstiles: exactly one lets it in`, async () => {
  for (let round = 0; round < 5; round++) {
    const p = await register(op, { last_name: `Concorrente ${round}` });
    const answers = await Promise.all([
      check(gSocial, p.token), check(gSocial2, p.token), check(gSocial, p.token), check(gSocial2, p.token),
    ]);
    assert.equal(answers.filter((x) => x.allowed).length, 1, JSON.stringify(answers));
    assert.ok(answers.filter((x) => !x.allowed).every((x) => x.reason === 'anti_passback'));
    const exits = await Promise.all([check(gSocial, p.token, 'out'), check(gSocial2, p.token, 'out')]);
    assert.equal(exits.filter((x) => x.allowed).length, 1, JSON.stringify(exits));
  }
  const occ = (await supervisor.get(`${E}/occupancy`)).json;
  assert.equal(occ.total, 0);
});

test(`[${backend}] pre-registration by the host, confirmed by the info point`, async () => {
  // The mayor's office is not the destination: refused. An operator of the destination may.
  let r = await mayor.post(`${E}/visitors/expected`, visitor({ office: 'anagrafe', expected_at: '2026-11-25T10:00:00Z' }));
  assert.equal(r.status, 403, r.text);
  r = await op.post(`${E}/visitors/expected`, visitor({ office: 'anagrafe', first_name: 'Luca', last_name: 'Bianchi', expected_at: '2026-11-25T10:00:00Z' }));
  assert.equal(r.status, 201, r.text);
  const exp = r.json;
  assert.deepEqual([exp.state, exp.pass, exp.host.name], ['expected', null, 'Giulia Rossi']);
  r = await op.post(`${E}/visitors/expected`, visitor({ office: 'anagrafe' }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'expected_at');
  // The mayor (not info point, not anagrafe) does not see it; the operator does.
  const mine = await mayor.get(`${E}/visitors`);
  assert.equal(mine.status, 200);
  assert.ok(!mine.json.visitors.some((v) => v.id === exp.id));
  const theirs = await op.get(`${E}/visitors`);
  assert.ok(theirs.json.visitors.some((v) => v.id === exp.id && v.state === 'expected'));
  // Confirmed at the desk: a pass; a second confirmation is a conflict.
  r = await op.post(`${E}/visitors/${exp.id}/confirm`, { document_type: 'Patente', document_number: 'U1234567X' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.visitor.state, 'registered');
  assert.deepEqual(r.json.visitor.document, { type: 'Patente', tail: '567X' });
  assert.deepEqual(r.json.badge, { first_name: 'Luca', destination: 'Anagrafe e Stato civile' });
  assert.equal((await op.post(`${E}/visitors/${exp.id}/confirm`, {})).status, 409);
  // Anagrafe is in no area: its pass opens none.
  assert.equal((await check(gSocial, r.json.token)).reason, 'wrong_area');
});

test(`[${backend}] only the info point registers and sees the lists; every look is recorded`, async () => {
  // The mayor is an operator of another office: no registration, no occupancy list.
  assert.equal((await mayor.post(`${E}/visitors`, visitor())).status, 403);
  assert.equal((await mayor.get(`${E}/occupancy`)).status, 403);
  assert.equal((await op.get(`${E}/visitors/views`)).status, 403);
  assert.equal((await op.get(`${E}/visitors/entries`)).status, 403);
  // Another ente's admin sees nothing of this ente.
  assert.equal((await collina.get(`${E}/visitors`)).status, 403);
  assert.equal((await collina.get(`${E}/occupancy`)).status, 403);
  // Bad input: clear error, nothing stored.
  const before = (await op.get(`${E}/visitors`)).json.visitors.length;
  let r = await op.post(`${E}/visitors`, visitor({ office: 'nessuno' }));
  assert.equal(r.status, 400);
  r = await op.post(`${E}/visitors`, visitor({ first_name: '' }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'first_name');
  r = await op.post(`${E}/visitors`, visitor({ document_number: '123' }));
  assert.equal(r.json.error.field, 'document_type');
  r = await op.post(`${E}/visitors`, visitor({ expected_minutes: 2 }));
  assert.equal(r.status, 400);
  r = await op.post(`${E}/visitors`, { ...visitor(), badge: 'x' });
  assert.equal(r.status, 400);
  assert.equal((await op.get(`${E}/visitors`)).json.visitors.length, before);
  assert.equal((await op.get(`${E}/visitors?day=25-11-2026`)).status, 400);

  const views = await admin.get(`${E}/visitors/views`);
  assert.equal(views.status, 200, views.text);
  const seen = views.json.views.map((v) => `${v.operator_name} ${v.what}`);
  assert.ok(seen.includes('Giulia Rossi list:2026-11-25'), seen.join(', '));
  assert.ok(seen.includes('Giulia Rossi occupancy'), seen.join(', '));
  assert.ok(seen.includes('Marco Bianchi occupancy'), seen.join(', '));
  assert.ok(seen.includes('Il Sindaco list:2026-11-25'), seen.join(', '));
  // Monitoring: entries per hour (no names).
  const entries = await supervisor.get(`${E}/visitors/entries?day=2026-11-25`);
  assert.equal(entries.status, 200, entries.text);
  const h = entries.json.hours.find((x) => x.hour === '2026-11-25T08:00:00Z');
  assert.ok(h.entries >= 7 && h.denied >= 5, JSON.stringify(h));
});

test(`[${backend}] an expired pass; a pass still inside at closing time is flagged; data erased after the retention`, async () => {
  const early = await register(op, { last_name: 'Scaduto', expected_minutes: 5 });
  const stays = await register(op, { last_name: 'Ritardatario', expected_minutes: 5 });
  assert.equal((await check(gSocial, stays.token)).allowed, true);
  await advance(36 * 60);  // 09:06Z: both windows (5 + 30 min) are over
  const a = await check(gSocial, early.token);
  assert.deepEqual([a.allowed, a.reason], [false, 'expired']);
  // The test clock runs the day closing: the one still inside is flagged on the evacuation list.
  const occ = (await op.get(`${E}/occupancy`)).json.areas.find((x) => x.id === social.id);
  const late = occ.inside.find((v) => v.last_name === 'Ritardatario');
  assert.equal(late.overstay, true);
  // Leaving is never refused; the flag goes with the exit.
  assert.equal((await check(gSocial, stays.token, 'out')).allowed, true);

  // 24 h of retention (the ente's setting): a day later every visitor of today is gone, the
  // counts per hour stay.
  await advance(25 * 3600);
  // Sessions last 12 hours: sign in again.
  const op2 = await loggedIn(srv.url, 'operator');
  const supervisor2 = await loggedIn(srv.url, 'supervisor');
  const list = await op2.get(`${E}/visitors?day=2026-11-25`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.visitors.length, 0);
  assert.equal((await check(gSocial, stays.token, 'in')).reason, 'unknown_token');
  const entries = await supervisor2.get(`${E}/visitors/entries?day=2026-11-25`);
  assert.ok(entries.json.hours.reduce((n, x) => n + x.entries, 0) >= 7);
});
