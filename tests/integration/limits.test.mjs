// Limits on anonymous writes, mail and logins (docs/SECURITY.md, "Limits"), through the real
// binary: each refused request answers 429 (or 413) with Retry-After and an Italian message,
// and changes nothing. The servers trust 127.0.0.1 as a proxy, so each test picks its own
// client address with X-Forwarded-For. On PostgreSQL two nodes on one database share the counts.
// Wednesday 25 November 2026, 15:30 in Rome: the demo URP has chat open (Wed 14–17).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, loggedIn, Client, backend } from './lib.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

const NOW = '2026-11-25T14:30:00Z';
const trust = ['--trusted-proxies', '127.0.0.1'];
const low = {
  SPORTELLO_CALLBACK_REQUESTS_PER_ADDRESS_PER_HOUR: '3',
  SPORTELLO_CALLBACK_REQUESTS_PER_CONTACT_PER_DAY: '2',
  SPORTELLO_CHAT_MESSAGES_PER_VISIT_PER_HOUR: '5',
  SPORTELLO_CHAT_MESSAGES_PER_ADDRESS_PER_HOUR: '8',
  SPORTELLO_CASE_INFO_PER_CASE_PER_DAY: '3',
  SPORTELLO_CASE_ATTACHMENTS_PER_CASE: '2',
  SPORTELLO_CASE_ATTACHMENT_BYTES_PER_CASE: '100000',
  SPORTELLO_MAILS_PER_RECIPIENT_PER_DAY: '2',
};

let srv;
before(async () => {
  srv = await startServer({ now: NOW, extraArgs: trust, env: low });
});
after(async () => { await srv?.stop(); });

const from = (ip, extra = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });
const anon = (url = srv.url) => new Client(url);
const message = (contact, extra = {}) => ({
  name: 'Lucia Verdi', contact, message: 'Vorrei essere richiamata.', privacy_accepted: true, ...extra,
});
const leave = (ip, body, url = srv.url) =>
  anon(url).post('/api/v1/enti/esempio/offices/urp/callback-requests', body, from(ip));

function assertTooMany(r, pattern) {
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.error.code, 'too_many_requests');
  assert.match(r.json.error.message, pattern);
  assert.match(r.json.error.message, /Riprova tra \d+ (secondi|secondo|minuti|minuto|ore|ora)\./);
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 0, 'Retry-After: ' + r.headers.get('retry-after'));
  assert.equal(r.json.error.retry_after, wait);
  return wait;
}

async function casesOf(op, contact) {
  const r = await op.get(`/api/v1/enti/esempio/cases?citizen=${encodeURIComponent(contact)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.cases;
}

async function outboxTo(admin, to) {
  const r = await admin.get('/api/v1/enti/esempio/mail/outbox');
  assert.equal(r.status, 200, r.text);
  return r.json.mails.filter((m) => m.to === to);
}

test(`[${backend}] offline messages: the N+1th from one address is refused, no case, no mail`, async () => {
  const op = await loggedIn(srv.url, 'operator');
  const admin = await loggedIn(srv.url, 'admin');
  const ip = '203.0.113.10';
  for (let i = 0; i < 3; i++) {
    const r = await leave(ip, message(`flood${i}@example.org`));
    assert.equal(r.status, 201, r.text);
  }
  const refused = await leave(ip, message('flood3@example.org'));
  const wait = assertTooMany(refused, /troppi messaggi da questo indirizzo/);
  assert.ok(wait <= 3600, 'within the hour');
  assert.equal((await casesOf(op, 'flood3@example.org')).length, 0, 'no case');
  assert.equal((await outboxTo(admin, 'flood3@example.org')).length, 0, 'no mail');
  assert.equal((await casesOf(op, 'flood0@example.org')).length, 1);
  // Another address is not affected.
  assert.equal((await leave('203.0.113.11', message('flood4@example.org'))).status, 201);
});

test(`[${backend}] offline messages: one contact from many addresses is capped per day`, async () => {
  const op = await loggedIn(srv.url, 'operator');
  const to = 'victim@example.org';
  assert.equal((await leave('198.51.100.21', message(to))).status, 201);
  assert.equal((await leave('198.51.100.22', message('Victim@Example.org'))).status, 201);
  const refused = await leave('198.51.100.23', message(to));
  assertTooMany(refused, /troppi messaggi con questo recapito/);
  assert.equal((await casesOf(op, to)).length, 2);
});

async function admittedChat(ip) {
  const op = await loggedIn(srv.url, 'operator');
  assert.equal((await op.put('/api/v1/session/presence', { presence: 'available' })).status, 200);
  const k = await anon().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'chat', name: 'Mario' }, from(ip));
  assert.equal(k.status, 201, k.text);
  const adm = await op.post(`/api/v1/visits/${k.json.visit.id}/admit`, {});
  assert.equal(adm.status, 200, adm.text);
  const say = (body, clientId) => anon().post(`/api/v1/visits/${k.json.visit.id}/messages`,
    clientId ? { body, client_id: clientId } : { body }, from(ip, { 'x-visit-token': k.json.token }));
  return { op, visit: k.json.visit, token: k.json.token, say };
}

test(`[${backend}] chat: a flood in one visit is refused; retries and the operator are not counted`, async () => {
  const { op, visit, token, say } = await admittedChat('203.0.113.30');
  for (let i = 0; i < 5; i++) assert.equal((await say(`messaggio ${i}`, `c${i}`)).status, 201);
  // A retry of a message already stored (same client_id) is not a new message.
  assert.equal((await say('messaggio 4', 'c4')).status, 201);
  assertTooMany(await say('ancora uno', 'c5'), /troppi messaggi in questa conversazione/);
  const list = await anon().get(`/api/v1/visits/${visit.id}/messages`, { headers: { 'x-visit-token': token } });
  assert.equal(list.json.messages.length, 5, 'the refused message is not stored');
  assert.equal((await op.post(`/api/v1/visits/${visit.id}/messages`, { body: 'Mi dica' })).status, 201);
  await op.post(`/api/v1/visits/${visit.id}/end`, { outcome: 'abandoned' });
});

test(`[${backend}] chat: one address across visits is capped too`, async () => {
  const ip = '203.0.113.31';
  const a = await admittedChat(ip);
  for (let i = 0; i < 5; i++) assert.equal((await a.say(`a${i}`, `a${i}`)).status, 201);
  await a.op.post(`/api/v1/visits/${a.visit.id}/end`, { outcome: 'abandoned' });
  const b = await admittedChat(ip);
  for (let i = 0; i < 3; i++) assert.equal((await b.say(`b${i}`, `b${i}`)).status, 201);
  assertTooMany(await b.say("b3", "b3"), /Troppi messaggi da questo indirizzo/);
  await b.op.post(`/api/v1/visits/${b.visit.id}/end`, { outcome: 'abandoned' });
});

// A case opened by an offline message, and its tracking secret (from the answer's link).
async function trackedCase(ip, contact) {
  const r = await leave(ip, message(contact));
  assert.equal(r.status, 201, r.text);
  const m = r.json.case.tracking_link.match(/pratica\/(PR-[A-Z0-9-]+)#(.+)$/);
  return { code: m[1], secret: decodeURIComponent(m[2]) };
}

test(`[${backend}] tracking: adding information is capped per case`, async () => {
  const c = await trackedCase('203.0.113.40', 'info.flood@example.org');
  const add = (body, ip) => anon().post(`/api/v1/enti/esempio/tracking/${c.code}/info`, { body },
    from(ip, { 'x-case-token': c.secret }));
  for (let i = 0; i < 3; i++) assert.equal((await add(`informazione ${i}`, '203.0.113.41')).status, 201);
  // From another address too: the limit is the case's.
  assertTooMany(await add('ancora', '203.0.113.42'), /troppe informazioni a questa pratica/);
  const op = await loggedIn(srv.url, 'operator');
  const [k] = await casesOf(op, 'info.flood@example.org');
  const d = await op.get(`/api/v1/cases/${k.id}`);
  assert.equal(d.json.timeline.filter((e) => e.kind === 'citizen_info').length, 4, 'the message and 3 additions');
});

test(`[${backend}] tracking: attachments are capped per case in number (429) and bytes (413)`, async () => {
  const pdf = (size) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')]);
  const upload = (c, bytes) => anon().post(`/api/v1/enti/esempio/tracking/${c.code}/attachments`,
    { filename: 'ricevuta.pdf', content_base64: bytes.toString('base64') }, from('203.0.113.50', { 'x-case-token': c.secret }));
  const c1 = await trackedCase('203.0.113.51', 'allegati1@example.org');
  assert.equal((await upload(c1, pdf(1000))).status, 201);
  assert.equal((await upload(c1, pdf(1000))).status, 201);
  const third = await upload(c1, pdf(1000));
  assert.equal(third.status, 429, third.text);
  assert.equal(third.json.error.code, 'too_many_requests');
  assert.match(third.json.error.message, /non se ne possono aggiungere altri/);
  const c2 = await trackedCase('203.0.113.52', 'allegati2@example.org');
  assert.equal((await upload(c2, pdf(60_000))).status, 201);
  const big = await upload(c2, pdf(60_000));
  assert.equal(big.status, 413, big.text);
  assert.equal(big.json.error.code, 'payload_too_large');
  const t1 = await anon().get(`/api/v1/enti/esempio/tracking/${c1.code}`, { headers: { 'x-case-token': c1.secret } });
  assert.equal(t1.json.attachments.length, 2);
  const t2 = await anon().get(`/api/v1/enti/esempio/tracking/${c2.code}`, { headers: { 'x-case-token': c2.secret } });
  assert.equal(t2.json.attachments.length, 1);
});

test(`[${backend}] mail: at most N a day per recipient; the use case still succeeds`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const to = 'capped@example.org';
  // The per-contact limit of offline messages is 2 here: the third mail comes from a case.
  assert.equal((await leave('203.0.113.60', message(to))).status, 201);
  assert.equal((await leave('203.0.113.61', message(to))).status, 201);
  const op = await loggedIn(srv.url, 'operator');
  const created = await op.post('/api/v1/enti/esempio/cases', {
    office: 'urp', subject: 'Terza', channel: 'email', citizen: { name: 'C', email: to },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal((await outboxTo(admin, to)).length, 2);
  assert.match(srv.log(), /mail to capped@example.org not queued/);
});

test(`[${backend}] mail: the first line carries no text the citizen typed`, async () => {
  const sink = await startSmtpSink();
  const s = await startServer({ now: NOW, extraArgs: [...trust, '--smtp-url', sink.url] });
  try {
    const evil = 'Vinci un premio su http://phish.example';
    const r = await leave('203.0.113.70', message('first.line@example.org', { name: evil }), s.url);
    assert.equal(r.status, 201, r.text);
    const m = await sink.waitFor((x) => x.rcptTos.includes('first.line@example.org'));
    const first = m.text.split(/\r?\n/)[0];
    assert.equal(first, 'Gentile cittadina, gentile cittadino,');
    assert.ok(!m.subject.includes('phish'), m.subject);
  } finally {
    await s.stop();
    await sink.stop();
  }
});

test(`[${backend}] login: progressive delays per account and address; other addresses go on`, async () => {
  // A still clock (--clock-control) moved forward by the test, instead of a restart per step.
  const s = await startServer({ now: '2026-11-25T08:00:00Z', extraArgs: [...trust, '--clock-control', 'true'] });
  const later = async (seconds) => {
    const r = await anon(s.url).post('/api/v1/test/clock', { advance_seconds: seconds });
    assert.equal(r.status, 200, r.text);
  };
  const login = (password, ip, username = 'admin') => anon(s.url).post('/api/v1/enti/esempio/session',
    { username, password }, from(ip));
  const good = 'admin-demo-2026';
  const ip = '203.0.113.80';
  try {
    for (let i = 0; i < 3; i++) assert.equal((await login('wrong-password', ip)).status, 401);
    // After 3 failures: wait 1 s, even with the right password.
    assert.equal(assertTooMany(await login('wrong-password', ip), /Troppi tentativi di accesso/), 1);
    assert.equal(assertTooMany(await login(good, ip), /Troppi tentativi di accesso/), 1);
    // The same account from another address (a colleague behind the same NAT is another
    // address only behind a proxy; here: another client) is not locked out.
    assert.equal((await login(good, '198.51.100.80')).status, 200);
    // 10 s later: one more failure, then the wait doubles (2 s), then 4 s.
    await later(10);
    assert.equal((await login('wrong-password', ip)).status, 401);
    assert.equal(assertTooMany(await login('wrong-password', ip), /Troppi tentativi/), 2);
    await later(10);
    assert.equal((await login('wrong-password', ip)).status, 401);
    assert.equal(assertTooMany(await login(good, ip), /Troppi tentativi/), 4);
    // Once the wait is over the right password works, and forgets the failures.
    await later(10);
    assert.equal((await login(good, ip)).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await login('wrong-password', ip)).status, 401);
  } finally {
    await s.stop();
  }
});

test(`[${backend}] login: a ceiling per account from all addresses (distributed guessing)`, async () => {
  const s = await startServer({ now: NOW, extraArgs: [...trust, '--login-failures-per-account-per-hour', '5'] });
  try {
    const login = (password, ip) => anon(s.url).post('/api/v1/enti/esempio/session',
      { username: 'supervisore', password }, from(ip));
    for (let i = 0; i < 5; i++) assert.equal((await login('wrong-password', `192.0.2.${i + 1}`)).status, 401);
    const wait = assertTooMany(await login('wrong-password', '192.0.2.99'), /Troppi tentativi di accesso/);
    assert.ok(wait > 60, 'the hourly ceiling waits minutes, not seconds: ' + wait);
    // Other accounts from those addresses are not affected.
    assert.equal((await anon(s.url).post('/api/v1/enti/esempio/session',
      { username: 'operatore', password: 'operatore-demo-2026' }, from('192.0.2.1'))).status, 200);
  } finally {
    await s.stop();
  }
});

if (backend === 'postgres') {
  test('[postgres] limits hold across two nodes on one database', async () => {
    const db = await freshDatabase();
    const a = await startServer({ db, now: NOW, extraArgs: trust, env: low });
    const b = await startServer({ db, demo: false, now: NOW, extraArgs: trust, env: low });
    try {
      // Login: three failures on node A, the fourth attempt on node B waits.
      const login = (url, password) => anon(url).post('/api/v1/enti/esempio/session',
        { username: 'admin', password }, from('203.0.113.90'));
      assert.equal((await login(a.url, 'wrong-password')).status, 401);
      assert.equal((await login(b.url, 'wrong-password')).status, 401);
      assert.equal((await login(a.url, 'wrong-password')).status, 401);
      assertTooMany(await login(b.url, 'admin-demo-2026'), /Troppi tentativi di accesso/);
      // Offline messages: the address's 3 spread over both nodes, the 4th refused on either.
      const ip = '203.0.113.91';
      assert.equal((await leave(ip, message('n1@example.org'), a.url)).status, 201);
      assert.equal((await leave(ip, message('n2@example.org'), b.url)).status, 201);
      assert.equal((await leave(ip, message('n3@example.org'), a.url)).status, 201);
      assertTooMany(await leave(ip, message('n4@example.org'), b.url), /troppi messaggi da questo indirizzo/);
      assertTooMany(await leave(ip, message('n4@example.org'), a.url), /troppi messaggi da questo indirizzo/);
      // Parallel requests on both nodes cannot overshoot the limit.
      const ip2 = '203.0.113.92';
      const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
        leave(ip2, message(`p${i}@example.org`), i % 2 ? a.url : b.url)));
      assert.equal(rs.filter((r) => r.status === 201).length, 3, rs.map((r) => r.status).join(','));
      assert.equal(rs.filter((r) => r.status === 429).length, 9);
    } finally {
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}
