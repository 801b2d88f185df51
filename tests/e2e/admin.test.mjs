// Administration: the admin changes URP's Monday hours in "Orari" and the public page shows
// them; a server error is shown next to the field it names; operators are kept out; an
// operator is deactivated (never deleted); the "Pratiche" tab edits the escalation chain and
// the offices' canned answers from the keyboard.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, login, newPage, textOf, waitForText } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
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
    await admin.getByRole('navigation', { name: 'Viste della console' }).getByRole('link', { name: 'Amministrazione' }).click();
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

  it('an open public page catches up, from its last seq, on a change made while its connection was down', async () => {
    const citizen = await newPage(browser, srv.url);
    // The page's WebSocket goes through the test, which can cut it and hold what the page
    // sends on the next connection (its resubscription) until the change has been made.
    const conns = [];
    let heldArrived;
    const resubscribing = new Promise((resolve) => (heldArrived = resolve));
    await citizen.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      const server = ws.connectToServer();
      const conn = { ws, server, fromPage: [], fromServer: [], held: conns.length > 0 ? [] : null };
      conns.push(conn);
      ws.onMessage((m) => {
        conn.fromPage.push(JSON.parse(String(m)));
        if (conn.held) {
          conn.held.push(m);
          heldArrived();
        } else server.send(m);
      });
      server.onMessage((m) => {
        conn.fromServer.push(JSON.parse(String(m)));
        ws.send(m);
      });
    });
    await citizen.goto('/esempio/');
    const saturday = citizen.locator('#office-urp tbody tr[data-weekday="6"] td');
    await saturday.waitFor();
    assert.doesNotMatch(await textOf(saturday), /08:00–12:30/);
    await citizen.locator('body[data-live="subscribed"]').waitFor({ state: 'attached' });
    const topic = 'ente:esempio:directory';
    const first = conns[0].fromServer.find((m) => m.op === 'subscribed' && m.topic === topic);
    assert.equal(typeof first?.seq, 'number');

    // The connection drops; the page reconnects by itself and asks for what it missed.
    await conns[0].ws.close();
    await resubscribing;
    await citizen.locator('body[data-live="connecting"]').waitFor({ state: 'attached' });

    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin#schedule/urp');
    const end = admin.locator('#rules-table tbody tr[data-weekday="6"][data-channel=""] input[id$="-end"]');
    await end.waitFor();
    await end.fill('12:30');
    await admin.getByRole('button', { name: 'Salva orari' }).click();
    await waitForText(admin.locator('#schedule-form [role="status"]'), 'salvati');
    await admin.context().close();

    // The resubscription names the last seq seen, so the server replays the change it missed.
    const again = conns[1];
    assert.deepEqual(again.fromPage.find((m) => m.op === 'subscribe'), { op: 'subscribe', topic, since: first.seq });
    const held = again.held;
    again.held = null;
    for (const m of held) again.server.send(m);
    await citizen.locator('body[data-live="subscribed"]').waitFor({ state: 'attached' });
    await waitForText(saturday, '08:00–12:30', 10_000);
    await waitForText(citizen.locator('#live-region'), 'Orari aggiornati', 10_000);
    assertNoProblems(citizen);
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

  it('deactivates an operator from the list instead of deleting them (it used to say "metodo non ammesso")', async () => {
    const api = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const created = await api.ok('POST', '/api/v1/enti/esempio/operators', {
      username: 'giulia', display_name: 'Giulia Prova', role: 'operator', password: 'giulia-password-1',
    });
    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin#operators');
    const row = admin.locator(`#operators-table tbody tr[data-id="${created.id}"]`);
    await waitForText(row, 'Giulia Prova');
    assert.equal(await row.getByRole('button', { name: /Elimina/ }).count(), 0, 'no delete: operators are deactivated');
    await row.getByRole('button', { name: 'Disattiva Giulia Prova' }).click();
    await waitForText(row, 'Disattivare Giulia Prova?');
    await assertNoAxeViolations(admin, 'admin: confirm deactivation');
    await row.getByRole('button', { name: 'Sì, disattiva' }).click();
    await waitForText(admin.locator('#crud-operators [role="status"]'), 'Giulia Prova: disattivato');
    assert.equal(await admin.getByText(/metodo non ammesso/i).count(), 0);
    await waitForText(row.locator('td').nth(3), 'No');
    assert.equal(await row.getByRole('button', { name: /Disattiva/ }).count(), 0, 'already inactive');
    const after = await api.ok('GET', `/api/v1/enti/esempio/operators/${created.id}`);
    assert.equal(after.active, false);
    assert.equal(after.display_name, 'Giulia Prova', 'the name stays for the history');
    // Their own account cannot be deactivated: the server's refusal is shown.
    const self = (await api.ok('GET', '/api/v1/session')).operator;
    const me = admin.locator(`#operators-table tbody tr[data-id="${self.id}"]`);
    await me.getByRole('button', { name: /^Disattiva/ }).click();
    await me.getByRole('button', { name: 'Sì, disattiva' }).click();
    await waitForText(admin.locator('#crud-operators [role="alert"]'), 'amministratore');
    assertNoProblems(admin);
    await admin.context().close();
  });

  it('edits the escalation chain and the canned answers in "Pratiche", from the keyboard', async () => {
    const admin = await newPage(browser, srv.url);
    await login(admin, 'admin', 'admin-demo-2026');
    await admin.goto('/esempio/admin#cases');
    await admin.getByRole('tab', { name: 'Pratiche', selected: true }).waitFor();
    const levels = admin.locator('#chain-levels > li');
    await waitForText(levels.first(), 'Livello 1');
    assert.equal(await levels.count(), 3);
    assert.equal(await admin.getByLabel('Nome del livello').first().inputValue(), 'Help Point (URP)');
    const names = async () => admin.locator('#chain-levels input[id^="chain-name-"]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(await names(), ['Help Point (URP)', 'Responsabile di settore', 'Sindaco']);
    await assertNoAxeViolations(admin, 'admin: cases tab');

    // Add a level by keyboard: the focus goes to its name; choose its office; save.
    await admin.getByRole('button', { name: 'Aggiungi un livello' }).focus();
    await admin.keyboard.press('Enter');
    await admin.waitForFunction(() => document.activeElement?.id === 'chain-name-3');
    await admin.keyboard.type('Giunta');
    await admin.locator('#chain-office-3').selectOption({ label: 'Sindaco' });
    // Save without a name on a new level: the field says so.
    await admin.getByRole('button', { name: 'Aggiungi un livello' }).click();
    await admin.getByRole('button', { name: 'Salva la catena' }).click();
    await waitForText(admin.locator('#chain-name-4-error'), 'Campo obbligatorio');
    assert.equal(await admin.locator('#chain-name-4').getAttribute('aria-invalid'), 'true');
    await admin.getByRole('button', { name: 'Rimuovi Livello 5' }).click();
    await admin.locator('#chain-name-4').waitFor({ state: 'detached' });
    // Move "Sindaco" (level 3) above "Responsabile di settore" with the keyboard.
    await admin.locator('#chain-up-2').focus();
    await admin.keyboard.press('Enter');
    // A slow machine may render the move a moment after the key press: wait for it, then compare.
    await admin.waitForFunction(() => document.querySelector('#chain-name-1')?.value === 'Sindaco' && document.activeElement?.id === 'chain-up-1', undefined, { timeout: 5000 }).catch(() => {});
    assert.deepEqual(await names(), ['Help Point (URP)', 'Sindaco', 'Responsabile di settore', 'Giunta']);
    assert.equal(await admin.evaluate(() => document.activeElement?.id), 'chain-up-1', 'the focus follows the level');
    await admin.getByRole('button', { name: 'Salva la catena' }).click();
    await waitForText(admin.locator('#chain-section [role="status"]'), 'Catena di escalation salvata: 4 livelli.');
    const api = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const saved = await api.ok('GET', '/api/v1/enti/esempio/case-escalation');
    assert.deepEqual(saved.levels.map((l) => `${l.name}/${l.office.name}`),
      ['Help Point (URP)/URP - Ufficio Relazioni con il Pubblico', 'Sindaco/Sindaco', 'Responsabile di settore/Anagrafe e Stato civile', 'Giunta/Sindaco']);
    // Put the demo chain back.
    await admin.locator('#chain-down-1').click();
    await admin.getByRole('button', { name: 'Rimuovi Livello 4' }).click();
    await admin.getByRole('button', { name: 'Salva la catena' }).click();
    await waitForText(admin.locator('#chain-section [role="status"]'), 'salvata: 3 livelli');
    assert.deepEqual((await api.ok('GET', '/api/v1/enti/esempio/case-escalation')).levels.map((l) => l.name),
      ['Help Point (URP)', 'Responsabile di settore', 'Sindaco']);

    // Canned answers: choose the office, add, edit, delete (with a confirmation).
    await waitForText(admin.locator('#canned-pick-hint'), 'Scegli un ufficio');
    await admin.getByLabel('Ufficio', { exact: true }).selectOption({ label: 'URP - Ufficio Relazioni con il Pubblico' });
    await waitForText(admin.locator('#canned-table caption'), 'Risposte predefinite di URP');
    await admin.getByLabel(/^Titolo/).fill('Orari estivi');
    await admin.getByLabel(/^Testo/).fill('In agosto l’URP riceve dalle 8 alle 13.');
    await admin.getByRole('button', { name: 'Salva la risposta' }).click();
    await waitForText(admin.locator('#canned-section [role="status"]'), 'Risposta «Orari estivi» aggiunta.');
    const row = admin.locator('#canned-table tbody tr', { hasText: 'Orari estivi' });
    await waitForText(row, 'In agosto');
    // The same title again: the server's 409 is shown next to the title.
    await admin.getByLabel(/^Titolo/).fill('Orari estivi');
    await admin.getByLabel(/^Testo/).fill('doppione');
    await admin.getByRole('button', { name: 'Salva la risposta' }).click();
    await waitForText(admin.locator('#canned-answer-title-error'), 'esiste già');
    await row.getByRole('button', { name: 'Modifica Orari estivi' }).click();
    await admin.waitForFunction(() => document.activeElement?.id === 'canned-form-title');
    assert.equal(await admin.getByLabel(/^Testo/).inputValue(), 'In agosto l’URP riceve dalle 8 alle 13.');
    await admin.getByLabel(/^Testo/).fill('In agosto l’URP riceve dalle 8 alle 12.');
    await admin.getByRole('button', { name: 'Salva la risposta' }).click();
    await waitForText(admin.locator('#canned-section [role="status"]'), 'aggiornata');
    await waitForText(row, 'dalle 8 alle 12');
    await assertNoAxeViolations(admin, 'admin: canned answers');
    const listed = await api.ok('GET', '/api/v1/enti/esempio/offices/urp/canned-answers');
    assert.ok(listed.canned_answers.some((a) => a.title === 'Orari estivi' && a.body.endsWith('alle 12.')));
    await row.getByRole('button', { name: 'Elimina Orari estivi' }).click();
    await waitForText(row, 'Eliminare «Orari estivi»?');
    await row.getByRole('button', { name: 'Conferma' }).click();
    await waitForText(admin.locator('#canned-section [role="status"]'), 'eliminata');
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
    await admin.getByRole('tab', { name: 'Punto informazioni', selected: true }).waitFor();
    await admin.keyboard.press('ArrowLeft');
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
