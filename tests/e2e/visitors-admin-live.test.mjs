// The info point's administration, its live lists and the visitor's phone pass in Debian's
// Chromium (issue 18). An admin configures the info point on /esempio/admin#visitors (settings,
// an area, a door tablet whose one-time setup QR is decoded from a screenshot); bad input gets
// Italian errors. The info point opens the occupancy list, a turnstile lets a visitor in, and the
// list shows them inside without a reload. The visitor's phone pass (390 px) is opened from the
// badge screen's link, its QR decoded from a screenshot (jsQR) and checked at the turnstile.
// axe at 1280 and 390 px. Wednesday 25 November 2026, 09:30 in Rome. Screenshots in
// $SPORTELLO_SHOTS (default: a temp dir).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoOverlap, assertNoProblems, launchBrowser, login, newPage, textOf } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const jsqrPath = require.resolve('jsqr/dist/jsQR.js');

/** The text of the QR code in a PNG screenshot (jsQR in a blank page), or null. */
async function decodeQr(browser, png) {
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><title>qr</title>');
    await page.addScriptTag({ path: jsqrPath });
    return await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width + 40;
      c.height = img.height + 40;
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 20, 20);
      const d = ctx.getImageData(0, 0, c.width, c.height);
      return window.jsQR(d.data, c.width, c.height)?.data ?? null;
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}

async function turnstileCheck(url, device, token, direction = 'in') {
  const r = await fetch(`${url}/api/v1/turnstile/check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${device}` },
    body: JSON.stringify({ token, direction }),
  });
  assert.equal(r.status, 200);
  return r.json();
}

describe('info point administration, live lists and the phone pass, Wednesday 09:30', () => {
  let srv;
  let browser;
  let dir;
  let shots;
  let device;
  before(async () => {
    srv = await startServer({ now: '2026-11-25T08:30:00Z' });
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), 'sportello-visitors-admin-e2e-'));
    shots = process.env.SPORTELLO_SHOTS || dir;
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (!process.env.SPORTELLO_SHOTS) await rm(dir, { recursive: true, force: true });
  });

  it('the admin sets up the info point: settings, an area, a door tablet with its setup QR', async () => {
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, 'admin', 'admin-demo-2026');
    await page.goto('/esempio/admin#visitors');
    await page.getByRole('tab', { name: 'Punto informazioni' }).waitFor();
    await page.getByRole('heading', { name: 'Impostazioni' }).waitFor();

    // Settings: a bad number of hours is refused in Italian, then the URP runs the info point.
    await page.getByLabel('Ufficio del punto informazioni').selectOption({ label: 'URP - Ufficio Relazioni con il Pubblico' });
    const hours = page.getByLabel(/Ore di conservazione/);
    await hours.fill('0');
    await page.locator('#vis-settings').getByRole('button', { name: 'Salva' }).click();
    await page.getByText('Indica un numero intero di ore da 1 a 720.').waitFor();
    await hours.fill('36');
    await page.locator('#vis-settings').getByRole('button', { name: 'Salva' }).click();
    await page.locator('#vis-settings').getByText('Impostazioni salvate.').waitFor();

    // An area: without a name or offices, Italian errors; then created.
    const areaForm = page.locator('#vis-area-form');
    await areaForm.getByRole('button', { name: 'Crea l’area' }).click();
    await areaForm.getByText('Scegli almeno un ufficio.', { exact: true }).first().waitFor();
    assert.equal(await page.locator('#vis-area-name').getAttribute('aria-invalid'), 'true');
    await page.getByLabel(/^Nome dell’area/).fill('Servizi sociali, primo piano');
    await areaForm.locator('label', { hasText: /^Servizi sociali$/ }).click();
    await areaForm.getByRole('button', { name: 'Crea l’area' }).click();
    await page.locator('#vis-areas-table').getByRole('rowheader', { name: 'Servizi sociali, primo piano' }).waitFor();
    // The same name again: the server's Italian conflict, nothing created.
    await page.getByLabel(/^Nome dell’area/).fill('Servizi sociali, primo piano');
    await areaForm.locator('label', { hasText: /^Tributi e Patrimonio$/ }).click();
    await areaForm.getByRole('button', { name: 'Crea l’area' }).click();
    await areaForm.getByText("esiste già un'area con questo nome").waitFor();
    assert.equal(await page.locator('#vis-areas-table tbody tr').count(), 1);
    // Renamed through "Modifica".
    await page.getByRole('button', { name: 'Modifica – Servizi sociali, primo piano' }).click();
    await page.getByLabel(/^Nome dell’area/).fill('Sociali, primo piano');
    await areaForm.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#vis-areas-table').getByRole('rowheader', { name: 'Sociali, primo piano' }).waitFor();

    // A door tablet: without an area, an Italian error; then registered, its address shown once
    // with a QR that decodes to that address.
    const tsForm = page.locator('#vis-ts-form');
    await page.getByLabel(/^Nome del dispositivo/).fill('Porta sociali');
    await tsForm.getByRole('button', { name: 'Registra' }).click();
    await tsForm.getByText('Scegli l’area.').waitFor();
    await page.locator('#vis-ts-area').selectOption({ label: 'Sociali, primo piano' });
    await tsForm.getByRole('button', { name: 'Registra' }).click();
    const secret = page.getByTestId('turnstile-secret');
    await secret.waitFor();
    const url = await page.locator('#vis-setup-url').inputValue();
    assert.match(url, new RegExp(`^${srv.url}/turnstile/[^#]+#token=.{43,}$`));
    const qr = await decodeQr(browser, await secret.locator('img').screenshot());
    assert.equal(qr, url, 'the setup QR holds the tablet address');
    device = url.split('#token=')[1];
    await page.locator('#vis-ts-table').getByRole('rowheader', { name: 'Porta sociali' }).waitFor();
    await page.screenshot({ path: join(shots, 'admin-visitors-1280.png'), fullPage: true });
    await assertNoAxeViolations(page, 'admin info point, 1280');
    await assertNoOverlap(page, 'admin info point, 1280');

    // A new code replaces the old one (asked first).
    await page.getByRole('button', { name: 'Nuovo codice – Porta sociali' }).click();
    await page.getByRole('button', { name: 'Sì, procedi' }).click();
    await page.getByText('Nuovo codice per «Porta sociali»: il precedente non funziona più.').first().waitFor();
    const url2 = await page.locator('#vis-setup-url').inputValue();
    assert.notEqual(url2, url);
    const old = await fetch(`${srv.url}/api/v1/turnstile`, { headers: { Authorization: `Bearer ${device}` } });
    assert.equal(old.status, 401, 'the old device token no longer works');
    device = url2.split('#token=')[1];

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'admin-visitors-390.png'), fullPage: true });
    await assertNoAxeViolations(page, 'admin info point, 390');
    await assertNoOverlap(page, 'admin info point, 390');
    assertNoProblems(page);
  });

  it('the occupancy list follows the turnstile live; the phone pass opens at the turnstile', async () => {
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, 'operatore', 'operatore-demo-2026');
    await page.goto('/esempio/infopoint');
    await page.getByRole('heading', { level: 1, name: 'Punto informazioni' }).waitFor();
    // The lists opened before anyone arrives.
    await page.getByRole('button', { name: 'Mostra i presenti' }).click();
    const occ = page.getByTestId('occupancy');
    await occ.waitFor();
    assert.match(await textOf(occ), /Sociali, primo piano: 0 presenti/);

    await page.locator('#first_name').fill('Lucia');
    await page.locator('#last_name').fill('Mondella');
    await page.locator('#office').selectOption({ label: 'Servizi sociali' });
    // The host: one of the destination office's operators (the colleagues' directory).
    await page.locator('#host_operator').selectOption({ label: 'Marco Bianchi' });
    assert.equal(await page.locator('#host_name').count(), 0, 'a named person only without an operator');
    await page.locator('#reason').fill('Colloquio');
    await page.getByRole('button', { name: 'Registra e crea il pass' }).click();
    const phone = page.getByTestId('phone-pass');
    await phone.waitFor();
    const phoneUrl = await page.locator('#phone-pass-link').getAttribute('href');
    assert.match(phoneUrl, new RegExp(`^${srv.url}/esempio/pass#.{43,}$`));
    assert.equal(await decodeQr(browser, await phone.locator('img').screenshot()), phoneUrl, 'the badge screen’s QR opens the phone pass');

    // The visitor's phone.
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'it-IT', baseURL: srv.url });
    const mobile = await ctx.newPage();
    const logged = [];
    mobile.on('request', (r) => logged.push(r.url()));
    await mobile.goto(phoneUrl);
    const state = mobile.getByTestId('pass-state');
    await state.waitFor();
    assert.equal(await state.getAttribute('data-state'), 'valid');
    const main = await textOf(mobile.locator('main'));
    assert.match(main, /Il tuo pass visitatore.*Valido: puoi entrare\..*Lucia.*Servizi sociali.*Validità ?dalle 09:30 alle 10:30/);
    assert.ok(!main.includes('Mondella') && !main.includes('Colloquio'), 'nothing more than the badge');
    assert.ok(logged.every((u) => !u.includes('#') && !u.includes(phoneUrl.split('#')[1])), 'the token never travels in a URL');
    await mobile.screenshot({ path: join(shots, 'phone-pass-390.png'), fullPage: true });
    await assertNoAxeViolations(mobile, 'phone pass, 390');
    await assertNoOverlap(mobile, 'phone pass, 390');
    const token = await decodeQr(browser, await mobile.getByTestId('pass-qr').screenshot());
    assert.equal(token, phoneUrl.split('#')[1], 'the phone QR is the pass token');

    // At the turnstile: allowed; the info point's list shows them inside without a reload.
    const answer = await turnstileCheck(srv.url, device, token, 'in');
    assert.equal(answer.allowed, true, JSON.stringify(answer));
    await page.getByText(/Sociali, primo piano: 1 presenti/).waitFor();
    assert.match(await textOf(occ), /Lucia Mondella – Servizi sociali, entrato alle 09:30/);
    await page.screenshot({ path: join(shots, 'infopoint-live-1280.png'), fullPage: true });
    await assertNoAxeViolations(page, 'info point live, 1280');

    // The phone, refreshed, says they are inside.
    await mobile.getByRole('button', { name: 'Aggiorna' }).click();
    await mobile.locator('[data-testid="pass-state"][data-state="inside"]').waitFor();
    assert.match(await textOf(state), /Sei entrato \(Sociali, primo piano\)/);
    // Exit: the list empties by itself.
    assert.equal((await turnstileCheck(srv.url, device, token, 'out')).allowed, true);
    await page.getByText(/Sociali, primo piano: 0 presenti/).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoAxeViolations(page, 'info point live, 390');
    await mobile.setViewportSize({ width: 1280, height: 900 });
    await assertNoAxeViolations(mobile, 'phone pass, 1280');
    await mobile.screenshot({ path: join(shots, 'phone-pass-1280.png'), fullPage: true });
    assertNoProblems(page);
    await ctx.close();
  });
});
