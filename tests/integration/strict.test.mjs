// What the audit sent with an attacker's tools, now refused: malformed HTTP framing (on a raw
// socket) answered 400 with the JSON error and closed, JSON bodies with duplicate keys or a
// byte order mark refused, an ente's embedding origin usable only for that ente's citizen
// side (never with staff cookies, neither over HTTP nor WebSocket), /metrics not public.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, loggedIn, cookieOf, Client, Ws, backend } from './lib.mjs';

let srv, port;
before(async () => {
  srv = await startServer({ now: '2026-11-25T09:30:00Z' });
  port = Number(new URL(srv.url).port);
});
after(async () => { await srv?.stop(); });


// Sends raw bytes, returns everything the server sent until it closed (bounded in time).
function raw(bytes, timeoutMs = 5000) {
  return new Promise((res, rej) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const t = setTimeout(() => { s.destroy(); rej(new Error('server did not close; got: ' + got)); }, timeoutMs);
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('close', () => { clearTimeout(t); res(got); });
    s.on('error', () => {});
    s.write(Buffer.from(bytes, 'latin1'));
  });
}

const malformed = {
  'two different Content-Lengths': 'POST /api/v1/offices HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x',
  'Content-Length and chunked': 'POST /api/v1/offices HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'a bad chunk size': 'POST /api/v1/offices HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n',
  'a NUL in a header': 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n',
  'a bare LF': 'GET /healthz HTTP/1.1\nHost: x\n\n',
  'a bare CR': 'GET /healthz HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n',
  'HTTP/0.9': 'GET /healthz\r\n',
  'a non-numeric Content-Length': 'POST /api/v1/offices HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  'obs-fold': 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n b\r\n\r\n',
  'obs-fold in Transfer-Encoding': 'POST /api/v1/offices HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n',
  'HTTP/1.1 without Host': 'GET /healthz HTTP/1.1\r\n\r\n',
  'two Host headers': 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
};

for (const [what, bytes] of Object.entries(malformed)) {
  test(`[${backend}] malformed request (${what}): 400 with the JSON error, then closed`, async () => {
    const got = await raw(bytes);
    assert.match(got, /^HTTP\/1\.[01] 400 /, JSON.stringify(got));
    assert.match(got, /\r\nConnection: close\r\n/i);
    const body = got.slice(got.indexOf('\r\n\r\n') + 4);
    const err = JSON.parse(body).error;
    assert.equal(err.code, 'invalid');
    assert.ok(err.message.length > 0);
  });
}

test(`[${backend}] well-formed requests still pass, pipelined and with leading empty lines`, async () => {
  const got = await raw('\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(got.match(/HTTP\/1\.1 200 /g)?.length, 2, got);
  const http10 = await raw('GET /healthz HTTP/1.0\r\n\r\n');
  assert.match(http10, /^HTTP\/1\.0 200 /);
});

test(`[${backend}] JSON bodies with duplicate keys or a byte order mark are refused; nothing changes`, async () => {
  const admin = await loggedIn(srv.url, 'admin');
  const before = (await admin.get('/api/v1/enti/esempio')).json;
  const dup = await admin.patch('/api/v1/enti/esempio', '{"name":"Comune A","name":"Comune B"}', { raw: true });
  assert.equal(dup.status, 400, dup.text);
  assert.equal(dup.json.error.code, 'invalid');
  assert.equal(dup.json.error.field, 'name');
  const nested = await admin.patch('/api/v1/enti/esempio', '{"branding":{"a":1,"a":2}}', { raw: true });
  assert.equal(nested.status, 400);
  const bom = await admin.patch('/api/v1/enti/esempio', '\uFEFF{"name":"Comune BOM"}', { raw: true });
  assert.equal(bom.status, 400, bom.text);
  assert.deepEqual((await admin.get('/api/v1/enti/esempio')).json, before);
  // The same keys in different objects are fine.
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'ping' });
  await ws.next((m) => m.op === 'pong');
  ws.ws.send('{"op":"subscribe","op":"ping","topic":"ente:esempio:directory"}');
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'invalid');
  await ws.close();
});

test(`[${backend}] an embedding origin of one ente is nothing for another ente's staff`, async () => {
  const collinaAdmin = await loggedIn(srv.url, 'collinaAdmin');
  const set = await collinaAdmin.patch('/api/v1/enti/collina', { embed_origins: ['https://www.collina.example'] });
  assert.equal(set.status, 200, set.text);
  const foreign = 'https://www.collina.example';
  const admin = await loggedIn(srv.url, 'admin');
  // The allow-list is refreshed right after the commit: wait until the origin is accepted.
  const deadline = Date.now() + 5000;
  let probe;
  for (;;) {
    probe = await new Client(srv.url).post('/api/v1/enti/collina/offices/urp/callback-requests',
      { name: 'Anna', contact: 'anna@example.it', message: 'Prova', privacy_accepted: true },
      { headers: { origin: foreign } });
    if (probe.status !== 403 || Date.now() > deadline) break;
  }
  assert.notEqual(probe.status, 403, 'its own ente\'s citizen endpoint accepts the origin: ' + probe.text);

  // Comune di Esempio's staff API, with Esempio's admin cookie, from Collina's origin.
  const staffWrite = await admin.patch('/api/v1/enti/esempio', { name: 'Preso!' }, { headers: { origin: foreign } });
  assert.ok([401, 403].includes(staffWrite.status), staffWrite.text);
  assert.equal((await admin.get('/api/v1/enti/esempio')).json.name, 'Comune di Esempio');
  const staffRead = await admin.get('/api/v1/enti/esempio/operators', { headers: { origin: foreign } });
  assert.equal(staffRead.status, 401, 'no staff cookie counts cross-origin');
  // Esempio's citizen endpoints do not take Collina's origin either.
  const knock = await new Client(srv.url).post('/api/v1/enti/esempio/offices/urp/callback-requests',
    { name: 'Anna', contact: 'anna@example.it', message: 'Prova', privacy_accepted: true },
    { headers: { origin: foreign } });
  assert.equal(knock.status, 403, knock.text);

  // WebSocket: the upgrade is allowed (Collina's citizens), but carries no staff rights and
  // follows only Collina's topics.
  const ws = await Ws.open(srv.url, { origin: foreign, cookie: cookieOf(admin) });
  ws.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
  assert.ok(['unauthorized', 'forbidden'].includes((await ws.next((m) => m.op === 'error')).code));
  ws.send({ op: 'subscribe', topic: 'ente:esempio:directory' });
  assert.equal((await ws.next((m) => m.op === 'error')).code, 'forbidden');
  ws.send({ op: 'subscribe', topic: 'ente:collina:directory' });
  await ws.next((m) => m.op === 'subscribed' && m.topic === 'ente:collina:directory');
  await ws.close();
  // From the server's own origin the same cookie works as always.
  const own = await Ws.open(srv.url, { origin: srv.url, cookie: cookieOf(admin) });
  own.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
  await own.next((m) => m.op === 'subscribed');
  await own.close();
});

test(`[${backend}] /metrics: only direct loopback requests, or with the configured token`, async () => {
  const direct = await fetch(srv.url + '/metrics');
  assert.equal(direct.status, 200);
  assert.match(await direct.text(), /sportello_http_requests_total/);
  const proxied = await fetch(srv.url + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(proxied.status, 404);
  const own = await startServer({ now: '2026-11-25T09:30:00Z', demo: false, env: { SPORTELLO_METRICS_TOKEN: 'metrics-token-for-tests-0123' } });
  try {
    assert.equal((await fetch(own.url + '/metrics')).status, 404);
    assert.equal((await fetch(own.url + '/metrics', { headers: { authorization: 'Bearer wrong-token-0000000000' } })).status, 404);
    const ok = await fetch(own.url + '/metrics', { headers: { authorization: 'Bearer metrics-token-for-tests-0123' } });
    assert.equal(ok.status, 200);
  } finally {
    await own.stop();
  }
});
