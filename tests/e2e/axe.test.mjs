// Accessibility: axe (WCAG 2.0/2.1 A and AA) finds no violation on every page, including
// each tab of the administration and the pages' error states.
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, login, newPage, waitForText, consoleView } from './helpers.mjs';
import { startServer } from './server.mjs';

describe('axe accessibility checks', () => {
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

  it('home', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/');
    await page.getByRole('link', { name: /Comune di Esempio/ }).first().waitFor();
    await assertNoAxeViolations(page, 'home');
    assertNoProblems(page);
    await page.context().close();
  });

  it('offices (Italian and English)', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');
    await waitForText(page.locator('#office-urp .office-status'), 'Aperto');
    await assertNoAxeViolations(page, 'offices');
    await page.getByRole('button', { name: /^EN/ }).click();
    await waitForText(page.locator('#office-urp .office-status'), 'Open now');
    await assertNoAxeViolations(page, 'offices (en)');
    assertNoProblems(page);
    await page.context().close();
  });

  it('login, also showing an error', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/login');
    await page.locator('#username').waitFor();
    await assertNoAxeViolations(page, 'login');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.locator('#username-error').waitFor();
    await assertNoAxeViolations(page, 'login (empty fields)');
    await page.getByLabel('Nome utente').fill('operatore');
    await page.getByLabel('Password', { exact: true }).fill('sbagliata-123');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await waitForText(page.getByRole('alert'), 'non corretti');
    await assertNoAxeViolations(page, 'login (wrong password)');
    assertNoProblems(page);
    await page.context().close();
  });

  it('console', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    await consoleView(page, 'account');
    await waitForText(page.locator('#my-offices li'), 'Anagrafe');
    await assertNoAxeViolations(page, 'console (profile)');
    await consoleView(page, 'workspace');
    await page.locator('#waiting-room').waitFor();
    await assertNoAxeViolations(page, 'console');
    assertNoProblems(page);
    await page.context().close();
  });

  it('admin, every tab', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'admin', 'admin-demo-2026');
    await page.goto('/esempio/admin');
    await page.locator('#ente-form').waitFor();
    await assertNoAxeViolations(page, 'admin: Ente');

    const tabs = [
      ['Sedi', '#sites-table'],
      ['Uffici', '#offices-table'],
      ['Servizi', '#services-table'],
      ['Orari', '#schedule-office'],
      ['Festività', '#holidays-table'],
      ['Operatori', '#operators-table'],
    ];
    for (const [name, ready] of tabs) {
      await page.getByRole('tab', { name }).click();
      await page.locator(ready).waitFor();
      await assertNoAxeViolations(page, `admin: ${name}`);
    }

    // The schedule editor with an office loaded, and a form showing field errors.
    await page.getByRole('tab', { name: 'Orari' }).click();
    await page.getByLabel('Ufficio', { exact: true }).selectOption({ label: 'URP - Ufficio Relazioni con il Pubblico' });
    await page.locator('#rules-table').waitFor();
    await page.getByRole('button', { name: 'Aggiungi eccezione' }).click();
    await page.locator('#exceptions-0-date').waitFor();
    await assertNoAxeViolations(page, 'admin: Orari (URP)');
    await page.getByRole('tab', { name: 'Sedi' }).click();
    await page.locator('#sites-table').waitFor();
    await page.getByRole('button', { name: 'Aggiungi' }).click();
    await page.locator('#sites-name-error').waitFor();
    await assertNoAxeViolations(page, 'admin: Sedi (errors)');
    assertNoProblems(page);
    await page.context().close();
  });

  it('admin refused to an operator', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    await page.goto('/esempio/admin');
    await page.getByRole('heading', { level: 1, name: 'Accesso riservato agli amministratori' }).waitFor();
    await assertNoAxeViolations(page, 'admin (forbidden)');
    await page.context().close();
  });
});
