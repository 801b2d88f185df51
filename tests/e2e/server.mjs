// Starts the real sportello server for a browser test: a temp data dir with the demo loaded,
// `serve` on an ephemeral loopback port with an injected clock. Waits (with a deadline, never
// a sleep) for the "sportello listening on http://127.0.0.1:PORT" line. The demo is loaded once
// per test process into a template data dir; each server gets a copy of it.
//   const srv = await startServer({ now: '2026-11-23T09:00:00Z' }); … await srv.stop();
// The binary is $SPORTELLO_BIN or build/sportello; the pages are $SPORTELLO_WEB or web/dist.
import { execFile, spawn } from 'node:child_process';
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

/**
 * @param {{ now?: string, startTimeoutMs?: number, extraArgs?: string[] }} [opts]
 * @returns {Promise<{ url: string, dataDir: string, output: () => string, stop: () => Promise<void> }>}
 */
export async function startServer(opts = {}) {
  const { now, startTimeoutMs = 30_000, extraArgs = [] } = opts;
  const dataDir = await mkdtemp(join(tmpdir(), 'sportello-e2e-'));
  try {
    await cp(await demoTemplateOnce(), dataDir, { recursive: true });
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  const args = ['serve', '--data', dataDir, '--port', '0', '--web', webDist];
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
