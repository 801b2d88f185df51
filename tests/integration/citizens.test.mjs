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

// An anonymous booking at the first free slot of the Anagrafe (the server runs on the real
// clock): { code, secret }.
async function anonymousBooking(email) {
  const anon = new Client(srv.url);
  const offices = await anon.get(`/api/v1/enti/${slug}/booking/offices`);
  assert.equal(offices.status, 200, offices.text);
  const anagrafe = offices.json.offices.find((o) => o.slug === 'anagrafe');
  const service = anagrafe.plans[0].service.id;
  const now = new Date();
  for (let m = 0; m < 3; m++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1));
    const month = d.toISOString().slice(0, 7);
    const a = await anon.get(`/api/v1/enti/${slug}/offices/anagrafe/availability?month=${month}&service=${service}`);
    assert.equal(a.status, 200, a.text);
    const free = a.json.slots.find((x) => x.free > 0 && new Date(x.start_at) > new Date(now.getTime() + 2 * 86400_000));
    if (!free) continue;
    const r = await anon.post(`/api/v1/enti/${slug}/bookings`, { office: 'anagrafe', service, date: free.date,
      start: free.start, first_name: 'Mario', last_name: 'Rossi', email, privacy_accepted: true });
    assert.equal(r.status, 201, r.text);
    return { code: r.json.booking.code, secret: r.json.secret, date: free.date, start: free.start };
  }
  throw new Error('no free slot in three months');
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
  r = await mario.post(`${api}/area/claims`, { kind: 'case', code: b.code, token: b.secret }, { headers: { 'x-csrf-token': marioCsrf } });
  assert.equal(r.status, 400);
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
