// The operator workspace (issue 13) in Chromium against the real server: three chats and a
// video at once, switched with the keyboard only; the tab title's count; a knock alert that goes
// away when a colleague lets that citizen in; "Da richiamare" making the case and its callback;
// a supervisor giving a conversation to a colleague and taking one over; the workspace at 1280
// and 390 px with axe clean and no overlapping text; every view by its own URL, surviving a
// reload. Screenshots (SPORTELLO_SHOTS=dir) of the workspace with ten contacts.
// Wednesday 2026-11-25 15:30 in Rome: URP chat and video are open.
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
  textOf,
  waitForText,
} from './helpers.mjs';
import { knockViaApi, staffSession } from './reception-api.mjs';
import { openConsole } from './reception-pages.mjs';
import { startServer } from './server.mjs';

const NOW = '2026-11-25T14:30:00Z';
const SHOTS = process.env.SPORTELLO_SHOTS || '';

async function shot(page, name) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const selectedTab = (page) => page.locator('#my-contacts [role="tab"][aria-selected="true"]');

describe('operator workspace', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: NOW });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('three chats and a video at once, switched with the keyboard only; the title counts who waits', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const names = ['Anna Chat', 'Bruno Chat', 'Carla Chat', 'Dario Video'];
    for (const name of names) await knockViaApi(srv.url, 'urp', { name, topic: `Domanda di ${name}`, mode: name.endsWith('Video') ? 'video' : 'chat' });
    await op.locator('#queue-urp .visit-row').nth(3).waitFor();
    await op.waitForFunction(() => document.title.startsWith('(4) '));

    // Alt+Shift+A four times: the oldest waiting comes in each time.
    for (let i = 0; i < 4; i++) {
      // (While a door is being opened the button is busy: the key waits for it, like a person.)
      await op.locator('#queue-urp .btn-admit-next:enabled').waitFor();
      await op.keyboard.press('Alt+Shift+KeyA');
      await op.locator('#my-contacts [role="tab"]').nth(i).waitFor();
    }
    await op.locator('#queue-urp .visit-row').first().waitFor({ state: 'detached' });
    assert.equal(await op.locator('#my-contacts [role="tab"]').count(), 4);
    await op.waitForFunction(() => !document.title.startsWith('('));
    await waitForText(op.locator('#my-contacts [role="tab"]').nth(3), 'Video');

    // Alt+Shift+2: the second contact, its conversation on screen, said in the live region.
    await op.keyboard.press('Alt+Shift+Digit2');
    await waitForText(selectedTab(op), 'Bruno Chat');
    await waitForText(op.locator('#live-region'), 'Contatto 2 di 4: Bruno Chat');
    const panel = op.locator('.conv-panel:not([hidden]) .conversation');
    await waitForText(panel.locator('h3'), 'Bruno Chat');
    // Down twice: the video; up once: Carla.
    await op.keyboard.press('Alt+Shift+ArrowDown');
    await op.keyboard.press('Alt+Shift+ArrowDown');
    await waitForText(selectedTab(op), 'Dario Video');
    await op.locator('.conv-panel:not([hidden]) .btn-start-video').waitFor();
    await op.keyboard.press('Alt+Shift+ArrowUp');
    await waitForText(selectedTab(op), 'Carla Chat');
    // Write to Carla without the mouse, then go to the outcome with Alt+Shift+E and end.
    const carla = op.locator('.conv-panel:not([hidden]) .conversation');
    const input = carla.getByLabel(/Scrivi/).first();
    await input.focus();
    await op.keyboard.type('Buongiorno Carla');
    await op.keyboard.press('Enter');
    await carla.locator('.msg, li').filter({ hasText: 'Buongiorno Carla' }).first().waitFor();
    await op.keyboard.press('Alt+Shift+KeyE');
    const focused = await op.evaluate(() => document.activeElement?.id ?? '');
    assert.match(focused, /^conv-.+-outcome$/);
    await op.keyboard.press('Alt+Shift+KeyT');
    assert.match(await op.evaluate(() => document.activeElement?.id ?? ''), /^conv-.+-transfer$/);
    // The page lists the shortcuts.
    await op.locator('#shortcuts summary').click();
    await waitForText(op.locator('#shortcuts'), 'Alt+Maiusc+N');
    await shot(op, 'workspace-four-contacts-1280');
    assertNoProblems(op);
    // End them all (the next tests start from an empty line).
    const s = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    for (const v of (await s.visits('urp', 'admitted')).visits) await s.end(v.id);
    await op.context().close();
  });

  it('a knock alert goes away as soon as a colleague lets that citizen in', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const sup = await staffSession(srv.url, 'supervisore', 'supervisore-demo-2026');
    await sup.setPresence('available');
    const k = await knockViaApi(srv.url, 'urp', { name: 'Elena Bussa', topic: 'Carta d’identità' });
    await waitForText(op.locator('#knock-alert'), 'Elena Bussa');
    assert.equal(await op.locator('#knock-alert').getAttribute('data-visit'), k.visit.id);
    await sup.admit(k.visit.id);
    await op.locator('#knock-alert').waitFor({ state: 'detached' });
    await op.locator(`#queue-urp .visit-row[data-visit="${k.visit.id}"]`).waitFor({ state: 'detached' });
    await sup.end(k.visit.id);
    await sup.setPresence('away');
    assertNoProblems(op);
    await op.context().close();
  });

  it('"Da richiamare" makes the case and its callback; a case opens from an ended visit', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const k = await knockViaApi(srv.url, 'urp', { name: 'Franco Richiama', topic: 'Tassa rifiuti' });
    await op.locator(`#queue-urp .visit-row[data-visit="${k.visit.id}"]`).getByRole('button', { name: /^Apri la porta/ }).click();
    const conv = op.locator(`.conversation[data-visit="${k.visit.id}"]`);
    await conv.waitFor();
    await conv.getByLabel('Esito').selectOption('needs_callback');
    await conv.getByLabel('Numero da richiamare').fill('+39 333 7778889');
    await conv.getByLabel('Nota per chi richiama').fill('Verificare la rata di dicembre');
    await assertNoAxeViolations(op, 'workspace (da richiamare)');
    await conv.getByRole('button', { name: 'Termina' }).click();
    await waitForText(conv.locator('.callback-made'), /Richiamata creata: pratica PR-/);
    const code = (await textOf(conv.locator('.callback-made'))).match(/PR-[A-Z0-9]{4}-[A-Z0-9]{4}/)[0];
    const s = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const found = (await s.ok('GET', `/api/v1/enti/esempio/cases?citizen=${encodeURIComponent('+39 333 7778889')}`)).cases;
    assert.equal(found.length, 1);
    assert.equal(found[0].code, code);
    const detail = await s.ok('GET', `/api/v1/cases/${found[0].id}`);
    assert.equal(detail.callbacks.length, 1);
    assert.equal(detail.callbacks[0].note, 'Verificare la rata di dicembre');
    // The link opens the case in the cases view.
    await conv.locator('.callback-made a').click();
    await op.locator('nav.ws-nav a[data-view="cases"][aria-current="page"]').waitFor();
    await waitForText(op.locator('#case-detail'), code);

    // An ended visit: "Apri una pratica da questa visita".
    await consoleView(op, 'workspace');
    const k2 = await knockViaApi(srv.url, 'urp', { name: 'Gina Pratica', topic: 'Passo carrabile' });
    await op.locator(`#queue-urp .visit-row[data-visit="${k2.visit.id}"]`).getByRole('button', { name: /^Apri la porta/ }).click();
    const conv2 = op.locator(`.conversation[data-visit="${k2.visit.id}"]`);
    await conv2.waitFor();
    await conv2.getByRole('button', { name: 'Termina' }).click();
    await conv2.getByRole('button', { name: 'Apri una pratica da questa visita' }).click();
    await waitForText(conv2.locator('.alert-success'), /Pratica PR-[A-Z0-9]{4}-[A-Z0-9]{4} aperta/);
    assertNoProblems(op);
    await op.context().close();
  });

  it('the citizen pane: internal notes only staff see, the contact\'s own case, canned answers in the chat', async () => {
    const s0 = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await s0.ok('POST', '/api/v1/enti/esempio/offices/urp/canned-answers', { title: 'Saluto', body: 'Buongiorno, sono qui per aiutarla.' });
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const k = await knockViaApi(srv.url, 'urp', { name: 'Lia Contesto', topic: 'Cambio di residenza' });
    await op.locator(`#queue-urp .visit-row[data-visit="${k.visit.id}"]`).getByRole('button', { name: /^Apri la porta/ }).click();
    const card = op.locator(`.citizen-card[data-visit="${k.visit.id}"]`);
    await card.waitFor();
    await waitForText(card, 'Nessuna nota.');
    await waitForText(card, 'Nessuna pratica aperta da questo contatto.');
    // Empty: said on the field, nothing saved.
    await card.getByRole('button', { name: 'Aggiungi la nota' }).click();
    await waitForText(card.locator('[role="alert"]'), 'Scrivi la nota prima di salvarla.');
    await card.getByLabel('Nuova nota interna').fill('Ha già il modulo compilato, manca la firma');
    await card.getByRole('button', { name: 'Aggiungi la nota' }).click();
    await waitForText(card.locator('#context-notes'), 'Ha già il modulo compilato, manca la firma');
    await waitForText(op.locator('#live-region'), 'Nota salvata.');
    // The citizen's token does not open them.
    const asCitizen = await fetch(`${srv.url}/api/v1/visits/${k.visit.id}/notes`, { headers: { 'X-Visit-Token': k.token } });
    assert.equal(asCitizen.status, 403);
    // Canned answers go into the conversation's message box.
    const conv = op.locator(`.conversation[data-visit="${k.visit.id}"]`);
    const picker = conv.getByLabel('Risposte pronte');
    await picker.focus(); // the list is read again on focus
    await picker.selectOption({ label: 'Saluto' });
    await conv.locator('.canned-picker button').click();
    assert.match(await conv.getByLabel(/Scrivi/).first().inputValue(), /Buongiorno, sono qui per aiutarla\./);
    await op.setViewportSize({ width: 1280, height: 900 });
    await assertNoAxeViolations(op, 'workspace with notes');
    await assertNoOverlap(op, 'workspace with notes 1280');
    await shot(op, 'workspace-notes-1280');
    await op.setViewportSize({ width: 390, height: 844 });
    await assertNoOverlap(op, 'workspace with notes 390');
    await shot(op, 'workspace-notes-390');
    await op.setViewportSize({ width: 1280, height: 900 });
    // Ended, "Apri una pratica": the case is the contact's own, and it carries the note.
    await conv.getByRole('button', { name: 'Termina' }).click();
    await conv.getByRole('button', { name: 'Apri una pratica da questa visita' }).click();
    await waitForText(conv.locator('.alert-success'), /Pratica PR-[A-Z0-9]{4}-[A-Z0-9]{4} aperta/);
    const opened = (await textOf(conv.locator('.alert-success'))).match(/PR-[A-Z0-9]{4}-[A-Z0-9]{4}/)[0];
    // The citizen pane lists it as this contact's case.
    await card.locator(`#context-own-cases li[data-case="${opened}"]`).waitFor();
    const s = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const own = (await s.ok('GET', `/api/v1/enti/esempio/cases?visit=${k.visit.id}`)).cases;
    assert.equal(own.length, 1);
    const detail = await s.ok('GET', `/api/v1/cases/${own[0].id}`);
    assert.ok(detail.timeline.some((e) => e.kind === 'note_internal' && e.body === 'Ha già il modulo compilato, manca la firma'), JSON.stringify(detail.timeline));
    assertNoProblems(op);
    await op.context().close();
  });

  it('a supervisor sees who serves whom, gives a conversation to a colleague and takes one over', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const s = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const k = await knockViaApi(srv.url, 'urp', { name: 'Ivo Passaggio', topic: 'ISEE' });
    await s.admit(k.visit.id);
    await op.locator(`#my-contacts [role="tab"][data-visit="${k.visit.id}"]`).waitFor();

    const sup = await newPage(browser, srv.url);
    await login(sup, 'supervisore', 'supervisore-demo-2026');
    await consoleView(sup, 'supervision');
    const row = sup.locator(`#supervision-list .sup-visit[data-visit="${k.visit.id}"]`);
    await row.waitFor();
    await assertNoAxeViolations(sup, 'supervision');
    await row.getByRole('button', { name: /^Prendo io/ }).click();
    await waitForText(sup.locator('#live-region'), 'affidata a Marco Bianchi');
    const v = await s.ok('GET', `/api/v1/visits/${k.visit.id}`);
    assert.equal(v.operator.display_name, 'Marco Bianchi');
    // The supervisor's own workspace has it now.
    await consoleView(sup, 'workspace');
    await sup.locator(`#my-contacts [role="tab"][data-visit="${k.visit.id}"]`).waitFor();
    // And gives it back to Giulia Rossi from the supervision view.
    await consoleView(sup, 'supervision');
    const back = sup.locator(`#supervision-list .sup-visit[data-visit="${k.visit.id}"]`);
    await back.getByLabel(/^Affida a/).selectOption({ label: 'Giulia Rossi' });
    await back.getByRole('button', { name: 'Affida', exact: true }).click();
    // The list reloads: the conversation is under Giulia Rossi's name now.
    await sup.locator(`#supervision-list li[data-operator="${s.operator.id}"] .sup-visit[data-visit="${k.visit.id}"]`).waitFor()
      .catch(async (e) => { throw new Error(`${e.message}\n${await sup.locator('#supervision').innerText()}`); });
    assert.equal((await s.ok('GET', `/api/v1/visits/${k.visit.id}`)).operator.display_name, 'Giulia Rossi');
    await s.end(k.visit.id);
    assertNoProblems(sup);
    await sup.context().close();
    await op.context().close();
  });

  it('ten contacts at 1280 and 390 px: axe clean, no overlapping text', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const s = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const ids = [];
    for (let i = 0; i < 10; i++) {
      const k = await knockViaApi(srv.url, 'urp', { name: `Persona ${i + 1} Cognomelungo`, topic: `Richiesta numero ${i + 1} sul certificato di residenza storico` });
      ids.push(k.visit.id);
    }
    for (const id of ids.slice(0, 6)) await s.admit(id);
    await op.locator('#my-contacts [role="tab"]').nth(5).waitFor();
    await op.locator('#queue-urp .visit-row').nth(3).waitFor();
    await op.setViewportSize({ width: 1280, height: 900 });
    await assertNoAxeViolations(op, 'workspace 1280');
    await assertNoOverlap(op, 'workspace 1280');
    await shot(op, 'workspace-ten-1280');
    await op.setViewportSize({ width: 390, height: 844 });
    await assertNoAxeViolations(op, 'workspace 390');
    await assertNoOverlap(op, 'workspace 390');
    await shot(op, 'workspace-ten-390');
    // At 390 px the panes stack: the line first, then the conversation, then the citizen.
    const tops = await op.evaluate(() => ['.ws-line', '.ws-current', '.ws-context'].map((s) => document.querySelector(s).getBoundingClientRect().top));
    assert.ok(tops[0] < tops[1] && tops[1] < tops[2], JSON.stringify(tops));
    for (const id of ids.slice(0, 6)) await s.end(id);
    for (const id of ids.slice(6)) await s.admit(id).then(() => s.end(id));
    assertNoProblems(op);
    await op.context().close();
  });

  it('every view has its own URL and survives a reload', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'supervisore', 'supervisore-demo-2026');
    const views = {
      agenda: '#agenda-panel',
      cases: '#cases-panel',
      counter: '#counter-panel',
      stats: '#queue-stats',
      supervision: '#wall-offices',
      settings: '#contact-settings',
      account: '#my-offices',
      workspace: '#waiting-room',
    };
    for (const [view, sel] of Object.entries(views)) {
      await consoleView(page, view);
      await page.locator(sel).waitFor();
      const url = page.url();
      await page.reload();
      await page.locator(`nav.ws-nav a[data-view="${view}"][aria-current="page"]`).waitFor();
      await page.locator(sel).waitFor();
      assert.equal(page.url(), url);
      await page.goto(url.replace(/#.*$/, '') + '#/');
      await page.goto(url);
      await page.locator(sel).waitFor();
    }
    await assertNoAxeViolations(page, 'console views');
    // An operator has no supervision view: its URL shows the workspace.
    const op = await newPage(browser, srv.url);
    await login(op, 'operatore', 'operatore-demo-2026');
    assert.equal(await op.locator('nav.ws-nav a[data-view="supervision"]').count(), 0);
    assert.equal(await op.locator('nav.ws-nav a[data-view="settings"]').count(), 0);
    await op.goto('/esempio/console#/supervisione');
    await op.locator('#waiting-room').waitFor();
    await op.goto('/esempio/console#/impostazioni');
    await op.locator('#waiting-room').waitFor();
    assert.equal(await op.locator('#contact-settings').count(), 0);
    assertNoProblems(page);
    await page.context().close();
    await op.context().close();
  });
});
