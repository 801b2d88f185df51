// "Mettiamoci la faccia" on the channels besides the visit (the visit page's rating is in
// visit.test.mjs): a phone ticket rated on its page once it is done (1280 and 390 px), a case on
// its tracking page once it is resolved, an appointment on its manage page once it is done. Each:
// no faces while the contact is open, the faces after, reasons only after a negative vote, the
// thanks, the rating stored once (the API says rated), axe clean.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync } from 'node:fs';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, newPage, textOf } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer, repoRoot } from './server.mjs';

const shots = `${repoRoot}/build/e2e-shots`;

describe('ratings on every channel', () => {
  let srv;
  let browser;
  let admin;
  let siteId;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
    admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    siteId = sites.find((s) => s.kind === 'town_hall').id;
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  async function rateHere(page, label) {
    const faces = page.getByRole('group', { name: 'Come valuti il servizio ricevuto?' });
    await faces.waitFor();
    await page.screenshot({ path: `${shots}/feedback-${label.replace(/ /g, '-')}-faces.png`, fullPage: true });
    await assertNoAxeViolations(page, `${label}: faces`);
    await page.getByRole('radio', { name: 'Insoddisfatto', exact: true }).check();
    // bootstrap-italia draws the checkbox on its label: a person clicks the label.
    const box = page.getByRole('checkbox', { name: 'Tempo di attesa' });
    await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
    assert.equal(await box.isChecked(), true);
    await page.getByLabel('Commento (facoltativo)').fill('Troppa attesa');
    await page.getByRole('button', { name: 'Invia la valutazione' }).click();
    assert.equal(await textOf(page.locator('#rating-thanks')), 'Grazie per la tua valutazione!');
  }

  for (const [width, height, service] of [[1280, 800, 'C'], [390, 844, 'D']]) {
    it(`a phone ticket is rated on its page once done (${width} px)`, async () => {
      const page = await newPage(browser, srv.url);
      await page.setViewportSize({ width, height });
      await page.goto(`/phone-ticket.html?ente=esempio&site=${siteId}`);
      const take = page.getByRole('button', { name: new RegExp(`^Prendi il numero per`) });
      await take.first().waitFor();
      await page.locator(`li.pt-service[data-prefix="${service}"] button`).click();
      await page.locator('#pt-code').waitFor();
      assert.equal(await page.locator('[data-testid="rating-ticket"]').count(), 0, 'no faces while waiting');
      const stored = await page.evaluate(() => {
        const k = Object.keys(localStorage).find((x) => x.startsWith('sportello.phone-ticket.'));
        return JSON.parse(localStorage.getItem(k));
      });
      const k = await admin.ok('POST', '/api/v1/enti/esempio/counters', { name: `Faccia ${width}`, site: siteId, services: [service] });
      const called = await admin.ok('POST', `/api/v1/counters/${k.id}/call-next`, {});
      assert.equal(called.ticket.id, stored.id);
      await admin.ok('POST', `/api/v1/tickets/${stored.id}/start`, {});
      await admin.ok('POST', `/api/v1/tickets/${stored.id}/done`, {});
      await page.locator('#pt-state').filter({ hasText: /Servit|Conclus/ }).waitFor();
      await rateHere(page, `ticket ${width}`);
      await page.screenshot({ path: `${shots}/feedback-ticket-${width}.png`, fullPage: true });
      const st = await fetch(`${srv.url}/api/v1/enti/esempio/ratings/ticket/${stored.id}`, { headers: { 'X-Ticket-Token': stored.token } });
      assert.deepEqual(await st.json().then((j) => [j.rateable, j.rated]), [false, true]);
      await assertNoAxeViolations(page, `ticket ${width}: thanks`);
      assertNoProblems(page);
      await page.context().close();
    });
  }

  it('a case is rated on its tracking page once resolved', async () => {
    const c = await admin.ok('POST', '/api/v1/enti/esempio/cases', {
      office: 'urp', subject: 'Cambio di residenza', channel: 'message', citizen: { name: 'Anna', email: 'anna@example.org' },
    });
    const open = await newPage(browser, srv.url);
    await open.goto(`/esempio/pratica/${c.case.code}#${c.secret}`);
    await open.locator('#case-state').waitFor();
    assert.equal(await open.locator('[data-testid="rating-case"]').count(), 0, 'no faces while open');
    await open.context().close();
    await admin.ok('POST', `/api/v1/cases/${c.case.id}/state`, { state: 'resolved', note: 'Fatto' });
    // The resolution email's link: the same page, now with the faces.
    const page = await newPage(browser, srv.url);
    await page.goto(`/esempio/pratica/${c.case.code}#${c.secret}`);
    await rateHere(page, 'case');
    await page.screenshot({ path: `${shots}/feedback-case-1280.png`, fullPage: true });
    assertNoProblems(page);
    await page.context().close();
  });

  it('an appointment is rated on its manage page once done', async () => {
    const offices = await (await fetch(`${srv.url}/api/v1/enti/esempio/booking/offices`)).json();
    const anagrafe = offices.offices.find((o) => o.slug === 'anagrafe');
    const r = await fetch(`${srv.url}/api/v1/enti/esempio/bookings`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ office: 'anagrafe', service: anagrafe.plans[0].service.id, date: '2026-11-26', start: '09:30', first_name: 'Maria', last_name: 'Rossi', email: 'maria.e2e@example.org', privacy_accepted: true }),
    });
    assert.equal(r.status, 201);
    const b = await r.json();
    await admin.ok('POST', `/api/v1/enti/esempio/bookings/${b.booking.code}/arrived`, {});
    await admin.ok('POST', `/api/v1/enti/esempio/bookings/${b.booking.code}/done`, {});
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/esempio/prenotazione/${b.booking.code}#${b.secret}`);
    await rateHere(page, 'appointment');
    await page.screenshot({ path: `${shots}/feedback-appointment-390.png`, fullPage: true });
    assertNoProblems(page);
    await page.context().close();
  });
});
