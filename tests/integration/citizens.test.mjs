// Citizens' SPID / CIE sign-in (issue 19) through the real binary and a real OpenID Provider
// (tests/tools/oidc-op.mjs: the npm `oidc-provider` on loopback): the ente's admin configures two
// providers (client_secret_basic with RS256 ID tokens; private_key_jwt with ES256), a citizen
// signs in by following the HTTP redirects (authorization code + PKCE, state, nonce), the kept
// attributes, refused ID tokens (forged signature, expired, wrong audience, wrong nonce), a wrong
// or replayed state, key rotation (the JWKS fetched again for an unknown kid), CSRF, the session
// bound to its ente, sign-out with the provider's end_session, and the idle timeout.
// The server runs on the real clock (the provider's tokens carry real times); the idle timeout
// test starts its own server with a clock that stands still and moves on request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { startServer, loggedIn, onDutyAt, Client, backend, repoRoot } from './lib.mjs';
import { startOp } from '../tools/oidc-op.mjs';

const jose = createRequire(resolve(repoRoot, 'web/package.json'))('jose');

let srv, op, admin, clientKey;
const slug = 'esempio';
const api = `/api/v1/enti/${slug}/citizens`;

async function makeClientKey() {
  const kp = await jose.generateKeyPair('ES256', { extractable: true });
  const priv = { ...(await jose.exportJWK(kp.privateKey)), kid: 'sportello-es-1' };
  const pub = { ...(await jose.exportJWK(kp.publicKey)), kid: 'sportello-es-1', use: 'sig', alg: 'ES256' };
  return { priv, pub };
}

async function startOpFor(url) {
  const redirect = `${url}${api}/callback`;
  const after = `${url}/${slug}/area-personale`;
  return startOp({
    clients: [
      { client_id: 'sportello-rs', client_secret: 'segreto-rs-di-prova', redirect_uris: [redirect],
        post_logout_redirect_uris: [after], token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256' },
      { client_id: 'sportello-es', redirect_uris: [redirect], post_logout_redirect_uris: [after],
        token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [clientKey.pub] }, id_token_signed_response_alg: 'ES256' },
    ],
  });
}

async function configure(adminClient, issuer) {
  let r = await adminClient.put(`${api}/admin/providers/spid`, {
    label: 'Entra con SPID', issuer, client_id: 'sportello-rs', client_secret: 'segreto-rs-di-prova',
    auth: 'client_secret_basic', scopes: 'openid profile email phone' });
  assert.equal(r.status, 200, r.text);
  r = await adminClient.put(`${api}/admin/providers/cie`, {
    label: 'Entra con CIE', issuer, client_id: 'sportello-es', auth: 'private_key_jwt',
    private_jwk: JSON.stringify(clientKey.priv), scopes: 'openid profile email' });
  assert.equal(r.status, 200, r.text);
}

before(async () => {
  clientKey = await makeClientKey();
  srv = await startServer();
  op = await startOpFor(srv.url);
  admin = await loggedIn(srv.url, 'admin');
  await configure(admin, op.issuer);
});
after(async () => { await srv?.stop(); await op?.stop(); });

// The provider's side of the browser: its own cookie jar, redirects followed by hand.
class OpBrowser {
  constructor() { this.cookies = new Map(); }
  async go(url, { method = 'GET', form } = {}) {
    const headers = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body;
    if (form) { body = new URLSearchParams(form).toString(); headers['content-type'] = 'application/x-www-form-urlencoded'; }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      const k = kv.slice(0, i), v = kv.slice(i + 1);
      if (v === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    const loc = res.headers.get('location');
    return { status: res.status, location: loc ? new URL(loc, url).href : null, text: await res.text() };
  }
}

// Sign-in up to the provider's redirect back to Sportello: the callback URL (not yet visited).
async function toCallback(citizen, user, provider = 'spid', returnTo = '', opBrowser = new OpBrowser()) {
  const q = returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : '';
  const start = await citizen.get(`${api}/login/${provider}${q}`);
  assert.equal(start.status, 303, start.text);
  const authz = new URL(start.headers.get('location'));
  assert.equal(authz.origin, op.issuer);
  assert.equal(authz.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authz.searchParams.get('state').length >= 43);
  assert.ok(authz.searchParams.get('nonce').length >= 43);
  let r = await opBrowser.go(authz.href);
  assert.equal(r.status, 303, r.text);
  const interaction = r.location;
  r = await opBrowser.go(interaction);
  assert.equal(r.status, 200);
  assert.match(r.text, /Mario Rossi/);
  r = await opBrowser.go(`${interaction}/login`, { method: 'POST', form: { user } });
  assert.equal(r.status, 303, r.text);
  for (let i = 0; i < 5 && r.location.startsWith(op.issuer); i++) r = await opBrowser.go(r.location);
  assert.ok(r.location.startsWith(`${srv.url}${api}/callback?`), r.location);
  return new URL(r.location);
}

async function signIn(user, provider = 'spid', returnTo = '') {
  const citizen = new Client(srv.url);
  const cb = await toCallback(citizen, user, provider, returnTo);
  const done = await citizen.get(cb.pathname + cb.search);
  assert.equal(done.status, 303, done.text);
  return { citizen, location: done.headers.get('location') };
}

const refusedWith = (r) => {
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.match(loc, new RegExp(`^/${slug}/area-personale\\?errore_accesso=`));
  return loc;
};

test(`[${backend}] only an admin of the ente configures providers; secrets are never shown`, async () => {
  const operator = await loggedIn(srv.url, 'operator');
  let r = await operator.put(`${api}/admin/providers/altro`, { label: 'X', issuer: op.issuer, client_id: 'x', client_secret: 's' });
  assert.equal(r.status, 403, r.text);
  const collina = await loggedIn(srv.url, 'collinaAdmin');
  r = await collina.get(`${api}/admin/providers`);
  assert.equal(r.status, 403, r.text);
  r = await admin.put(`${api}/admin/providers/altro`, { label: 'X', issuer: 'http://op.example', client_id: 'x', client_secret: 's' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'issuer');
  r = await admin.put(`${api}/admin/providers/Altro!`, { label: 'X', issuer: op.issuer, client_id: 'x', client_secret: 's' });
  assert.equal(r.status, 400);
  r = await admin.put(`${api}/admin/providers/altro`, { label: 'X', issuer: op.issuer, client_id: 'x', auth: 'private_key_jwt', private_jwk: JSON.stringify(clientKey.pub) });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'private_jwk');
  r = await admin.get(`${api}/admin/providers`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.providers.map((p) => p.key), ['cie', 'spid']);
  assert.ok(!r.text.includes('segreto-rs-di-prova'));
  assert.ok(!r.text.includes(clientKey.priv.d));
  assert.equal(r.json.providers.find((p) => p.key === 'spid').has_client_secret, true);
  r = await new Client(srv.url).get(`${api}/providers`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.providers, [{ key: 'cie', label: 'Entra con CIE' }, { key: 'spid', label: 'Entra con SPID' }]);
  r = await new Client(srv.url).get('/api/v1/enti/collina/citizens/providers');
  assert.deepEqual(r.json.providers, []);
});

test(`[${backend}] full sign-in through the redirects: the session keeps fiscal number, names, email and phone only`, async () => {
  const { citizen, location } = await signIn('mario', 'spid', `/${slug}/prenota`);
  assert.equal(location, `/${slug}/prenota`);
  assert.ok(citizen.cookies.get('sportello_citizen'));
  assert.ok(!citizen.cookies.has('sportello_session'));
  const me = await citizen.get(`${api}/session`);
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json.citizen, { fiscal_number: 'RSSMRA80A01H501U', given_name: 'Mario', family_name: 'Rossi',
    email: 'mario.rossi@example.it', phone: '+393331112222' });
  assert.equal(me.json.provider, 'spid');
  assert.ok(me.json.csrf_token.length >= 43);
  // The citizen session is no staff session, and not a session on another ente.
  assert.equal((await citizen.get('/api/v1/session')).status, 401);
  assert.equal((await citizen.get('/api/v1/enti/collina/citizens/session')).status, 401);
  // An unsafe return_to falls back to the personal area.
  const evil = await signIn('mario', 'spid', 'https://evil.example/');
  assert.equal(evil.location, `/${slug}/area-personale`);
});

test(`[${backend}] private_key_jwt client with ES256 ID tokens`, async () => {
  const { citizen } = await signIn('giulia', 'cie');
  const me = await citizen.get(`${api}/session`);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.citizen.fiscal_number, 'BNCGLI85M41F205X');
  assert.equal(me.json.citizen.phone, '');  // the "phone" scope was not asked for
  assert.equal(me.json.provider, 'cie');
});

test(`[${backend}] a wrong, replayed or other browser's state is refused`, async () => {
  const citizen = new Client(srv.url);
  const cb = await toCallback(citizen, 'mario');
  const forged = new URL(cb);
  forged.searchParams.set('state', 'x'.repeat(43));
  refusedWith(await citizen.get(forged.pathname + forged.search));
  // Another browser (without the login cookie) brings the right state: refused, and the state
  // is spent.
  const other = new Client(srv.url);
  refusedWith(await other.get(cb.pathname + cb.search));
  refusedWith(await citizen.get(cb.pathname + cb.search));
  assert.ok(!citizen.cookies.has('sportello_citizen'));
  assert.equal((await citizen.get(`${api}/session`)).status, 401);
  // A state used once cannot be used again.
  const again = new Client(srv.url);
  const cb2 = await toCallback(again, 'mario');
  assert.equal((await again.get(cb2.pathname + cb2.search)).status, 303);
  assert.ok(again.cookies.has('sportello_citizen'));
  const replay = await again.get(cb2.pathname + cb2.search);
  refusedWith(replay);
});

for (const [mode, why] of [['forge', 'firma del token di identità non valida'],
  ['expired', 'scaduto'], ['audience', 'destinatario (aud) diverso'], ['nonce', 'nonce diverso']]) {
  test(`[${backend}] an ID token with ${mode === 'forge' ? 'a forged signature' : mode === 'expired' ? 'an expiry in the past' : `a wrong ${mode}`} is refused`, async () => {
    for (const provider of ['spid', 'cie']) {
      const citizen = new Client(srv.url);
      const cb = await toCallback(citizen, 'mario', provider);
      op.tamper(mode);
      let r;
      try { r = await citizen.get(cb.pathname + cb.search); } finally { op.tamper(null); }
      refusedWith(r);
      assert.ok(!citizen.cookies.has('sportello_citizen'));
      assert.ok(srv.log().includes(why), `log lacks "${why}"`);
    }
  });
}

test(`[${backend}] key rotation: an unknown kid makes the server fetch the JWKS again`, async () => {
  await signIn('mario');  // the keys are cached
  const before = op.jwksRequests;
  const oldKids = op.kids;
  await op.rotateKeys();
  assert.notDeepEqual(op.kids, oldKids);
  for (const provider of ['spid', 'cie']) {
    const { citizen } = await signIn('mario', provider);
    assert.equal((await citizen.get(`${api}/session`)).status, 200);
  }
  assert.equal(op.jwksRequests, before + 1, 'fetched once, then cached again');
});

test(`[${backend}] sign-out needs the CSRF token, ends the session and hands the provider's end_session`, async () => {
  const citizen = new Client(srv.url);
  const opBrowser = new OpBrowser();
  const cb = await toCallback(citizen, 'mario', 'spid', '', opBrowser);
  await citizen.get(cb.pathname + cb.search);
  const me = await citizen.get(`${api}/session`);
  assert.equal(me.status, 200);
  let r = await citizen.del(`${api}/session`);
  assert.equal(r.status, 403, r.text);
  r = await citizen.del(`${api}/session`, { headers: { 'x-csrf-token': 'wrong' } });
  assert.equal(r.status, 403);
  const token = citizen.cookies.get('sportello_citizen');
  r = await citizen.del(`${api}/session`, { headers: { 'x-csrf-token': me.json.csrf_token } });
  assert.equal(r.status, 200, r.text);
  assert.ok(!citizen.cookies.has('sportello_citizen'));
  const end = new URL(r.json.end_session_url);
  assert.equal(`${end.origin}${end.pathname}`, `${op.issuer}/session/end`);
  assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${srv.url}/${slug}/area-personale`);
  assert.ok(end.searchParams.get('id_token_hint'));
  // The old cookie no longer opens anything.
  const replay = new Client(srv.url);
  replay.cookies.set('sportello_citizen', token);
  assert.equal((await replay.get(`${api}/session`)).status, 401);
  // At the provider: the confirmation form, then back to the personal area.
  let p = await opBrowser.go(end.href);
  assert.equal(p.status, 200);
  const xsrf = p.text.match(/name="xsrf" value="([^"]+)"/)[1];
  const action = new URL(p.text.match(/action="([^"]+)"/)[1], op.issuer).href;
  p = await opBrowser.go(action, { method: 'POST', form: { xsrf, logout: 'yes' } });
  assert.equal(p.status, 303, p.text);
  assert.equal(p.location, `${srv.url}/${slug}/area-personale`);
  // The provider's session ended too: a new sign-in asks who again.
  const again = await citizen.get(`${api}/login/spid`);
  const r2 = await opBrowser.go(again.headers.get('location'));
  assert.match(r2.location, /\/interaction\//);
});

// The free slots of an office's first plan after two days (the server runs on the real clock).
async function freeSlots(office = 'anagrafe') {
  const anon = new Client(srv.url);
  const offices = await anon.get(`/api/v1/enti/${slug}/booking/offices`);
  assert.equal(offices.status, 200, offices.text);
  const o = offices.json.offices.find((x) => x.slug === office);
  const service = o.plans[0].service?.id ?? null;
  const now = new Date();
  const out = [];
  for (let m = 0; m < 3 && out.length < 4; m++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1));
    const month = d.toISOString().slice(0, 7);
    const q = service ? `&service=${service}` : '';
    const a = await anon.get(`/api/v1/enti/${slug}/offices/${office}/availability?month=${month}${q}`);
    assert.equal(a.status, 200, a.text);
    out.push(...a.json.slots.filter((x) => x.free > 0 && new Date(x.start_at) > new Date(now.getTime() + 2 * 86400_000)));
  }
  return { service, slots: out };
}

// An anonymous booking at the first free slot of an office: { code, secret, date, start }.
async function anonymousBooking(email, office = 'anagrafe') {
  const { service, slots } = await freeSlots(office);
  if (!slots.length) throw new Error('no free slot in three months');
  const free = slots[0];
  const body = { office, date: free.date, start: free.start, first_name: 'Mario', last_name: 'Rossi', email, privacy_accepted: true };
  if (service) body.service = service;
  const r = await new Client(srv.url).post(`/api/v1/enti/${slug}/bookings`, body);
  assert.equal(r.status, 201, r.text);
  return { code: r.json.booking.code, secret: r.json.secret, date: free.date, start: free.start };
}

test(`[${backend}] a booking made before signing in is claimed once by its secret; nobody else sees it`, async () => {
  const b = await anonymousBooking('mario.claim@example.org');
  const mario = (await signIn('mario')).citizen;
  const giulia = (await signIn('giulia')).citizen;
  const csrf = async (c) => (await c.get(`${api}/session`)).json.csrf_token;
  const marioCsrf = await csrf(mario);
  const giuliaCsrf = await csrf(giulia);
  // Nothing yet.
  let area = await mario.get(`${api}/area`);
  assert.equal(area.status, 200, area.text);
  assert.deepEqual(area.json.appointments, []);
  // No CSRF token, a wrong secret, an unknown kind: refused, nothing linked.
  let r = await mario.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: b.secret });
  assert.equal(r.status, 403);
  r = await mario.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: 'x'.repeat(43) }, { headers: { 'x-csrf-token': marioCsrf } });
  assert.equal(r.status, 404);
  r = await mario.post(`${api}/area/claims`, { kind: 'rating', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': marioCsrf } });
  assert.equal(r.status, 400);
  r = await mario.post(`${api}/area/claims`, { kind: 'case', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': marioCsrf } });
  assert.equal(r.status, 404, 'a booking\'s secret does not open a case');
  assert.deepEqual((await mario.get(`${api}/area`)).json.appointments, []);
  // Claimed by its holder, twice is the same claim.
  r = await mario.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': marioCsrf } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { kind: 'booking', ref: b.code, already: false });
  r = await mario.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': marioCsrf } });
  assert.equal(r.json.already, true);
  area = await mario.get(`${api}/area`);
  assert.equal(area.json.appointments.length, 1);
  assert.equal(area.json.appointments[0].code, b.code);
  assert.equal(area.json.appointments[0].date, b.date);
  assert.equal(area.json.appointments[0].start, b.start);
  assert.equal(area.json.appointments[0].state, 'booked');
  assert.equal(area.json.appointments[0].office, 'Anagrafe e Stato civile');
  // IDOR: another citizen, even holding the secret, neither sees nor takes it.
  assert.deepEqual((await giulia.get(`${api}/area`)).json.appointments, []);
  r = await giulia.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': giuliaCsrf } });
  assert.equal(r.status, 409, r.text);
  assert.deepEqual((await giulia.get(`${api}/area`)).json.appointments, []);
  // Without a session, or on another ente: nothing.
  assert.equal((await new Client(srv.url).get(`${api}/area`)).status, 401);
  assert.equal((await mario.get('/api/v1/enti/collina/citizens/area')).status, 401);
});

test(`[${backend}] operators see "identità verificata" and the fiscal number of a signed-in citizen's visit, and only they`, async () => {
  // The URP receives all day today (Rome), with an operator on duty, so a knock is taken.
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Rome' });
  const rec = await admin.get(`/api/v1/enti/${slug}/offices/urp/reception`);
  const path = `/api/v1/enti/${slug}/offices/${rec.json.office.id}/schedule`;
  const sched = (await admin.get(path)).json;
  sched.exceptions = sched.exceptions.filter((e) => e.date !== today);
  for (const channel of [null, 'chat']) {
    sched.exceptions.push({ date: today, closed: false, intervals: [{ start: '00:00', end: '23:59' }], channel, note: 'Prova' });
  }
  assert.equal((await admin.put(path, sched)).status, 200);
  const operator = await onDutyAt(srv.url, 'operator');
  const knock = async () => {
    const r = await new Client(srv.url).post(`/api/v1/enti/${slug}/offices/urp/visits`, { mode: 'chat', name: 'Mario', topic: 'Residenza' });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const signedIn = await knock();
  const anonymous = await knock();
  const mario = (await signIn('mario')).citizen;
  const csrf = (await mario.get(`${api}/session`)).json.csrf_token;
  // The visit page links the visit it just made (its token is the proof).
  let r = await mario.post(`${api}/area/claims`, { kind: 'visit', code: signedIn.visit.id, token: 'nope-nope-nope-nope' }, { headers: { 'x-csrf-token': csrf } });
  assert.equal(r.status, 404);
  r = await mario.post(`${api}/area/claims`, { kind: 'visit', code: signedIn.visit.id, token: signedIn.token }, { headers: { 'x-csrf-token': csrf } });
  assert.equal(r.status, 200, r.text);
  r = await operator.get(`${api}/identity/visit/${signedIn.visit.id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { verified: true, fiscal_number: 'RSSMRA80A01H501U', given_name: 'Mario', family_name: 'Rossi', provider: 'spid' });
  r = await operator.get(`${api}/identity/visit/${anonymous.visit.id}`);
  assert.deepEqual(r.json, { verified: false });
  // Not for citizens, nor for another ente's staff.
  assert.equal((await mario.get(`${api}/identity/visit/${signedIn.visit.id}`)).status, 401);
  assert.equal((await new Client(srv.url).get(`${api}/identity/visit/${signedIn.visit.id}`, { headers: { 'x-visit-token': signedIn.token } })).status, 401);
  const collina = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await collina.get(`/api/v1/enti/collina/citizens/identity/visit/${signedIn.visit.id}`)).status, 404);
  assert.equal((await collina.get(`${api}/identity/visit/${signedIn.visit.id}`)).status, 403);
  // Another citizen cannot take the visit over.
  const giulia = (await signIn('giulia')).citizen;
  const gcsrf = (await giulia.get(`${api}/session`)).json.csrf_token;
  r = await giulia.post(`${api}/area/claims`, { kind: 'visit', code: signedIn.visit.id, token: signedIn.token }, { headers: { 'x-csrf-token': gcsrf } });
  assert.equal(r.status, 409);
});

const withCsrf = (csrf) => ({ headers: { 'x-csrf-token': csrf } });
async function signedInWithCsrf(user) {
  const c = (await signIn(user)).citizen;
  const csrf = (await c.get(`${api}/session`)).json.csrf_token;
  return { c, csrf };
}

// The URP receives on every channel all day today (Rome): knocks and walk-in tickets are taken.
async function openUrpToday() {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Rome' });
  const rec = await admin.get(`/api/v1/enti/${slug}/offices/urp/reception`);
  const path = `/api/v1/enti/${slug}/offices/${rec.json.office.id}/schedule`;
  const sched = (await admin.get(path)).json;
  sched.exceptions = sched.exceptions.filter((e) => e.date !== today);
  for (const channel of [null, 'chat', 'walk_in']) {
    sched.exceptions.push({ date: today, closed: false, intervals: [{ start: '00:00', end: '23:59' }], channel, note: 'Prova' });
  }
  const r = await admin.put(path, sched);
  assert.equal(r.status, 200, r.text);
}

// Mario's objects, made in the tests below and read again by the operators' test.
const marios = {};

test(`[${backend}] the personal area moves and cancels a claimed appointment with the session alone; nobody else can`, async () => {
  const b = await anonymousBooking('mario.move@example.org');
  const notHis = await anonymousBooking('someone.else@example.org');
  const { c: mario, csrf } = await signedInWithCsrf('mario');
  const { c: giulia, csrf: gcsrf } = await signedInWithCsrf('giulia');
  let r = await mario.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: b.secret }, withCsrf(csrf));
  assert.equal(r.status, 200, r.text);
  marios.appointment = b.code;
  const bookings = `/api/v1/enti/${slug}/bookings`;
  // Read with the session alone: its citizen only, on its ente only.
  r = await mario.get(`${bookings}/${b.code}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.code, b.code);
  assert.equal((await giulia.get(`${bookings}/${b.code}`)).status, 404);
  assert.equal((await new Client(srv.url).get(`${bookings}/${b.code}`)).status, 404);
  // Another ente's pages do not see the session (as the citizens' own routes: 401).
  assert.equal((await mario.get(`/api/v1/enti/collina/bookings/${b.code}`)).status, 401);
  assert.equal((await mario.get(`${bookings}/${notHis.code}`)).status, 404, 'a booking he did not claim');
  // Changes: the CSRF token, the claim, the session are each required; nothing changes without.
  assert.equal((await mario.post(`${bookings}/${b.code}/cancel`, {})).status, 403);
  assert.equal((await mario.post(`${bookings}/${b.code}/cancel`, {}, withCsrf(gcsrf))).status, 403, "another session's CSRF token");
  assert.equal((await giulia.post(`${bookings}/${b.code}/cancel`, {}, withCsrf(gcsrf))).status, 404);
  assert.equal((await new Client(srv.url).post(`${bookings}/${b.code}/cancel`, {})).status, 404);
  assert.equal((await admin.post(`${bookings}/${b.code}/cancel`, {})).status, 404, "a staff session is not the holder's proof");
  assert.equal((await mario.post(`${bookings}/${notHis.code}/cancel`, {}, withCsrf(csrf))).status, 404);
  assert.equal((await mario.post(`/api/v1/enti/collina/bookings/${b.code}/cancel`, {}, withCsrf(csrf))).status, 401);
  const { slots } = await freeSlots();
  const to = slots.find((x) => x.date !== b.date || x.start !== b.start);
  assert.equal((await giulia.post(`${bookings}/${b.code}/reschedule`, { date: to.date, start: to.start }, withCsrf(gcsrf))).status, 404);
  assert.equal((await mario.post(`${bookings}/${b.code}/reschedule`, { date: to.date, start: to.start })).status, 403);
  let area = (await mario.get(`${api}/area`)).json;
  let mine = area.appointments.find((a) => a.code === b.code);
  assert.deepEqual([mine.state, mine.date, mine.start, mine.can_change], ['booked', b.date, b.start, true]);
  assert.equal((await mario.get(`${bookings}/${notHis.code}`, { headers: { 'x-booking-token': notHis.secret } })).json.state, 'booked');
  // Moved, then cancelled, by its citizen.
  r = await mario.post(`${bookings}/${b.code}/reschedule`, { date: to.date, start: to.start }, withCsrf(csrf));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.date, r.json.start], [to.date, to.start]);
  area = (await mario.get(`${api}/area`)).json;
  mine = area.appointments.find((a) => a.code === b.code);
  assert.deepEqual([mine.date, mine.start, mine.state], [to.date, to.start, 'booked']);
  r = await mario.post(`${bookings}/${b.code}/cancel`, {}, withCsrf(csrf));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'cancelled');
  area = (await mario.get(`${api}/area`)).json;
  mine = area.appointments.find((a) => a.code === b.code);
  assert.deepEqual([mine.state, mine.can_change], ['cancelled', false]);
  assert.equal((await mario.post(`${bookings}/${b.code}/cancel`, {}, withCsrf(csrf))).status, 409);
  // The holder's link still works as before.
  assert.equal((await new Client(srv.url).get(`${bookings}/${b.code}`, { headers: { 'x-booking-token': b.secret } })).json.state, 'cancelled');
  assert.equal((await giulia.get(`${api}/area`)).json.appointments.length, 0);
});

test(`[${backend}] cases, today's tickets and visits with their transcript and ratings in the area: claimed once, only the citizen's, never an internal note`, async () => {
  await openUrpToday();
  const operator = await onDutyAt(srv.url, 'operator');
  const { c: mario, csrf } = await signedInWithCsrf('mario');
  const { c: giulia, csrf: gcsrf } = await signedInWithCsrf('giulia');
  const claim = (who, token, kind, code, secret) => who.post(`${api}/area/claims`, { kind, code, token: secret }, withCsrf(token));

  // A message left on the URP opens a case; the message form claims it right after.
  const msg = await new Client(srv.url).post(`/api/v1/enti/${slug}/offices/urp/callback-requests`,
    { name: 'Mario Rossi', contact: 'mario.case@example.org', message: 'Vorrei il certificato di residenza.', privacy_accepted: true });
  assert.equal(msg.status, 201, msg.text);
  const { code: kcode, secret: ksecret } = msg.json.case;
  assert.equal((await claim(mario, csrf, 'case', kcode, ksecret.slice(0, -1) + (ksecret.at(-1) === 'Z' ? 'Y' : 'Z'))).status, 404);
  let r = await claim(mario, csrf, 'case', kcode, ksecret);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { kind: 'case', ref: kcode, already: false });
  assert.equal((await claim(giulia, gcsrf, 'case', kcode, ksecret)).status, 409);
  marios.case = kcode;
  const found = await operator.get(`/api/v1/enti/${slug}/cases?citizen=${encodeURIComponent('mario.case@example.org')}`);
  const caseId = found.json.cases[0].id;
  assert.equal((await operator.post(`/api/v1/cases/${caseId}/notes`, { body: 'Nota interna: controllare la residenza' })).status, 201);
  r = await operator.post(`/api/v1/cases/${caseId}/replies`, { channel: 'email', body: 'Il certificato è pronto allo sportello.' });
  assert.equal(r.status, 201, r.text);

  // A phone ticket of today, followed live.
  const sites = await admin.get(`/api/v1/enti/${slug}/sites`);
  const site = (Array.isArray(sites.json) ? sites.json : sites.json.sites).find((x) => x.kind === 'town_hall').id;
  const t = await new Client(srv.url).post(`/api/v1/enti/${slug}/sites/${site}/tickets`, { service: 'G', source: 'phone' });
  assert.equal(t.status, 201, t.text);
  assert.equal((await claim(mario, csrf, 'ticket', t.json.ticket.id, 'x'.repeat(43))).status, 404);
  assert.equal((await claim(mario, csrf, 'ticket', t.json.ticket.id, t.json.token)).status, 200);
  assert.equal((await claim(giulia, gcsrf, 'ticket', t.json.ticket.id, t.json.token)).status, 409);
  marios.ticket = t.json.ticket.code;
  let area = (await mario.get(`${api}/area`)).json;
  assert.deepEqual(area.tickets.map((x) => [x.code, x.state]), [[t.json.ticket.code, 'waiting']]);
  const counter = await admin.post(`/api/v1/enti/${slug}/counters`, { name: 'Area personale', site, services: ['G'] });
  assert.equal(counter.status, 201, counter.text);
  // Fresh server: the ticket is the only one waiting for G, so it is the one called.
  const called = await operator.post(`/api/v1/counters/${counter.json.id}/call-next`);
  assert.equal(called.json.ticket?.id, t.json.ticket.id, called.text);
  assert.equal(called.status, 200, called.text);
  area = (await mario.get(`${api}/area`)).json;
  assert.deepEqual([area.tickets[0].state, area.tickets[0].counter], ['called', 'Area personale']);
  assert.equal((await operator.post(`/api/v1/tickets/${t.json.ticket.id}/start`)).status, 200);
  assert.equal((await operator.post(`/api/v1/tickets/${t.json.ticket.id}/done`)).status, 200);
  r = await new Client(srv.url).post(`/api/v1/enti/${slug}/ratings/ticket/${t.json.ticket.id}`, { score: 'positive' }, { headers: { 'x-ticket-token': t.json.token } });
  assert.equal(r.status, 201, r.text);

  // A visit with its chat, rated.
  const k = await new Client(srv.url).post(`/api/v1/enti/${slug}/offices/urp/visits`, { mode: 'chat', name: 'Mario', topic: 'Certificato' });
  assert.equal(k.status, 201, k.text);
  const v = k.json.visit.id;
  const asVisit = { headers: { 'x-visit-token': k.json.token } };
  assert.equal((await claim(mario, csrf, 'visit', v, k.json.token)).status, 200);
  marios.visit = v;
  assert.equal((await operator.post(`/api/v1/visits/${v}/admit`)).status, 200);
  assert.equal((await new Client(srv.url).post(`/api/v1/visits/${v}/messages`, { body: 'Buongiorno, mi serve un certificato', client_id: 'a1' }, asVisit)).status, 201);
  assert.equal((await operator.post(`/api/v1/visits/${v}/messages`, { body: 'Glielo preparo subito', client_id: 'o1' })).status, 201);
  assert.equal((await operator.post(`/api/v1/visits/${v}/end`, { outcome: 'resolved' })).status, 200);
  r = await new Client(srv.url).post(`/api/v1/enti/${slug}/ratings/visit/${v}`, { score: 'neutral', reasons: ['waiting_time'] }, asVisit);
  assert.equal(r.status, 201, r.text);

  area = (await mario.get(`${api}/area`)).json;
  const kase = area.cases.find((x) => x.code === kcode);
  const staffView = (await operator.get(`/api/v1/cases/${caseId}`)).json;
  assert.equal(kase.state, staffView.state ?? staffView.case?.state, 'the state staff see');
  assert.ok(kase.state_label.it.length > 0);
  assert.ok(kase.timeline.some((e) => e.kind === 'reply_public' && e.body === 'Il certificato è pronto allo sportello.'), JSON.stringify(kase.timeline));
  assert.ok(!JSON.stringify(area).includes('Nota interna'), 'never an internal note');
  assert.ok(!kase.timeline.some((e) => e.kind === 'note_internal'));
  const visit = area.visits.find((x) => x.id === v);
  assert.equal(visit.state, 'ended');
  assert.equal(visit.office, 'URP - Ufficio Relazioni con il Pubblico');
  assert.deepEqual(visit.transcript.filter((m) => m.from !== 'system').map((m) => [m.from, m.body]),
    [['citizen', 'Buongiorno, mi serve un certificato'], ['operator', 'Glielo preparo subito']]);
  assert.equal(visit.rating.score, 'neutral');
  assert.deepEqual([area.tickets[0].state, area.tickets[0].rating.score], ['done', 'positive']);

  // IDOR: the other citizen, nobody, another ente, a staff session: nothing of Mario's.
  const theirs = (await giulia.get(`${api}/area`)).json;
  assert.deepEqual([theirs.visits, theirs.cases, theirs.tickets], [[], [], []]);
  assert.equal((await new Client(srv.url).get(`${api}/area`)).status, 401);
  assert.equal((await operator.get(`${api}/area`)).status, 401);
  assert.equal((await mario.get('/api/v1/enti/collina/citizens/area')).status, 401);
  // Claims need the CSRF token of the claimer's own session.
  assert.equal((await claim(giulia, csrf, 'visit', v, k.json.token)).status, 403);
  assert.equal((await new Client(srv.url).post(`${api}/area/claims`, { kind: 'visit', code: v, token: k.json.token })).status, 401);
});

test(`[${backend}] operators see a signed-in citizen's earlier contacts, only of the offices they serve`, async () => {
  assert.ok(marios.case && marios.ticket && marios.visit && marios.appointment, 'the tests above ran');
  const { c: mario, csrf } = await signedInWithCsrf('mario');
  const mayors = await anonymousBooking('mario.sindaco@example.org', 'sindaco');
  assert.equal((await mario.post(`${api}/area/claims`, { kind: 'booking', code: mayors.code, token: mayors.secret }, withCsrf(csrf))).status, 200);
  const knock = async () => {
    const r = await new Client(srv.url).post(`/api/v1/enti/${slug}/offices/urp/visits`, { mode: 'chat', name: 'Mario', topic: 'Di nuovo' });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const now = await knock();
  const anonymous = await knock();
  assert.equal((await mario.post(`${api}/area/claims`, { kind: 'visit', code: now.visit.id, token: now.token }, withCsrf(csrf))).status, 200);
  const operator = await loggedIn(srv.url, 'operator');
  let r = await operator.get(`${api}/contacts/visit/${now.visit.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.verified, true);
  const refs = r.json.contacts.map((x) => `${x.kind}:${x.ref}`);
  for (const want of [`visit:${marios.visit}`, `case:${marios.case}`, `ticket:${marios.ticket}`, `appointment:${marios.appointment}`]) {
    assert.ok(refs.includes(want), `${want} in ${refs}`);
  }
  assert.ok(!refs.includes(`visit:${now.visit.id}`), 'not the contact itself');
  assert.ok(!refs.includes(`appointment:${mayors.code}`), "the mayor's office is not the operator's");
  assert.ok(!JSON.stringify(r.json).includes('Glielo preparo'), 'no transcript');
  const sup = await loggedIn(srv.url, 'supervisor');
  r = await sup.get(`${api}/contacts/visit/${now.visit.id}`);
  assert.ok(r.json.contacts.some((x) => x.kind === 'appointment' && x.ref === mayors.code), 'a supervisor serves every office');
  r = await operator.get(`${api}/contacts/visit/${anonymous.visit.id}`);
  assert.deepEqual(r.json, { verified: false, contacts: [] });
  // Only staff serving the visit's office, of its ente.
  assert.equal((await (await loggedIn(srv.url, 'mayor')).get(`${api}/contacts/visit/${now.visit.id}`)).status, 403);
  const collina = await loggedIn(srv.url, 'collinaAdmin');
  assert.equal((await collina.get(`/api/v1/enti/collina/citizens/contacts/visit/${now.visit.id}`)).status, 404);
  assert.equal((await collina.get(`${api}/contacts/visit/${now.visit.id}`)).status, 403);
  assert.equal((await mario.get(`${api}/contacts/visit/${now.visit.id}`)).status, 401);
  assert.equal((await new Client(srv.url).get(`${api}/contacts/visit/${now.visit.id}`, { headers: { 'x-visit-token': now.token } })).status, 401);
  assert.equal((await operator.get(`${api}/contacts/case/${marios.case}`)).status, 400);
  // "Identità verificata" on a case and on an appointment too, for staff of its office.
  const found = await operator.get(`/api/v1/enti/${slug}/cases?citizen=${encodeURIComponent('mario.case@example.org')}`);
  const caseId = found.json.cases[0].id;
  r = await operator.get(`${api}/identity/case/${caseId}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.verified, r.json.fiscal_number], [true, 'RSSMRA80A01H501U']);
  r = await operator.get(`${api}/identity/appointment/${marios.appointment}`);
  assert.deepEqual([r.json.verified, r.json.fiscal_number], [true, 'RSSMRA80A01H501U']);
  assert.equal((await operator.get(`${api}/identity/appointment/${mayors.code}`)).status, 403, "the mayor's office");
  const notClaimed = await anonymousBooking('nobody@example.org');
  assert.deepEqual((await operator.get(`${api}/identity/appointment/${notClaimed.code}`)).json, { verified: false });
  assert.equal((await collina.get(`/api/v1/enti/collina/citizens/identity/case/${caseId}`)).status, 404);
  assert.equal((await mario.get(`${api}/identity/case/${caseId}`)).status, 401);
  assert.equal((await operator.get(`${api}/identity/ticket/${caseId}`)).status, 400);
});

test(`[${backend}] a citizen not signed in for the retention period is forgotten, with the links of their area`, async () => {
  // personal_data_retention_days is 30 by default; the clock's move runs the hourly purge.
  const s2 = await startServer({ extraArgs: ['--clock-control', 'true'] });
  const op2 = await startOpFor(s2.url);
  const saved = srv;
  const oldOp = op;
  try {
    await configure(await loggedIn(s2.url, 'admin'), op2.issuer);
    srv = s2;
    op = op2;
    const csrf = async (c) => (await c.get(`${api}/session`)).json.csrf_token;
    const b = await anonymousBooking('mario.forget@example.org');
    const mario = (await signIn('mario')).citizen;
    let r = await mario.post(`${api}/area/claims`, { kind: 'booking', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': await csrf(mario) } });
    assert.equal(r.status, 200, r.text);
    const advance = async (days) => {
      const a = await new Client(s2.url).post('/api/v1/test/clock', { advance_seconds: days * 86400 });
      assert.equal(a.status, 200, a.text);
    };
    // The operator serving the Anagrafe sees the appointment's verified identity while Mario is
    // remembered. (A new staff sign-in after each move: a day's move ends staff sessions; the
    // provider's tokens carry the real time, so citizens sign in before the moves.)
    const identity = async () => (await (await loggedIn(s2.url, 'operator')).get(`${api}/identity/appointment/${b.code}`)).json;
    assert.equal((await identity()).verified, true);
    // 29 days without signing in: still remembered.
    await advance(29);
    assert.equal((await identity()).fiscal_number, 'RSSMRA80A01H501U');
    // Past 30 days: Mario and the links of his area are forgotten; the booking itself stays.
    await advance(2);
    assert.deepEqual(await identity(), { verified: false });
    r = await new Client(s2.url).get(`/api/v1/enti/${slug}/bookings/${b.code}`, { headers: { 'x-booking-token': b.secret } });
    assert.equal(r.status, 200, 'the booking stays');
  } finally {
    srv = saved;
    op = oldOp;
    await s2.stop();
    await op2.stop();
  }
});

test(`[${backend}] a session unused for 30 minutes ends; one used stays`, async () => {
  const s2 = await startServer({ extraArgs: ['--clock-control', 'true'] });
  const op2 = await startOpFor(s2.url);
  try {
    await configure(await loggedIn(s2.url, 'admin'), op2.issuer);
    const saved = srv;
    srv = s2;
    const oldOp = op;
    op = op2;
    let idle, used;
    try {
      idle = (await signIn('mario')).citizen;
      used = (await signIn('giulia')).citizen;
    } finally { srv = saved; op = oldOp; }
    const advance = async (s) => {
      const r = await new Client(s2.url).post('/api/v1/test/clock', { advance_seconds: s });
      assert.equal(r.status, 200, r.text);
    };
    await advance(20 * 60);
    assert.equal((await used.get(`${api}/session`)).status, 200);
    await advance(15 * 60);
    assert.equal((await used.get(`${api}/session`)).status, 200);
    const r = await idle.get(`${api}/session`);
    assert.equal(r.status, 401);
    // Ended: refused as "scaduta", or already purged (the clock's move runs the hourly purge).
    assert.equal(r.json.error.code, 'unauthorized');
    assert.match(r.json.error.message, /scaduta|accesso del cittadino richiesto/);
  } finally {
    await s2.stop();
    await op2.stop();
  }
});
