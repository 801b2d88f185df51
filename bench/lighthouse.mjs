// Lighthouse 12 (npm, pinned in web/package.json) on the citizen pages the issue names, mobile
// form factor with Lighthouse's default simulated slow 4G and 4x CPU slowdown, driving Debian's
// Chromium. Prints performance, LCP, CLS, TBT per page: the median of RUNS runs each.
//   node bench/lighthouse.mjs              (needs build/sportello and web/dist; RUNS=3 default)
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, repoRoot } from '../tests/e2e/server.mjs';

const runs = Number(process.env.RUNS || 3);
const lighthouse = join(repoRoot, 'web/node_modules/.bin/lighthouse');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const srv = await startServer({ now: '2026-11-25T09:30:00Z' });
const dir = await mkdtemp(join(tmpdir(), 'sportello-lh-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const pages = { offices: '/esempio', 'visit (knock)': '/esempio/visit/anagrafe', booking: '/esempio/prenota' };
  const rows = [];
  for (const [name, path] of Object.entries(pages)) {
    const got = { perf: [], lcp: [], cls: [], tbt: [], fcp: [] };
    for (let i = 0; i < runs; i++) {
      const out = join(dir, `${name}-${i}.json`.replace(/\W+/g, '_'));
      await new Promise((res, rej) => {
        const p = spawn(lighthouse, [srv.url + path, '--quiet', '--only-categories=performance',
          '--output=json', `--output-path=${out}`, `--chrome-path=${chromium}`,
          '--chrome-flags=--headless=new --no-sandbox --disable-gpu'], { stdio: ['ignore', 'ignore', 'inherit'] });
        p.on('exit', (c) => (c === 0 ? res() : rej(new Error(`lighthouse exited ${c}`))));
      });
      const r = JSON.parse(await readFile(out, 'utf8'));
      got.perf.push(Math.round(r.categories.performance.score * 100));
      got.lcp.push(r.audits['largest-contentful-paint'].numericValue);
      got.fcp.push(r.audits['first-contentful-paint'].numericValue);
      got.cls.push(r.audits['cumulative-layout-shift'].numericValue);
      got.tbt.push(r.audits['total-blocking-time'].numericValue);
    }
    rows.push({ page: name, performance: median(got.perf), 'FCP s': +(median(got.fcp) / 1000).toFixed(2),
      'LCP s': +(median(got.lcp) / 1000).toFixed(2), CLS: +median(got.cls).toFixed(3), 'TBT ms': Math.round(median(got.tbt)),
      'all performance': got.perf.join(' ') });
  }
  console.table(rows);
} finally {
  await rm(dir, { recursive: true, force: true });
  await srv.stop();
}
