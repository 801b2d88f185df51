// The supervisors' live wall (issue 16) and the workspace's settings (issue 13) in Chromium
// against the real server: the wall updates live when a citizen knocks, raises its alert once a
// wait passes the office's target (the clock moved, never slept), at 1280 and 390 px axe clean
// with no overlapping text; a supervisor demoted while the wall is open loses it and its live
// updates; the settings view saves the cap, automatic assignment and target wait of an office
// and says what is wrong on the field; the statistics view at 390 px keeps every label above
// its value (issue 15). Screenshots with SPORTELLO_SHOTS=dir.
// Wednesday 2026-11-25 15:30 in Rome: URP chat is open; clock control.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import {
  assertNoAxeViolations,
  assertNoOverlap,
  assertNoProblems,
  consoleView,
  launchBrowser,
  login,
  newPage,
  waitForText,
} from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { knockFromPage } from './reception-pages.mjs';
import { startServer } from './server.mjs';

const NOW = '2026-11-25T14:30:00Z';
const SHOTS = process.env.SPORTELLO_SHOTS || '';

async function shot(page, name) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

describe('supervisors’ wall and settings', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: NOW, extraArgs: ['--clock-control', 'true'] });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  async function advance(seconds) {
    const r = await fetch(srv.url + '/api/v1/test/clock', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advance_seconds: seconds }),
    });
    assert.equal(r.status, 200, await r.text());
  }

  it('the wall updates live when a citizen knocks and alerts past the office’s target wait', async () => {
    const sup = await staffSession(srv.url, 'supervisore', 'supervisore-demo-2026');
    // Someone on duty at the URP, or the citizen's page has no door to knock on.
    const op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await op.setPresence('available');
    const urp = (await (await fetch(`${srv.url}/api/v1/enti/esempio/offices/urp/reception`)).json()).office.id;
    await sup.ok('PUT', '/api/v1/enti/esempio/offices/urp/contact-settings', { max_chats: null, auto_assign: null, target_wait_minutes: 1 });
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, 'supervisore', 'supervisore-demo-2026');
    await consoleView(page, 'supervision');
    const tile = page.locator(`#wall-offices li[data-office="${urp}"]`);
    const knocks = tile.locator('tr[data-channel="knocks"] td[data-count]');
    await waitForText(knocks.first(), '0');
    await waitForText(tile, 'obiettivo 1 min');
    await waitForText(page.locator('#wall-alerts'), 'Nessuna attesa oltre l’obiettivo.');

    // A citizen knocks from the public page: the wall shows it without a reload.
    const citizen = await knockFromPage(browser, srv.url, { name: 'Walter Parete', topic: 'Residenza', mode: 'chat' });
    await waitForText(knocks.first(), '1');
    await waitForText(tile.locator('.wall-total'), 'In attesa: 1');
    await assertNoAxeViolations(page, 'wall 1280');
    await assertNoOverlap(page, 'wall 1280');
    await shot(page, 'wall-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoAxeViolations(page, 'wall 390');
    await assertNoOverlap(page, 'wall 390');
    await shot(page, 'wall-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    // A minute and more later (the citizen's page still open) the wait is past the target.
    await advance(31);
    await advance(31);
    await page.getByRole('button', { name: 'Aggiorna' }).click();
    await waitForText(page.locator('#wall-alerts'), /Attese oltre l’obiettivo: .*URP/);
    await waitForText(tile.locator('.wall-alert'), 'Oltre l’obiettivo di attesa');
    assert.match((await tile.getAttribute('class')) ?? '', /wall-over/);
    await shot(page, 'wall-alert-1280');

    // The citizen leaves: the wall goes back to nobody, live.
    await citizen.getByRole('button', { name: 'Esci dalla coda' }).click();
    await citizen.getByRole('button', { name: 'Sì, esci dalla coda' }).click();
    await waitForText(knocks.first(), '0');
    await sup.ok('PUT', '/api/v1/enti/esempio/offices/urp/contact-settings', { max_chats: null, auto_assign: null, target_wait_minutes: null });
    assertNoProblems(page);
    await citizen.context().close();
    await page.context().close();
  });

  it('a supervisor demoted while the wall is open loses it and its live updates', async () => {
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const created = await admin.ok('POST', '/api/v1/enti/esempio/operators', {
      username: 'vera', display_name: 'Vera Capo', role: 'supervisor', password: 'vera-password-2026', office_ids: [],
    });
    const page = await newPage(browser, srv.url);
    await login(page, 'vera', 'vera-password-2026');
    await consoleView(page, 'supervision');
    await page.locator('#wall-offices').waitFor();
    // The wall follows the supervisors' topic; the demotion revokes it.
    await admin.ok('PATCH', `/api/v1/enti/esempio/operators/${created.id}`, { role: 'operator' });
    await waitForText(page.locator('#rights-notice'), /Non hai più accesso alla supervisione|riservate ai responsabili/);
    await page.locator('#wall').waitFor({ state: 'detached' });
    assert.equal(await page.locator('nav.ws-nav a[data-view="supervision"]').count(), 0);
    assert.equal(await page.locator('nav.ws-nav a[data-view="settings"]').count(), 0);
    await page.locator('#waiting-room').waitFor();
    // Its URL no longer opens the wall, even after a reload.
    await page.goto('/esempio/console#/supervisione');
    await page.reload();
    await page.locator('#waiting-room').waitFor();
    assert.equal(await page.locator('#wall').count(), 0);
    assertNoProblems(page);
    await page.context().close();

    // Deactivated while the wall is open: the session ends, back to the login page.
    const dora = await admin.ok('POST', '/api/v1/enti/esempio/operators', {
      username: 'dora', display_name: 'Dora Capo', role: 'supervisor', password: 'dora-password-2026', office_ids: [],
    });
    const p2 = await newPage(browser, srv.url);
    await login(p2, 'dora', 'dora-password-2026');
    await consoleView(p2, 'supervision');
    await p2.locator('#wall-offices').waitFor();
    await admin.ok('PATCH', `/api/v1/enti/esempio/operators/${dora.id}`, { active: false });
    await p2.waitForURL(/\/esempio\/login/);
    await p2.context().close();
  });

  it('settings: the cap, automatic assignment and target wait of an office, with the error on the field', async () => {
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, 'supervisore', 'supervisore-demo-2026');
    await consoleView(page, 'settings');
    const card = page.locator('#contact-settings [data-settings="urp"]');
    await card.getByLabel('Conversazioni al massimo per operatore').waitFor();
    // A supervisor does not change the ente's rules: said, and its fields are read only.
    const ente = page.locator('#contact-settings [data-settings="ente"]');
    await waitForText(ente, 'Le regole dell’ente le cambia un amministratore.');
    assert.equal(await ente.getByLabel('Conversazioni al massimo per operatore').isDisabled(), true);

    await card.getByLabel('Conversazioni al massimo per operatore').fill('0');
    await card.getByRole('button', { name: /^Salva/ }).click();
    await waitForText(card.locator('.invalid-feedback'), 'Scrivi un numero intero da 1 a 50, o lascia vuoto.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'set-urp-max_chats');
    await card.getByLabel('Conversazioni al massimo per operatore').fill('3');
    await card.getByLabel('Assegnazione automatica').selectOption('no');
    await card.getByLabel('Obiettivo di attesa (minuti)').fill('12');
    await card.getByRole('button', { name: /^Salva/ }).click();
    await waitForText(card.locator('.alert-success'), /Impostazioni di .*URP.* salvate\./);
    await waitForText(card.locator('[id$="-effective"]'), 'al massimo 3 conversazioni, assegnazione automatica No, obiettivo di attesa 12 minuti');
    const sup = await staffSession(srv.url, 'supervisore', 'supervisore-demo-2026');
    const saved = await sup.ok('GET', '/api/v1/enti/esempio/offices/urp/contact-settings');
    assert.deepEqual([saved.max_chats, saved.auto_assign, saved.target_wait_minutes], [3, false, 12]);
    await assertNoAxeViolations(page, 'settings 1280');
    await assertNoOverlap(page, 'settings 1280');
    await shot(page, 'settings-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoAxeViolations(page, 'settings 390');
    await assertNoOverlap(page, 'settings 390');
    await shot(page, 'settings-390');
    // The reload keeps the view and shows what is stored.
    await page.reload();
    await page.locator('#contact-settings [data-settings="urp"]').getByLabel('Obiettivo di attesa (minuti)').waitFor();
    assert.equal(await page.locator('#set-urp-target_wait_minutes').inputValue(), '12');
    await sup.ok('PUT', '/api/v1/enti/esempio/offices/urp/contact-settings', { max_chats: null, auto_assign: null, target_wait_minutes: null });
    assertNoProblems(page);
    await page.context().close();
  });

  it('the statistics view at 390 px: every label above its value', async () => {
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, 'supervisore', 'supervisore-demo-2026');
    await consoleView(page, 'stats');
    await page.locator('#qs-status').filter({ hasText: /\S/ }).waitFor();
    for (const id of ['qs-site', 'qs-from', 'qs-to']) {
      const [label, control] = await page.evaluate((i) => {
        // The label's text as drawn (its box may have padding below) against the control's box.
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(`label[for="${i}"]`));
        const t = range.getBoundingClientRect();
        const c = document.getElementById(i).getBoundingClientRect();
        return [{ top: t.top, bottom: t.bottom }, { top: c.top, bottom: c.bottom }];
      }, id);
      assert.ok(label.bottom <= control.top + 1, `${id}: label ${JSON.stringify(label)} over its value ${JSON.stringify(control)}`);
    }
    await assertNoAxeViolations(page, 'statistics 390');
    await assertNoOverlap(page, 'statistics 390');
    await shot(page, 'stats-390');
    assertNoProblems(page);
    await page.context().close();
  });
});
