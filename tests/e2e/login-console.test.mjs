// Operator sign-in: a wrong password is refused with an error tied to the fields; the right
// one opens the console with the operator's name, role and offices; sign-out goes back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoProblems, launchBrowser, login, newPage, textOf, waitForText, consoleView } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

describe('login and console', () => {
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

  it('refuses a wrong password, then signs in, shows the console and signs out', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/console');
    // Not signed in: the console sends us to the login page.
    await page.waitForURL('**/esempio/login');
    await page.getByRole('heading', { level: 1, name: 'Accesso operatori' }).waitFor();

    await page.getByLabel('Nome utente').fill('operatore');
    await page.getByLabel('Password', { exact: true }).fill('sbagliata-123');
    await page.getByRole('button', { name: 'Accedi' }).click();
    const alert = page.getByRole('alert');
    await waitForText(alert, 'Nome utente o password non corretti');
    const pw = page.getByLabel('Password', { exact: true });
    assert.equal(await pw.getAttribute('aria-invalid'), 'true');
    assert.match((await pw.getAttribute('aria-describedby')) ?? '', /login-error/);

    await pw.fill('operatore-demo-2026');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL('**/esempio/console');

    const session = await (await page.request.get('/api/v1/session')).json();
    assert.equal(session.operator.username, 'operatore');
    await waitForText(page.locator('#operator-name'), session.operator.display_name);
    assert.equal(await textOf(page.locator('#operator-role')), 'Operatore');

    // Their offices, with open/closed status at Monday 10:00 (the console's profile view).
    await consoleView(page, 'account');
    const offices = page.locator('#my-offices');
    await waitForText(offices.locator('li'), 'URP - Ufficio Relazioni con il Pubblico');
    await waitForText(offices.locator('li'), 'Anagrafe');
    await waitForText(offices.locator('li[data-office="urp"] .office-status'), 'Aperto ora');
    assert.equal(await offices.locator('li[data-office="sindaco"]').count(), 0);

    // The waiting room is there, empty; no admin link for an operator.
    await consoleView(page, 'workspace');
    await waitForText(page.locator('#waiting-room'), 'Nessun cittadino in attesa');
    assert.equal(await page.getByRole('link', { name: 'Amministrazione' }).count(), 0);

    // Presence is saved on the server and announced.
    await page.getByLabel('Il tuo stato').selectOption('busy');
    await waitForText(page.locator('#live-region'), 'Stato aggiornato: Occupato');
    const after1 = await (await page.request.get('/api/v1/session')).json();
    assert.equal(after1.operator.presence, 'busy');

    // Already signed in: the login page goes straight to the console.
    await page.goto('/esempio/login');
    await page.waitForURL('**/esempio/console');
    await page.locator('#operator-name').waitFor();

    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL('**/esempio/login');
    assert.equal((await page.request.get('/api/v1/session')).status(), 401);
    assertNoProblems(page);
    await page.context().close();
  });

  it('an open console whose operator is deactivated stops at once and goes back to sign-in', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    // The console follows its offices live: wait until every subscription is confirmed.
    await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const list = await admin.ok('GET', '/api/v1/enti/esempio/operators');
    const id = list.operators.find((o) => o.username === 'operatore').id;
    await admin.ok('PATCH', `/api/v1/enti/esempio/operators/${id}`, { active: false });
    try {
      // No reload by hand: the server revokes the live subscriptions and the page follows.
      await page.waitForURL('**/esempio/login');
      await page.getByRole('heading', { level: 1, name: 'Accesso operatori' }).waitFor();
    } finally {
      await admin.ok('PATCH', `/api/v1/enti/esempio/operators/${id}`, { active: true });
    }
    assertNoProblems(page);
    await page.context().close();
  });

  it('checks the change-password form before sending it', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/login');
    await page.getByLabel('Nome utente').fill('operatore');
    await page.getByLabel('Password', { exact: true }).fill('operatore-demo-2026');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL('**/esempio/console');
    await consoleView(page, 'account');
    await page.getByLabel(/^Password attuale/).fill('operatore-demo-2026');
    await page.getByLabel(/^Nuova password/).fill('corta');
    await page.getByLabel(/^Conferma la nuova password/).fill('diversa');
    await page.getByRole('button', { name: 'Cambia password' }).click();
    await waitForText(page.locator('#new_password-error'), 'almeno 10 caratteri');
    await waitForText(page.locator('#confirm_password-error'), 'non coincidono');
    assert.equal(await page.getByLabel(/^Nuova password/).getAttribute('aria-invalid'), 'true');

    // A wrong current password is refused by the server and shown with its field.
    await page.getByLabel(/^Password attuale/).fill('non-e-questa-123');
    await page.getByLabel(/^Nuova password/).fill('nuova-password-2026');
    await page.getByLabel(/^Conferma la nuova password/).fill('nuova-password-2026');
    await page.getByRole('button', { name: 'Cambia password' }).click();
    await page.locator('#current_password[aria-invalid="true"]').waitFor();
    await page.locator('#current_password-error').waitFor();
    await page.context().close();
  });
});
