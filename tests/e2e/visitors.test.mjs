// The info point and the turnstile in Debian's Chromium (issue 18). An operator of the info
// point registers a visitor on /esempio/infopoint and gets the badge; the badge is
// screenshotted, its QR decoded (jsQR) and the screenshot turned into a Y4M video that Chromium
// plays as its fake camera on the turnstile page (/turnstile/{id}), which reads the QR and shows
// the green answer; the evacuation list then shows the visitor inside. axe on both pages, at
// 1280 and 390 px. Wednesday 25 November 2026, 09:30 in Rome. Screenshots in
// $SPORTELLO_SHOTS (default: a temp dir).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoOverlap, assertNoProblems, launchBrowser, login, newPage, textOf } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const jsqrPath = require.resolve('jsqr/dist/jsQR.js');
const W = 640;
const H = 480;

/**
 * The badge's screenshot (PNG) drawn on a white W×H frame, in a blank page (no CSP there): the
 * frame's luma (for the Y4M) and the QR text jsQR finds in it.
 */
async function frameOf(browser, png) {
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><title>frame</title>');
    await page.addScriptTag({ path: jsqrPath });
    return await page.evaluate(
      async ({ b64, w, h }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = w;
        c.height = h;
        const ctx = c.getContext('2d');
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, w, h);
        const s = Math.min((w - 40) / img.width, (h - 40) / img.height);
        ctx.drawImage(img, (w - img.width * s) / 2, (h - img.height * s) / 2, img.width * s, img.height * s);
        const d = ctx.getImageData(0, 0, w, h);
        const qr = window.jsQR(d.data, w, h);
        const luma = new Array(w * h);
        for (let i = 0; i < w * h; i++) {
          luma[i] = Math.round(0.299 * d.data[4 * i] + 0.587 * d.data[4 * i + 1] + 0.114 * d.data[4 * i + 2]);
        }
        return { text: qr ? qr.data : null, luma };
      },
      { b64: png.toString('base64'), w: W, h: H },
    );
  } finally {
    await page.close();
  }
}

/** A Y4M (YUV 4:2:0) video of `frames` copies of the luma frame, grey chroma. */
function y4m(luma, frames = 10) {
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  const y = Buffer.from(luma);
  const uv = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const parts = [header];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n'), y, uv);
  return Buffer.concat(parts);
}

describe('info point and turnstile, Wednesday 09:30', () => {
  let srv;
  let browser;
  let camBrowser;
  let dir;
  let gateUrl;
  let shots;
  before(async () => {
    srv = await startServer({ now: '2026-11-25T08:30:00Z' });
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), 'sportello-visitors-e2e-'));
    shots = process.env.SPORTELLO_SHOTS || dir;
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    await admin.ok('PUT', '/api/v1/enti/esempio/visitors/settings', { info_office: 'urp', retention_hours: 48 });
    const area = await admin.ok('POST', '/api/v1/enti/esempio/visitor-areas', { name: 'Servizi sociali, primo piano', offices: ['sociali'] });
    const gate = await admin.ok('POST', '/api/v1/enti/esempio/turnstiles', { name: 'Porta sociali', area: area.id });
    gateUrl = gate.url;
  });
  after(async () => {
    await camBrowser?.close();
    await browser?.close();
    await srv?.stop();
    if (!process.env.SPORTELLO_SHOTS) await rm(dir, { recursive: true, force: true });
  });

  it('registers a visitor, the turnstile reads the badge, the evacuation list shows them inside', async () => {
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, 'operatore', 'operatore-demo-2026');
    // The console's one link leads to the info point.
    await page.getByRole('link', { name: 'Punto informazioni' }).click();
    await page.waitForURL('**/esempio/infopoint');
    await page.getByRole('heading', { level: 1, name: 'Punto informazioni' }).waitFor();
    // Find the office from what the person asks, then register for it.
    await page.getByLabel('Cosa chiede la persona?').fill('sociali');
    // Quick actions on what was found: a queue ticket for a service, the information given
    // logged as a case resolved at first contact (in the info point's office).
    await page.getByRole('button', { name: 'Numero per ISEE' }).click();
    await page.getByText(/Biglietto D\d{3} emesso per ISEE\./).waitFor();
    await page.getByRole('button', { name: 'Registra come informazione data' }).first().click();
    await page.getByText(/Richiesta registrata come risolta al primo contatto \(PR-/).waitFor();
    await page.getByRole('button', { name: 'Registra visitatore per Servizi sociali' }).first().click();
    assert.equal(await page.locator('#office').inputValue() !== '', true);
    await page.locator('#first_name').fill('Mario');
    await page.locator('#last_name').fill('Rossi');
    await page.locator('#document_type').selectOption({ label: 'Carta d’identità' });
    await page.locator('#document_number').fill('CA12345AB');
    await page.locator('#reason').fill('Colloquio con l’assistente sociale');
    await page.getByRole('button', { name: 'Registra e crea il pass' }).click();
    const badge = page.getByTestId('badge');
    await badge.waitFor();
    const badgeText = (await badge.innerText()).replace(/\s+/g, ' ').trim();
    assert.match(badgeText, /^Mario Destinazione: Servizi sociali Valido fino alle 10:30$/);
    assert.ok(!badgeText.includes('Rossi'), 'the badge carries the first name only');
    assert.ok(!badgeText.includes('5AB'), 'nor the document');
    await page.screenshot({ path: join(shots, 'infopoint-1280.png'), fullPage: true });
    await assertNoAxeViolations(page, 'info point with badge, 1280');
    await assertNoOverlap(page, 'info point, 1280');

    // The badge's QR, from its screenshot.
    const png = await badge.screenshot({ path: join(shots, 'badge.png') });
    const frame = await frameOf(browser, png);
    assert.ok(frame.text && frame.text.length >= 43, 'the QR of the badge decodes to the pass token');
    const video = join(dir, 'badge.y4m');
    await writeFile(video, y4m(frame.luma));

    // The turnstile: a tablet whose camera sees the badge.
    camBrowser = await launchBrowser({
      args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    const tablet = await newPage(camBrowser, srv.url);
    await tablet.context().grantPermissions(['camera'], { origin: srv.url });
    await tablet.setViewportSize({ width: 390, height: 844 });
    await tablet.goto(gateUrl);
    await tablet.getByRole('heading', { level: 1, name: 'Tornello: Porta sociali' }).waitFor();
    assert.ok(!tablet.url().includes('token='), 'the device token leaves the address bar');
    const answer = tablet.getByTestId('ts-answer');
    await answer.waitFor();
    assert.equal(await answer.getAttribute('data-allowed'), 'true', await answer.textContent());
    assert.match(await textOf(answer), /Passaggio consentito.*Mario – Servizi sociali/);
    await tablet.screenshot({ path: join(shots, 'turnstile-390.png'), fullPage: true });
    await assertNoAxeViolations(tablet, 'turnstile with an answer, 390');
    await assertNoOverlap(tablet, 'turnstile, 390');
    assertNoProblems(tablet);

    // The same badge shown again before an exit: refused (anti-passback), in red with the reason.
    await tablet.waitForSelector('[data-testid="ts-answer"][data-allowed="false"]', { timeout: 15_000 });
    assert.match(await textOf(tablet.getByTestId('ts-answer')), /Passaggio negato.*manca l’uscita/);
    await tablet.screenshot({ path: join(shots, 'turnstile-denied-390.png'), fullPage: true });

    // The evacuation list.
    await page.getByRole('button', { name: 'Mostra i presenti' }).click();
    const occ = page.getByTestId('occupancy');
    await occ.waitFor();
    assert.match(await textOf(occ), /Servizi sociali, primo piano: 1 presenti.*Mario Rossi – Servizi sociali, entrato alle 09:30/);
    await page.screenshot({ path: join(shots, 'infopoint-occupancy-1280.png'), fullPage: true });
    await assertNoAxeViolations(page, 'info point with the evacuation list, 1280');

    // The same page on a phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'infopoint-390.png'), fullPage: true });
    await assertNoAxeViolations(page, 'info point, 390');
    await assertNoOverlap(page, 'info point, 390');
    assertNoProblems(page);
  });
});
