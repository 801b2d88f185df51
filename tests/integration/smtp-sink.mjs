// A real SMTP server for tests: Debian's python3-aiosmtpd (tests/tools/smtp_sink.py) on a free
// loopback port, writing each accepted message as JSON (parsed by Python's email package, not
// by the code under test). Used by integration and browser tests:
//   const sink = await startSmtpSink();  startServer({ extraArgs: ['--smtp-url', sink.url] })
//   const m = await sink.waitFor((m) => m.to.includes('anna@example.org'));
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../tools/smtp_sink.py', import.meta.url));

export async function startSmtpSink() {
  const dir = await mkdtemp(join(tmpdir(), 'sportello-smtp-'));
  // Debian's interpreter, where python3-aiosmtpd lives (not a pyenv or venv python on PATH).
  const child = spawn('/usr/bin/python3', [script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('SMTP sink did not start: ' + stderr)), 15_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^(\d+)\n/);
      if (m) {
        clearTimeout(timer);
        res(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`SMTP sink exited (${code}): ${stderr}`));
    });
  });

  async function messages() {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8'))));
  }

  // The first message matching `pred`, waiting for it up to `timeoutMs`.
  async function waitFor(pred, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await messages()).find(pred);
      if (found) return found;
      if (Date.now() > deadline) {
        const got = (await messages()).map((m) => `${m.to}: ${m.subject}`);
        throw new Error(`no matching mail within ${timeoutMs} ms; received: ${JSON.stringify(got)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function stop() {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }

  return { port, url: `smtp://127.0.0.1:${port}`, dir, messages, waitFor, stop };
}
