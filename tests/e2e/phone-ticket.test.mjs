// The citizen's phone ticket (/phone-ticket.html?ente=…&site=…): take a number for a service,
// the same ticket after a reload, the call shown live with the counter's name, the one-active-
// ticket limit, and axe. The counter calls through the staff API (tests/e2e/reception-api.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, newPage, textOf } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

describe('phone ticket page', () => {
  let srv;
  let browser;
  let admin;
  let siteId;
  let counters;
  let firstTicket;

  before(async () => {
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
    admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    siteId = sites.find((s) => s.kind === 'town_hall').id;
    counters = (await admin.ok('GET', `/api/v1/enti/esempio/counters?site=${siteId}`)).counters;
    assert.equal((await fetch(`${srv.url}/phone-ticket.html?ente=esempio&site=${siteId}`)).status, 200, 'page route');
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('take a number, keep it across a reload, see the call live; a second one is refused', async () => {
    const page = await newPage(browser, srv.url);
    const url = `/phone-ticket.html?ente=esempio&site=${siteId}`;
    await page.goto(url);
    const take = page.getByRole('button', { name: 'Prendi il numero per Anagrafe' });
    await take.waitFor();
    // Edilizia (B) is closed at this hour: not offered.
    assert.equal(await page.locator('li.pt-service[data-prefix="B"]').count(), 0);
    await assertNoAxeViolations(page, 'phone ticket: services');

    await take.click();
    assert.equal(await textOf(page.locator('#pt-code')), 'A001');
    assert.equal(await textOf(page.locator('#pt-ahead')), '0');
    // Nobody ahead, but no counter is open yet: no "Tocca quasi a te", the page says why it waits.
    await page.locator('#pt-no-counter').filter({ hasText: 'nessuno sportello è aperto' }).waitFor();
    assert.equal(await page.locator('#pt-near').count(), 0);
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sportello.phone-ticket.')));
    assert.equal(stored.length, 1);

    // Reload: the same ticket.
    await page.reload();
    assert.equal(await textOf(page.locator('#pt-code')), 'A001');
    assert.equal(await textOf(page.locator('#pt-state')), 'In attesa');
    await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await assertNoAxeViolations(page, 'phone ticket: waiting');

    // The page offers no second number while one is active; the API refuses one anyway.
    assert.equal(await page.getByRole('button', { name: /Prendi il numero/ }).count(), 0);
    const second = await page.evaluate(async (site) => {
      const r = await fetch(`/api/v1/enti/esempio/sites/${site}/tickets`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ service: 'A', source: 'phone' }),
      });
      return { status: r.status, body: await r.json() };
    }, siteId);
    assert.equal(second.status, 429, JSON.stringify(second.body));
    assert.equal(second.body.error.code, 'limit');

    // A counter calls it: the page says so live, with the counter's name.
    const s1 = counters.find((c) => c.name === 'Sportello 1');
    const called = await admin.ok('POST', `/api/v1/counters/${s1.id}/call-next`, {});
    assert.equal(called.ticket.code, 'A001');
    firstTicket = called.ticket;
    await page.locator('#pt-called').filter({ hasText: 'È il tuo turno: Sportello 1' }).waitFor();
    assert.equal(await textOf(page.locator('#pt-state')), 'Chiamato');
    assert.match(await page.title(), /È il tuo turno/);
    await page.locator('#pt-urgent').filter({ hasText: 'Sportello 1' }).waitFor({ state: 'attached' });
    await assertNoAxeViolations(page, 'phone ticket: called');
    assertNoProblems(page);
    await page.context().close();
  });

  it('a second phone ticket for the same service shows the limit message; Rinuncia clears it', async () => {
    // A001 (the first test's ticket) is served and done: no active ticket left.
    assert.ok(firstTicket, 'the first test ran');
    await admin.ok('POST', `/api/v1/tickets/${firstTicket.id}/start`, {});
    await admin.ok('POST', `/api/v1/tickets/${firstTicket.id}/done`, {});
    const page = await newPage(browser, srv.url);
    const url = `/phone-ticket.html?ente=esempio&site=${siteId}`;
    await page.goto(url);
    await page.getByRole('button', { name: 'Prendi il numero per Anagrafe' }).click();
    assert.equal(await textOf(page.locator('#pt-code')), 'A002');
    // Sportello 1 is open now (it called A001): nobody ahead, so the turn is near.
    await page.locator('#pt-near').filter({ hasText: 'Tocca quasi a te' }).waitFor();
    assert.equal(await page.locator('#pt-no-counter').count(), 0);
    // Another context from the same address (same client for the server): refused, clearly.
    const other = await newPage(browser, srv.url);
    await other.goto(url);
    await other.getByRole('button', { name: 'Prendi il numero per Anagrafe' }).click();
    assert.match(await textOf(other.locator('#pt-error')), /Hai già un numero attivo/);
    await other.context().close();

    // "Avvisami quando davanti a me restano…": "solo quando tocca a me" takes the near alert
    // away, "3 persone" brings it back; the choice survives a reload.
    const notify = page.getByLabel('Avvisami quando davanti a me restano');
    assert.equal(await notify.inputValue(), '2');
    await notify.selectOption({ label: 'nessuno: solo quando tocca a me' });
    await page.locator('#pt-near').waitFor({ state: 'detached' });
    await notify.selectOption({ label: '3 persone' });
    await page.locator('#pt-near').waitFor();
    await page.reload();
    assert.equal(await page.getByLabel('Avvisami quando davanti a me restano').inputValue(), '3');
    await page.locator('#pt-near').waitFor();
    await assertNoAxeViolations(page, 'phone ticket: alert choice');

    // Rinuncia: cancelled and forgotten; the services are offered again.
    await page.getByRole('button', { name: 'Rinuncia' }).click();
    await page.getByRole('button', { name: 'Sì, rinuncio' }).click();
    await page.locator('#pt-notice').filter({ hasText: 'Hai rinunciato al numero A002' }).waitFor();
    await page.getByRole('button', { name: 'Prendi il numero per Anagrafe' }).waitFor();
    const st = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sportello.phone-ticket.')));
    assert.deepEqual(st, []);
    assertNoProblems(page);
    await page.context().close();
  });
});
