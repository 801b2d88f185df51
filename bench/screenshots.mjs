// Full-page screenshots of the citizen pages, the console and the admin page at 1280 and 390 px,
// to compare two web builds pixel for pixel (how the purged stylesheet was checked against the
// whole one, docs/PERFORMANCE.md):
//   SPORTELLO_WEB=/tmp/dist-full node bench/screenshots.mjs /tmp/shots-full
//   node bench/screenshots.mjs /tmp/shots-now
//   for f in /tmp/shots-full/*.png; do cmp -s $f /tmp/shots-now/${f##*/} || echo ${f##*/}; done
import { launchBrowser, login } from '../tests/e2e/helpers.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
const out = process.argv[2]; mkdirSync(out, { recursive: true });
const srv = await startServer({ now: '2026-11-25T09:30:00Z' });
const browser = await launchBrowser();
const offices = await (await fetch(`${srv.url}/api/v1/enti/esempio/offices`)).json();
const site = (offices.sites ?? [])[0]?.id;
const pages = { offices: '/esempio', visit: '/esempio/visit/anagrafe', widget: '/esempio/widget/anagrafe', kiosk: '/kiosk/none',
  booking: '/esempio/prenota', pratica: '/esempio/pratica', phone: `/esempio/ticket/${site}`, tm: `/ticket-machine/${site}`, board: `/board/${site}`,
  login: '/esempio/login', home: '/' };
for (const w of [1280, 390]) {
  for (const [n, p] of Object.entries(pages)) {
    const ctx = await browser.newContext({ viewport: { width: w, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const page = await ctx.newPage();
    await page.goto(srv.url + p, { waitUntil: 'networkidle' });
    await page.waitForTimeout(300);
    writeFileSync(`${out}/${n}-${w}.png`, await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' }));
    await ctx.close();
  }
  for (const who of [['operatore', 'operatore-demo-2026', 'console'], ['admin', 'admin-demo-2026', 'admin']]) {
    const ctx = await browser.newContext({ baseURL: srv.url, viewport: { width: w, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const page = await ctx.newPage();
    await login(page, who[0], who[1]);
    if (who[2] === 'admin') await page.goto(srv.url + '/esempio/admin', { waitUntil: 'networkidle' });
    await page.waitForTimeout(800);
    writeFileSync(`${out}/${who[2]}-${w}.png`, await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' }));
    await ctx.close();
  }
}
await browser.close(); await srv.stop();
