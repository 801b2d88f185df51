// Helpers for integration tests: start the real `sportello` binary on an ephemeral loopback
// port with a fresh database (SQLite in a temp dir, or a fresh database in the throwaway
// PostgreSQL given by $SPORTELLO_TEST_PG when $SPORTELLO_TEST_DB=postgres), then talk to it
// like a client: HTTP with a cookie jar, WebSocket with a message queue. No sleeps: waits
// are for events, with deadlines. The demo is loaded once per test process (`demo load` into a
// template) and copied into each fresh database that wants it: the SQLite file copied, or
// PostgreSQL's CREATE DATABASE … TEMPLATE.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bin = resolve(repoRoot, process.env.SPORTELLO_BIN || 'build/sportello');
export const backend = process.env.SPORTELLO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const requireWeb = createRequire(resolve(repoRoot, 'web/package.json'));
export const WebSocket = requireWeb('ws');

export function run(args, { env = {}, input, timeout = 60_000 } = {}) {
  return new Promise((res) => {
    const child = execFile(bin, args, { cwd: repoRoot, timeout, env: { ...process.env, ...env } },
      (err, stdout, stderr) => res({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
  });
}

async function psql(url, sql) {
  return new Promise((res, rej) => {
    execFile('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', sql], (err, so, se) =>
      err ? rej(new Error(se || err.message)) : res(so));
  });
}

// The demo Comuni loaded once per process into a template: a data dir (SQLite) or a database
// (PostgreSQL) that no server uses; copies of it are what `startServer` with the demo gets.
// tests/run_all.sh loads it once per suite and names it in $SPORTELLO_TEST_DEMO_DATA (SQLite)
// or $SPORTELLO_TEST_DEMO_PG (a database of $SPORTELLO_TEST_PG).
// The demo is loaded at a fixed instant before every test's `now` (tests/e2e/server.mjs and
// tests/run_all.sh too), so what it dates is in the past of the injected clock.
const DEMO_LOADED_AT = '2026-11-01T08:00:00Z';
let demoTemplate = null;
function demoTemplateOnce() {
  demoTemplate ??= (async () => {
    if (backend === 'sqlite' && process.env.SPORTELLO_TEST_DEMO_DATA) {
      return { dataDir: process.env.SPORTELLO_TEST_DEMO_DATA, name: null };
    }
    if (backend === 'postgres' && process.env.SPORTELLO_TEST_DEMO_PG) {
      return { dataDir: null, name: process.env.SPORTELLO_TEST_DEMO_PG };
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'sportello-it-demo-'));
    let args = ['--data', dataDir];
    let name = null;
    if (backend === 'postgres') {
      name = 'it_demo_' + randomBytes(6).toString('hex');
      await psql(pgAdmin(), `CREATE DATABASE ${name}`);
      args = [...args, '--database', pgUrl(name)];
    }
    const r = await run(['demo', 'load', ...args, '--now', DEMO_LOADED_AT]);
    if (r.code !== 0) throw new Error('demo load failed: ' + r.stderr);
    let dropped = false;
    process.on('beforeExit', () => {
      if (dropped) return;
      dropped = true;
      rm(dataDir, { recursive: true, force: true }).catch(() => {});
      if (name) psql(pgAdmin(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    });
    return { dataDir, name };
  })();
  return demoTemplate;
}

function pgAdmin() {
  const admin = process.env.SPORTELLO_TEST_PG;
  if (!admin) throw new Error('SPORTELLO_TEST_DB=postgres needs SPORTELLO_TEST_PG');
  return admin;
}

function pgUrl(name) {
  const u = new URL(pgAdmin());
  u.pathname = '/' + name;
  return u.toString();
}

// A fresh, empty database for one server: its URL (PostgreSQL) or data dir (SQLite).
// seedDemo() turns it, while no server has used it, into a copy of the demo template; it
// answers false when the database was used already (the caller then runs `demo load`).
export async function freshDatabase() {
  const dataDir = await mkdtemp(join(tmpdir(), 'sportello-it-'));
  if (backend === 'sqlite') {
    return {
      dataDir, args: ['--data', dataDir], used: false,
      async seedDemo() {
        if (this.used) return false;
        const t = await demoTemplateOnce();
        await cp(t.dataDir, dataDir, { recursive: true });
        return true;
      },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const admin = pgAdmin();
  const name = 'it_' + randomBytes(6).toString('hex');
  await psql(admin, `CREATE DATABASE ${name}`);
  const url = pgUrl(name);
  return {
    dataDir, url, args: ['--data', dataDir, '--database', url], used: false,
    async seedDemo() {
      if (this.used) return false;
      const t = await demoTemplateOnce();
      await psql(admin, `DROP DATABASE ${name}`);
      await psql(admin, `CREATE DATABASE ${name} TEMPLATE ${t.name}`);
      return true;
    },
    drop: async () => {
      await psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startServer({ now, demo = true, extraArgs = [], db, retention, env: extraEnv = {} } = {}) {
  const database = db ?? await freshDatabase();
  if (demo && !(await database.seedDemo())) {
    const r = await run(['demo', 'load', ...database.args, '--now', DEMO_LOADED_AT]);
    if (r.code !== 0) throw new Error('demo load failed: ' + r.stderr);
  }
  database.used = true;
  const args = ['serve', ...database.args, '--port', '0', '--web', resolve(repoRoot, 'web/dist'), ...extraArgs];
  if (now) args.push('--now', now);
  const env = { ...process.env, ...extraEnv };
  if (retention) env.SPORTELLO_EVENT_RETENTION = String(retention);
  const child = spawn(bin, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start\n' + log)), 30_000);
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/sportello listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); rej(new Error(`server exited ${code}\n${log}`)); });
  });
  return {
    url, child, exited, database,
    log: () => log,
    async stop({ keepDb = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const r = await exited;
      if (!keepDb) await database.drop();
      return r;
    },
  };
}

// A minimal browser-like HTTP client: cookie jar + CSRF header after login.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
  }
  async req(method, path, body, { headers = {}, raw = false } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      payload = raw ? body : JSON.stringify(body);
      if (!('content-type' in h)) h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [kv] = c.split(';');
      const [k, v] = kv.split('=');
      if (v === '' || /Max-Age=0/i.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, text, json };
  }
  get(p, o) { return this.req('GET', p, undefined, o); }
  post(p, b, o) { return this.req('POST', p, b, o); }
  put(p, b, o) { return this.req('PUT', p, b, o); }
  patch(p, b, o) { return this.req('PATCH', p, b, o); }
  del(p, o) { return this.req('DELETE', p, undefined, o); }
  async login(slug, username, password) {
    const r = await this.post(`/api/v1/enti/${slug}/session`, { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

export const logins = {
  admin: ['esempio', 'admin', 'admin-demo-2026'],
  operator: ['esempio', 'operatore', 'operatore-demo-2026'],
  supervisor: ['esempio', 'supervisore', 'supervisore-demo-2026'],
  mayor: ['esempio', 'sindaco', 'sindaco-demo-2026'],
  collinaAdmin: ['collina', 'admin', 'collina-demo-2026'],
};

export async function loggedIn(url, who) {
  const c = new Client(url);
  const r = await c.login(...logins[who]);
  if (r.status !== 200) throw new Error(`login ${who} failed: ${r.status} ${r.text}`);
  return c;
}

// Signed in and "available" (on duty for the virtual reception).
export async function onDutyAt(url, who) {
  const c = await loggedIn(url, who);
  const r = await c.put('/api/v1/session/presence', { presence: 'available' });
  if (r.status !== 200) throw new Error(`presence of ${who}: ${r.status} ${r.text}`);
  return c;
}

// The Cookie header of a client's session, for a WebSocket opened as that client.
export const cookieOf = (c) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

// A WebSocket client that queues messages; next() waits for one matching a predicate.
export class Ws {
  static async open(url, { origin, cookie } = {}) {
    const headers = {};
    if (cookie) headers.cookie = cookie;
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/v1/ws', { headers, origin });
    const w = new Ws(ws);
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
      ws.once('unexpected-response', (_req, resp) => rej(new Error('upgrade refused: ' + resp.statusCode)));
    });
    return w;
  }
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.closed = new Promise((res) => ws.once('close', (code) => res(code)));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      this.queue.push(msg);
      this.waiters.forEach((w) => w());
    });
  }
  send(obj) { this.ws.send(JSON.stringify(obj)); }
  async next(pred = () => true, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.queue.findIndex(pred);
      if (i >= 0) return this.queue.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching WebSocket message; queue: ' + JSON.stringify(this.queue));
      await new Promise((res) => {
        const t = setTimeout(done, left);
        function done() { clearTimeout(t); res(); }
        this.waiters.push(done);
      });
      this.waiters = [];
    }
  }
  // Resolves once the server has answered a ping: everything it sent before is queued.
  async sync() {
    this.send({ op: 'ping' });
    await this.next((m) => m.op === 'pong');
  }
  close() { this.ws.close(); return this.closed; }
}
