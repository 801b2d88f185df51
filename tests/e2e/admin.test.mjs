// Administration: the admin changes URP's Monday hours in "Orari" and the public page shows
// them; a server error is shown next to the field it names; operators are kept out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoProblems, launchBrowser, login, newPage, textOf, waitForText } from './helpers.mjs';
import { startServer } from './server.mjs';

describe('administration', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: '2026-11-23T09:00:00Z' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('edits URP Monday hours to 08:00–12:00 and the public page shows them', async () => {
    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    assert.equal(await textOf(admin.locator('#operator-role')), 'Amministratore');
    await admin.getByRole('link', { name: 'Amministrazione' }).click();
    await admin.waitForURL('**/esempio/admin');
    await admin.getByRole('heading', { level: 1, name: 'Amministrazione' }).waitFor();

    await admin.getByRole('tab', { name: 'Orari' }).click();
    assert.equal(await admin.getByRole('tab', { name: 'Orari' }).getAttribute('aria-selected'), 'true');
    // Before an office is chosen the panel says what to do.
    await waitForText(admin.locator('#schedule-pick-hint'), 'Scegli un ufficio');
    const office = admin.getByLabel('Ufficio', { exact: true });
    await office.locator('option', { hasText: 'URP - Ufficio Relazioni con il Pubblico' }).waitFor({ state: 'attached' });
    await office.selectOption({ label: 'URP - Ufficio Relazioni con il Pubblico' });

    // The general (all channels) Monday rule.
    const monday = admin.locator('#rules-table tbody tr[data-weekday="1"][data-channel=""]');
    await monday.first().waitFor();
    assert.equal(await monday.count(), 1);
    const start = monday.locator('input[id$="-start"]');
    const end = monday.locator('input[id$="-end"]');
    assert.equal(await start.inputValue(), '08:00');
    assert.equal(await end.inputValue(), '19:00');
    await end.fill('12:00');
    await admin.getByRole('button', { name: 'Salva orari' }).click();
    await waitForText(admin.locator('#schedule-form [role="status"]'), 'salvati');
    assertNoProblems(admin);

    // A citizen's browser (another context) sees the new hours.
    const citizen = await newPage(browser, srv.url);
    await citizen.goto('/esempio/');
    const row = citizen.locator('#office-urp tbody tr[data-weekday="1"] td');
    await waitForText(row, '08:00–12:00');
    assert.equal(await textOf(row), '08:00–12:00');
    assert.equal(await textOf(citizen.locator('#office-urp tbody tr[data-weekday="2"] td')), '08:00–19:00');
    assert.equal(await textOf(citizen.locator('#office-urp .office-status')), 'Aperto ora · chiude alle 12:00');
    await citizen.context().close();

    // The saved schedule is what the editor shows after a reload.
    await admin.goto('/esempio/admin#schedule/urp');
    const again = admin.locator('#rules-table tbody tr[data-weekday="1"][data-channel=""] input[id$="-end"]');
    await again.waitFor();
    assert.equal(await again.inputValue(), '12:00');
    await admin.context().close();
  });

  it('an open public page updates by itself when the hours change (WebSocket)', async () => {
    const citizen = await newPage(browser, srv.url);
    await citizen.goto('/esempio/');
    const saturday = citizen.locator('#office-urp tbody tr[data-weekday="6"] td');
    await waitForText(saturday, '08:00–14:00');
    // The page subscribes to the directory topic: wait until the server confirmed it.
    await citizen.locator('body[data-live="subscribed"]').waitFor({ state: 'attached' });

    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin#schedule/urp');
    const end = admin.locator('#rules-table tbody tr[data-weekday="6"][data-channel=""] input[id$="-end"]');
    await end.waitFor();
    await end.fill('13:00');
    await admin.getByRole('button', { name: 'Salva orari' }).click();
    await waitForText(admin.locator('#schedule-form [role="status"]'), 'salvati');

    // No reload: the directory event makes the page fetch the offices again (well before
    // the 60-second refresh).
    await waitForText(saturday, '08:00–13:00', 10_000);
    await waitForText(citizen.locator('#live-region'), 'Orari aggiornati', 10_000);
    await admin.context().close();
    await citizen.context().close();
  });

  it('shows the server error next to the field it names', async () => {
    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin#services');
    await admin.getByRole('tab', { name: 'Servizi', selected: true }).waitFor();
    await admin.locator('#services-table').waitFor();
    await admin.getByLabel(/^Nome/).fill('Servizio di prova');
    // Not a letter A–Z: only the server decides, and names the field "prefix".
    await admin.getByLabel(/^Lettera del biglietto/).fill('1');
    await admin.getByRole('button', { name: 'Aggiungi' }).click();
    const err = admin.locator('#services-prefix-error');
    await err.waitFor();
    assert.ok(((await err.textContent()) ?? '').trim().length > 0);
    assert.equal(await err.getAttribute('role'), 'alert');
    const prefix = admin.locator('#services-prefix');
    assert.equal(await prefix.getAttribute('aria-invalid'), 'true');
    assert.match((await prefix.getAttribute('aria-describedby')) ?? '', /services-prefix-error/);

    // Fixed, it is created and listed, with a success message in a live region.
    await prefix.fill('Z');
    await admin.getByRole('button', { name: 'Aggiungi' }).click();
    await waitForText(admin.locator('#crud-services [role="status"]'), 'Servizio di prova');
    await waitForText(admin.locator('#services-table tbody'), 'Servizio di prova');
    await admin.context().close();
  });

  it('asks before deleting one of the Comune\'s closing days', async () => {
    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin#holidays');
    await admin.getByRole('tab', { name: 'Festività', selected: true }).waitFor();
    await admin.locator('#holidays-table').waitFor();
    await admin.locator('#holiday-date').fill('2026-12-07');
    await admin.locator('#holiday-name').fill('Chiusura di prova');
    await admin.locator('#holiday-form').getByRole('button', { name: 'Aggiungi' }).click();
    const row = admin.locator('#holidays-table tbody tr[data-kind="ente"][data-date="2026-12-07"]');
    await waitForText(row, 'Chiusura di prova');

    // Delete asks first; cancelling keeps the day.
    await row.getByRole('button', { name: /Elimina/ }).click();
    await waitForText(row, 'Confermi l’eliminazione di Chiusura di prova?');
    await row.getByRole('button', { name: 'Annulla' }).click();
    await row.getByRole('button', { name: /Elimina/ }).waitFor();
    assert.equal(await row.count(), 1);
    await admin.goto('/esempio/admin#holidays');
    await admin.locator('#holidays-year').fill('2026');
    await admin.getByRole('button', { name: 'Mostra' }).click();
    await waitForText(row, 'Chiusura di prova');

    // Confirming removes it.
    await row.getByRole('button', { name: /Elimina/ }).click();
    await row.getByRole('button', { name: 'Sì, elimina' }).click();
    await waitForText(admin.locator('[role="status"]'), 'Festività rimossa: Chiusura di prova');
    await row.waitFor({ state: 'detached' });
    assertNoProblems(admin);
    await admin.context().close();
  });

  it('keeps operators out', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    await page.goto('/esempio/admin');
    await page.getByRole('heading', { level: 1, name: 'Accesso riservato agli amministratori' }).waitFor();
    assert.equal(await page.getByRole('tab').count(), 0);
    await page.context().close();
  });

  it('moves between sections with the arrow keys', async () => {
    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin');
    const ente = admin.getByRole('tab', { name: 'Ente' });
    await ente.focus();
    await admin.keyboard.press('ArrowRight');
    await admin.getByRole('tab', { name: 'Sedi', selected: true }).waitFor();
    assert.equal(await admin.evaluate(() => document.activeElement?.id), 'tab-sites');
    await admin.keyboard.press('End');
    await admin.getByRole('tab', { name: 'Totem / Chioschi', selected: true }).waitFor();
    await admin.keyboard.press('ArrowLeft');
    await admin.getByRole('tab', { name: 'Operatori', selected: true }).waitFor();
    await admin.getByRole('tabpanel', { name: 'Operatori' }).waitFor();
    await waitForText(admin.locator('#operators-table tbody'), 'operatore');
    await admin.context().close();
  });

  it('fits a 390 px phone: tabs wrap and wide tables scroll inside their box', async () => {
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, 'admin', 'admin-demo-2026');
    for (const tab of ['Uffici', 'Operatori', 'Festività']) {
      await page.goto('/esempio/admin');
      await page.getByRole('tab', { name: tab }).click();
      await page.locator('.admin-panel table tbody tr').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${tab}: page is ${width}px wide on a 390px screen`);
      const lastTab = await page.getByRole('tab', { name: 'Totem / Chioschi' }).boundingBox();
      assert.ok(lastTab && lastTab.x + lastTab.width <= 390, `${tab}: the last tab is off screen`);
    }
    assertNoProblems(page);
    await page.context().close();
  });
});
