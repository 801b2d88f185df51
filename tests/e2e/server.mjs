// Starts the real sportello server for a browser test: a temp data dir with the demo loaded (or
// a PostgreSQL database shared by several nodes: freshPgDatabase),
// `serve` on an ephemeral loopback port with an injected clock. Waits (with a deadline, never
// a sleep) for the "sportello listening on http://127.0.0.1:PORT" line. The demo is loaded once
// per test process into a template data dir; each server gets a copy of it.
//   const srv = await startServer({ now: '2026-11-23T09:00:00Z' }); … await srv.stop();
// The binary is $SPORTELLO_BIN or build/sportello; the pages are $SPORTELLO_WEB or web/dist.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function fromRoot(p) {
  return isAbsolute(p) ? p : resolve(repoRoot, p);
}

export const binPath = fromRoot(process.env.SPORTELLO_BIN || 'build/sportello');
export const webDist = fromRoot(process.env.SPORTELLO_WEB || 'web/dist');

function run(file, args, timeoutMs) {
  return new Promise((res, rej) => {
    execFile(file, args, { cwd: repoRoot, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) rej(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else res(stdout);
    });
  });
}

// tests/run_all.sh loads the demo once per suite and names its data dir in
// $SPORTELLO_TEST_DEMO_DATA; run alone, a file loads it once for itself.
// The demo is loaded at a fixed instant before every test's `now` (as tests/run_all.sh and
// tests/integration/lib.mjs do), so what it dates (a scheda's "Ultimo aggiornamento") is in the
// past of the injected clock, not the real day the suite ran.
export const DEMO_LOADED_AT = '2026-11-01T08:00:00Z';
let demoTemplate = null;
function demoTemplateOnce() {
  demoTemplate ??= (async () => {
    if (process.env.SPORTELLO_TEST_DEMO_DATA) return process.env.SPORTELLO_TEST_DEMO_DATA;
    const dir = await mkdtemp(join(tmpdir(), 'sportello-e2e-demo-'));
    try {
      await run(binPath, ['demo', 'load', '--data', dir, '--now', DEMO_LOADED_AT], 60_000);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    let removed = false;
    process.on('beforeExit', () => {
      if (removed) return;
      removed = true;
      rm(dir, { recursive: true, force: true }).catch(() => {});
    });
    return dir;
  })();
  return demoTemplate;
}

function psql(url, sql) {
  return run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', sql], 30_000);
}

/**
 * A fresh PostgreSQL database with the demo loaded, in the throwaway cluster named by
 * $SPORTELLO_TEST_PG (tests/run_all.sh starts one for every suite): for the tests of several
 * nodes on one database. Without it the test FAILS, saying how to get one (it never skips).
 * @returns {Promise<{ url: string, drop: () => Promise<void> }>}
 */
export async function freshPgDatabase() {
  const admin = process.env.SPORTELLO_TEST_PG;
  if (!admin) {
    throw new Error('this browser test runs several nodes on one PostgreSQL and needs SPORTELLO_TEST_PG ' +
      '(tests/run_all.sh sets it; alone: SPORTELLO_TEST_PG=$(bash tests/tools/pg_tmp.sh start /tmp/pg-e2e))');
  }
  const name = 'e2e_' + randomBytes(6).toString('hex');
  const u = new URL(admin);
  u.pathname = '/' + name;
  const url = u.toString();
  // tests/run_all.sh loads the demo once into $SPORTELLO_TEST_DEMO_PG: copy it; else load it.
  const template = process.env.SPORTELLO_TEST_DEMO_PG;
  await psql(admin, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const drop = () => psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  if (!template) {
    const dir = await mkdtemp(join(tmpdir(), 'sportello-e2e-pg-'));
    try {
      await run(binPath, ['demo', 'load', '--data', dir, '--database', url], 60_000);
    } catch (e) {
      await drop();
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { url, drop };
}

/**
 * @param {{ now?: string, startTimeoutMs?: number, extraArgs?: string[], database?: string }} [opts]
 *   `database`: a PostgreSQL URL (freshPgDatabase) instead of a copy of the SQLite demo; several
 *   servers may share it (the nodes of one installation). Dropping it is the caller's.
 * @returns {Promise<{ url: string, dataDir: string, output: () => string, stop: () => Promise<void> }>}
 */
export async function startServer(opts = {}) {
  const { now, startTimeoutMs = 30_000, extraArgs = [], database } = opts;
  const dataDir = await mkdtemp(join(tmpdir(), 'sportello-e2e-'));
  try {
    if (!database) await cp(await demoTemplateOnce(), dataDir, { recursive: true });
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  const args = ['serve', '--data', dataDir, '--port', '0', '--web', webDist];
  if (database) args.push('--database', database);
  if (now) args.push('--now', now);
  args.push(...extraArgs);
  const child = spawn(binPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));

  let url;
  try {
    url = await new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`server did not report listening within ${startTimeoutMs} ms\n${log}`)),
        startTimeoutMs,
      );
      let buf = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        log += chunk;
        buf += chunk;
        const m = /sportello listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
        if (m) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
      child.stderr.on('data', (chunk) => {
        log += chunk;
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        rej(e);
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`server exited early (code ${code}, signal ${signal})\n${log}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  let stopped = false;
  return {
    url,
    dataDir,
    output: () => log,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
