// The reports page (supervisors) and the open-data page (public), issue 16: figures from known
// contacts (phone calls resolved at once, tickets served at a counter) drawn as chart.js charts,
// each with its table alternative (opened from the keyboard), the key figures, the breakdown
// table, the CSV export of the same figures, the console's link to the page; the open data with
// its metadata and suppressed small cells. 1280 and 390 px, axe clean, screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync } from 'node:fs';
import { assertNoAxeViolations, assertNoOverlap, assertNoProblems, launchBrowser, login, newPage, textOf } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer, repoRoot } from './server.mjs';

const shots = `${repoRoot}/build/e2e-shots`;

describe('reports and open data', () => {
  let srv;
  let browser;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    // Three phone calls answered at once, two tickets served at a counter.
    for (const subject of ['Orari', 'Tari', 'Residenza']) {
      await admin.ok('POST', '/api/v1/enti/esempio/cases', { office: 'urp', subject, channel: 'phone', answer: 'Fatto.', resolved_now: true });
    }
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    const site = sites.find((s) => s.kind === 'town_hall').id;
    const k = await admin.ok('POST', '/api/v1/enti/esempio/counters', { name: 'Report', site, services: ['G'] });
    for (let i = 0; i < 2; i++) {
      const t = await admin.ok('POST', `/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'G', source: 'machine' });
      await admin.ok('POST', `/api/v1/counters/${k.id}/call-next`, {});
      await admin.ok('POST', `/api/v1/tickets/${t.ticket.id}/done`, {});
    }
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const [width, height] of [[1280, 900], [390, 844]]) {
    it(`a supervisor reads the month's figures as charts and tables (${width} px)`, async () => {
      const page = await newPage(browser, srv.url);
      await page.setViewportSize({ width, height });
      await login(page, 'supervisore', 'supervisore-demo-2026');
      if (width === 1280) {
        // The console links to the page.
        const link = page.getByRole('link', { name: 'Report dello sportello' });
        assert.equal(await link.getAttribute('href'), '/esempio/reports');
      }
      await page.goto('/esempio/reports?from=2026-11-01&to=2026-11-30');
      await page.getByRole('heading', { name: 'In sintesi' }).waitFor();
      const kpi = (name) => page.locator('.reports-kpi').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('.reports-kpi-value');
      assert.equal(await textOf(kpi('Contatti')), '5');
      assert.equal(await textOf(kpi('Risolti al primo contatto')), '100%');
      // Seven charts, each a canvas described as a picture, each with its table.
      const charts = page.locator('figure.fig-chart');
      assert.equal(await charts.count(), 7);
      for (const c of await charts.all()) {
        assert.match(await c.locator('canvas').getAttribute('aria-label'), /^Grafico: .*tabella/);
        assert.ok((await c.locator('canvas').boundingBox()).height > 100, 'the chart is drawn');
      }
      // The FCR chart's table, opened from the keyboard.
      const fcr = page.locator('figure[data-chart="fcr"]');
      const toggle = fcr.locator('button[aria-controls="fcr-table"]');
      assert.equal(await textOf(toggle), 'Mostra la tabella dei dati');
      await toggle.focus();
      await page.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await textOf(toggle), 'Nascondi la tabella dei dati');
      const table = fcr.getByRole('table', { name: 'Risoluzione al primo contatto per canale, obiettivo 80%' });
      await table.waitFor();
      const phoneRow = table.getByRole('row', { name: /Telefono/ });
      assert.match(await textOf(phoneRow), /Telefono\s*100%\s*80%/);
      // The breakdown by channel.
      await page.getByLabel('Raggruppa per').selectOption('channel');
      const row = page.locator('.reports-table tbody tr', { hasText: 'Biglietto allo sportello' });
      assert.match(await textOf(row.locator('td').first()), /^2$/);
      await page.screenshot({ path: `${shots}/reports-${width}.png`, fullPage: true });
      await assertNoAxeViolations(page, `reports ${width}`);
      await assertNoOverlap(page, `reports ${width}`);
      // The CSV export: the same total.
      const href = await page.locator('a[data-export="csv"]').getAttribute('href');
      const csv = await page.evaluate(async (u) => {
        const r = await fetch(u);
        return { type: r.headers.get('content-type'), text: await r.text() };
      }, href);
      assert.match(csv.type, /^text\/csv/);
      assert.match(csv.text.split('\r\n')[1], /^total,,,5,5,0,0,3,3,1\.000,/);
      // Print: every table is shown.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.fig-table:visible').count(), 7);
      await page.emulateMedia({ media: 'screen' });
      assertNoProblems(page);
      await page.context().close();
    });
  }

  for (const [width, height] of [[1280, 900], [390, 844]]) {
    it(`anyone reads the open data with its record; small cells are not published (${width} px)`, async () => {
      const page = await newPage(browser, srv.url);
      await page.setViewportSize({ width, height });
      await page.goto('/esempio/opendata?year=2026');
      await page.getByRole('heading', { name: 'Scheda del dataset' }).waitFor();
      assert.equal(await textOf(page.getByRole('link', { name: 'CC-BY 4.0' })), 'CC-BY 4.0');
      const table = page.getByRole('table', { name: 'Soddisfazione e attese per mese e ufficio, 2026' });
      const urp = table.getByRole('row', { name: /2026-11.*URP/ });
      assert.match(await textOf(urp), /non pubblicato/);
      await page.screenshot({ path: `${shots}/opendata-${width}.png`, fullPage: true });
      await assertNoAxeViolations(page, `opendata ${width}`);
      await assertNoOverlap(page, `opendata ${width}`);
      assertNoProblems(page);
      await page.context().close();
    });
  }
});
