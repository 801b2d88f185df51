// The binary as an operator runs it: subcommands and --help, the CLI for operators,
// restart without losing data, graceful shutdown on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, run, Client, Ws, backend } from './lib.mjs';

test(`[${backend}] every subcommand has --help`, async () => {
  for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['demo', 'load', '--help'],
    ['operator', 'add', '--help'], ['operator', 'passwd', '--help'], ['ente', 'add', '--help']]) {
    const r = await run(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage|Options/, args.join(' '));
  }
  const bad = await run(['serve', '--port', 'abc']);
  assert.notEqual(bad.code, 0);
});

test(`[${backend}] CLI: migrate, ente add, operator add/passwd, restart keeps data`, async () => {
  const db = await freshDatabase();
  try {
    assert.equal((await run(['migrate', ...db.args])).code, 0);
    const again = await run(['migrate', ...db.args]);
    assert.equal(again.code, 0);
    const bad = await run(['ente', 'add', '--slug', 'Bad Slug', '--name', 'X', ...db.args]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /slug/);
    assert.equal((await run(['ente', 'add', '--slug', 'maruggio', '--name', 'Comune di Maruggio', ...db.args])).code, 0);
    const dup = await run(['ente', 'add', '--slug', 'maruggio', '--name', 'Altro', ...db.args]);
    assert.notEqual(dup.code, 0);
    const weak = await run(['operator', 'add', '--ente', 'maruggio', '--username', 'sindaco', '--name', 'Sindaco',
      '--role', 'admin', '--password', 'short', ...db.args]);
    assert.equal(weak.code, 2);
    const add = await run(['operator', 'add', '--ente', 'maruggio', '--username', 'sindaco', '--name', 'Il Sindaco',
      '--role', 'admin', ...db.args], { input: 'password-lunga-1\n' });
    assert.equal(add.code, 0, add.stderr);

    let srv = await startServer({ demo: false, db });
    let c = new Client(srv.url);
    assert.equal((await c.login('maruggio', 'sindaco', 'password-lunga-1')).status, 200);
    const site = await c.post('/api/v1/enti/maruggio/sites', { name: 'Municipio' });
    assert.equal(site.status, 201);
    await srv.stop({ keepDb: true });

    assert.equal((await run(['operator', 'passwd', '--ente', 'maruggio', '--username', 'sindaco', ...db.args],
      { env: { SPORTELLO_PASSWORD: 'altra-password-2' } })).code, 0);
    srv = await startServer({ demo: false, db });
    c = new Client(srv.url);
    assert.equal((await c.login('maruggio', 'sindaco', 'password-lunga-1')).status, 401);
    assert.equal((await c.login('maruggio', 'sindaco', 'altra-password-2')).status, 200);
    const sites = await c.get('/api/v1/enti/maruggio/sites');
    assert.deepEqual(sites.json.sites.map((s) => s.name), ['Municipio']);
    await srv.stop({ keepDb: true });
  } finally {
    await db.drop();
  }
});

test(`[${backend}] SIGTERM: open WebSockets are told, the process exits cleanly`, async () => {
  const srv = await startServer({});
  const ws = await Ws.open(srv.url);
  ws.send({ op: 'subscribe', topic: 'ente:esempio:directory' });
  await ws.next((m) => m.op === 'subscribed');
  // An idle keep-alive HTTP connection does not hold the shutdown either.
  await new Client(srv.url).get('/healthz');
  const t0 = Date.now();
  const result = await srv.stop();
  assert.equal(result.code, 0);
  assert.ok(Date.now() - t0 < 5000, 'shutdown took too long');
  assert.equal(await ws.closed, 1001);
});

test(`[${backend}] JSON-lines logs stay valid JSON with hostile input`, async () => {
  const srv = await startServer({ extraArgs: ['--log-json', 'true'] });
  const evil = 'x"},{"level":"forged\\';
  try {
    const c = new Client(srv.url);
    assert.equal((await c.login('esempio', evil, 'wrong-password')).status, 401);
  } finally {
    await srv.stop();
  }
  const lines = srv.log().split('\n').filter((l) => l.trim());
  assert.ok(lines.length >= 2);
  const records = lines.map((l) => JSON.parse(l)); // throws on any broken line
  assert.ok(records.some((r) => r.msg.includes(evil)), 'the failed login is logged with the raw username');
  assert.ok(records.every((r) => r.level !== 'forged'));
});

test(`[${backend}] login throttling per client address behind a trusted proxy`, async () => {
  // Delays are per (account, address): after 3 failures the next attempt from that client
  // waits; another client of the same account is not locked out.
  const fail = (c, xff) => c.post('/api/v1/enti/esempio/session',
    { username: 'admin', password: 'wrong-password' }, { headers: { 'x-forwarded-for': xff } });
  // Fails until the server asks to wait (the 4th attempt, unless this machine took over a
  // second since the 3rd; then the one after, which must wait 2 s).
  const untilThrottled = async (c, xff) => {
    for (let i = 0; i < 3; i++) assert.equal((await fail(c, xff(i))).status, 401);
    for (let i = 3; i < 8; i++) {
      const r = await fail(c, xff(i));
      if (r.status === 429) return r;
      assert.equal(r.status, 401);
    }
    assert.fail('never throttled');
  };
  const proxied = await startServer({ extraArgs: ['--trusted-proxies', '127.0.0.1'] });
  try {
    const c = new Client(proxied.url);
    const r = await untilThrottled(c, () => '203.0.113.7'); // that client is throttled
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    const other = await c.post('/api/v1/enti/esempio/session',
      { username: 'admin', password: 'admin-demo-2026' }, { headers: { 'x-forwarded-for': '198.51.100.2' } });
    assert.equal(other.status, 200); // another client behind the same proxy is not
  } finally {
    await proxied.stop();
  }
  const direct = await startServer({});
  try {
    const c = new Client(direct.url);
    // Not a trusted proxy: a forged X-Forwarded-For does not dodge the per-address delay.
    await untilThrottled(c, (i) => `203.0.113.${i}`);
  } finally {
    await direct.stop();
  }
});

test(`[${backend}] a slow client is cut off after the read timeout; others are served`, async () => {
  const { connect } = await import('node:net');
  const srv = await startServer({ env: { SPORTELLO_READ_TIMEOUT_SECONDS: '1' } });
  try {
    const port = Number(new URL(srv.url).port);
    const sock = connect(port, '127.0.0.1');
    await new Promise((res) => sock.once('connect', res));
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // never finishes its headers
    const t0 = Date.now();
    const closed = new Promise((res) => { sock.on('close', res); sock.on('error', () => {}); sock.resume(); });
    assert.equal((await new Client(srv.url).get('/healthz')).status, 200); // not blocked meanwhile
    await closed;
    const waited = Date.now() - t0;
    assert.ok(waited >= 800 && waited < 5000, `closed after ${waited} ms`);
  } finally {
    await srv.stop();
  }
});
