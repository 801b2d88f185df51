// Error messages in the request's language (platform/i18n.h), through the real binary: Italian
// by default, English when ?lang=en or Accept-Language prefers it; `code` and `field` never
// change; a message with a dynamic part keeps that part; 401, 429 and WebSocket errors too.
// Malformed HTTP framing refused before any header was read: the request line's ?lang= when
// it has one, else both languages (Content-Language "it, en").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client, WebSocket, backend } from './lib.mjs';

const NOW = '2026-11-25T14:30:00Z';
let srv;
before(async () => {
  srv = await startServer({
    now: NOW,
    extraArgs: ['--trusted-proxies', '127.0.0.1'],
    env: { SPORTELLO_CALLBACK_REQUESTS_PER_ADDRESS_PER_HOUR: '1' },
  });
});
after(async () => { await srv?.stop(); });

const EN = { 'accept-language': 'en-GB,en;q=0.9' };
const FR_IT = { 'accept-language': 'fr, it;q=0.5' };
const callbacks = '/api/v1/enti/esempio/offices/urp/callback-requests';
const message = (extra = {}) => ({
  name: 'Lucia Verdi', contact: 'lucia@example.org', message: 'Vorrei essere richiamata.',
  privacy_accepted: true, ...extra,
});

// Node's fetch sends "Accept-Language: *" when none is given: no supported language, Italian.
async function send(path, { headers = {}, body, raw = false, method = 'POST' } = {}) {
  const r = await new Client(srv.url).req(method, path, body, { headers, raw });
  return r;
}

function assertError(r, status, code, msg, lang) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code);
  assert.equal(r.json.error.message, msg);
  assert.equal(r.headers.get('content-language'), lang);
}

test(`[${backend}] the same bad request: Italian by default, English when asked`, async () => {
  const bad = { body: '{', raw: true };
  assertError(await send(callbacks, bad), 400, 'invalid', 'JSON non valido', 'it');
  assertError(await send(callbacks, { ...bad, headers: EN }), 400, 'invalid', 'Invalid JSON', 'en');
  assertError(await send(callbacks + '?lang=en', bad), 400, 'invalid', 'Invalid JSON', 'en');
  assertError(await send(callbacks, { ...bad, headers: FR_IT }), 400, 'invalid', 'JSON non valido', 'it');
  // ?lang= wins over the header, both ways.
  assertError(await send(callbacks + '?lang=it', { ...bad, headers: EN }), 400, 'invalid', 'JSON non valido', 'it');
  assertError(await send(callbacks + '?lang=en', { ...bad, headers: FR_IT }), 400, 'invalid', 'Invalid JSON', 'en');
});

test(`[${backend}] a message with a dynamic part keeps that part; code and field unchanged`, async () => {
  const body = message({ colour_of_hat: 'blu' });
  const it = await send(callbacks, { body, headers: { 'x-forwarded-for': '203.0.113.10' } });
  assertError(it, 400, 'invalid', 'campo sconosciuto: colour_of_hat', 'it');
  const en = await send(callbacks, { body, headers: { ...EN, 'x-forwarded-for': '203.0.113.10' } });
  assertError(en, 400, 'invalid', 'unknown field: colour_of_hat', 'en');
  assert.equal(en.json.error.field, it.json.error.field);
  assert.equal(en.json.error.field, 'colour_of_hat');
  assert.deepEqual(Object.keys(en.json.error).sort(), Object.keys(it.json.error).sort());
});

test(`[${backend}] 401 and 404 in both languages`, async () => {
  const staffOnly = '/api/v1/enti/esempio/callback-requests';
  assertError(await send(staffOnly, { method: 'GET' }), 401, 'unauthorized', 'accesso richiesto', 'it');
  assertError(await send(staffOnly, { method: 'GET', headers: EN }), 401, 'unauthorized', 'please sign in', 'en');
  assertError(await send('/api/v1/nowhere?lang=en', { method: 'GET' }), 404, 'not_found', 'resource not found', 'en');
  // A success is left alone: no Content-Language.
  const ok = await send('/api/v1/enti/esempio?lang=en', { method: 'GET' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get('content-language'), null);
});

test(`[${backend}] 429: the message and its wait in English, Retry-After unchanged`, async () => {
  const ip = { 'x-forwarded-for': '203.0.113.20' };
  const first = await send(callbacks, { body: message(), headers: ip });
  assert.equal(first.status, 201, first.text);
  const en = await send(callbacks, { body: message(), headers: { ...ip, ...EN } });
  assert.equal(en.status, 429, en.text);
  assert.equal(en.json.error.code, 'too_many_requests');
  assert.match(en.json.error.message,
    /^You have left too many messages from this address\. Try again in \d+ (seconds|second|minutes|minute|hours|hour)\.$/);
  assert.equal(en.headers.get('content-language'), 'en');
  assert.equal(Number(en.headers.get('retry-after')), en.json.error.retry_after);
  const it = await send(callbacks, { body: message(), headers: ip });
  assert.equal(it.status, 429, it.text);
  assert.match(it.json.error.message,
    /^Hai lasciato troppi messaggi da questo indirizzo\. Riprova tra \d+ (secondi|secondo|minuti|minuto|ore|ora)\.$/);
  assert.equal(it.headers.get('content-language'), 'it');
});

async function wsError(path, headers) {
  const ws = new WebSocket(srv.url.replace(/^http/, 'ws') + path, { headers });
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  const got = new Promise((res) => ws.once('message', (d) => res(JSON.parse(d.toString()))));
  ws.send(JSON.stringify({ op: 'dance', topic: 'x' }));
  const m = await got;
  ws.close();
  return m;
}

test(`[${backend}] WebSocket error frames in the language of the upgrade request`, async () => {
  const it = await wsError('/api/v1/ws', {});
  assert.deepEqual([it.op, it.code, it.message], ['error', 'invalid', 'operazione sconosciuta: dance']);
  const en = await wsError('/api/v1/ws', EN);
  assert.deepEqual([en.op, en.code, en.message], ['error', 'invalid', 'unknown operation: dance']);
  const q = await wsError('/api/v1/ws?lang=en', {});
  assert.equal(q.message, 'unknown operation: dance');
});

// Sends raw bytes; resolves with the status, the headers (lower-case names) and the JSON body
// of the answer once the server closes.
function rawError(bytes, timeoutMs = 5000) {
  return new Promise((res, rej) => {
    const { port } = new URL(srv.url);
    const s = net.connect(Number(port), '127.0.0.1');
    let got = '';
    const t = setTimeout(() => { s.destroy(); rej(new Error('server did not close; got: ' + got)); }, timeoutMs);
    s.on('data', (d) => { got += d.toString('utf8'); });
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      const [head, body] = [got.slice(0, got.indexOf('\r\n\r\n')), got.slice(got.indexOf('\r\n\r\n') + 4)];
      const lines = head.split('\r\n');
      const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      res({ status: Number(lines[0].split(' ')[1]), headers, error: JSON.parse(body).error });
    });
    s.write(Buffer.from(bytes, 'latin1'));
  });
}

test(`[${backend}] framing refused before the header is read: both languages, or the request line's ?lang=`, async () => {
  // A bare LF: no header can be trusted (not even the Accept-Language sent), so both.
  const bare = await rawError('GET /healthz HTTP/1.1\nHost: x\nAccept-Language: en\n\n');
  assert.equal(bare.status, 400);
  assert.equal(bare.error.code, 'invalid');
  assert.equal(bare.error.message,
    'richiesta HTTP non valida: fine riga senza CR (LF da solo) / invalid HTTP request: line end without CR (LF on its own)');
  assert.equal(bare.headers['content-language'], 'it, en');
  // A bad request line says nothing either.
  const nine = await rawError('GET /healthz?lang=en\r\n\r\n');
  assert.equal(nine.error.message, 'richiesta HTTP non valida: riga di richiesta non valida / invalid HTTP request: invalid request line');
  assert.equal(nine.headers['content-language'], 'it, en');
  // A well-formed request line with ?lang= is known before the header: that language alone.
  const fold = 'HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n b\r\n\r\n';
  const en = await rawError(`GET /healthz?lang=en ${fold}`);
  assert.equal(en.error.message, 'invalid HTTP request: a header continued on several lines (obs-fold) is not allowed');
  assert.equal(en.headers['content-language'], 'en');
  const it = await rawError(`GET /healthz?x=1&lang=it ${fold}`);
  assert.equal(it.error.message, 'richiesta HTTP non valida: intestazione continuata su più righe (obs-fold) non ammessa');
  assert.equal(it.headers['content-language'], 'it');
  // Too large a header: the same rule (its first line is read).
  const big = 'X-Pad: ' + 'a'.repeat(10_000) + '\r\n';
  const large = await rawError(`GET /healthz HTTP/1.1\r\nHost: x\r\n${big}\r\n`);
  assert.equal(large.status, 431);
  assert.equal(large.error.message, 'intestazioni troppo grandi / headers too large');
  assert.equal(large.headers['content-language'], 'it, en');
  const largeEn = await rawError(`GET /healthz?lang=en HTTP/1.1\r\nHost: x\r\n${big}\r\n`);
  assert.equal(largeEn.error.message, 'headers too large');
  // Once the header is read, its Accept-Language counts as for any other error.
  const noHost = await rawError('GET /healthz HTTP/1.1\r\nAccept-Language: en\r\n\r\n');
  assert.equal(noHost.error.message, 'invalid HTTP request: Host missing');
  assert.equal(noHost.headers['content-language'], 'en');
  // Refused by the parser while reading the header (two Content-Lengths): the line's ?lang=.
  const twice = await rawError('POST /api/v1/offices?lang=en HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x');
  assert.equal(twice.status, 400);
  assert.equal(twice.headers['content-language'], 'en');
  assert.match(twice.error.message, /^invalid HTTP request: /);
});
