// Cases in the browser: an operator logs a phone call in the console's "Pratiche" panel,
// transfers it to the 2nd level of the mayor's office with a note, the mayor's operator finds it
// in their list and replies, and the citizen sees the reply and who handles it on the tracking
// page — by the email's link (/{slug}/pratica/{code}#secret) and by typing code and secret.
// axe on the console and on the tracking page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, login, newPage, textOf, consoleView } from './helpers.mjs';
import { startServer } from './server.mjs';

describe('cases (pratiche)', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: '2026-11-25T14:30:00Z' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('phone call → transfer to level 2 / another office → reply → the citizen sees it', async () => {
    const op = await newPage(browser, srv.url);
    await login(op, 'operatore', 'operatore-demo-2026');
    await consoleView(op, 'cases');
    const panel = op.locator('#cases-panel');
    await panel.waitFor();
    const form = op.locator('#phone-call-form');
    await form.getByLabel('Chi chiama').fill('Elena Rosa');
    await form.getByLabel('Numero di telefono').fill('+39 333 4445556');
    await form.getByLabel('Argomento').fill('Buche in via Garibaldi');
    await form.getByLabel('Risposta data').fill('Segnaliamo all’ufficio competente.');
    await form.getByRole('button', { name: 'Registra' }).click();
    const created = await textOf(form.locator('[role="status"].alert-success'));
    const m = created.match(/Pratica (PR-[A-Z0-9]{4}-[A-Z0-9]{4}) registrata\. Codice segreto per il cittadino: (\S+)/);
    assert.ok(m, created);
    const [, code, secret] = m;
    await op.locator(`#cases-table tr[data-case="${code}"]`).waitFor();
    await assertNoAxeViolations(op, 'console with the cases panel');

    // The receiving office's operator has the console open: the case arrives live.
    const mayor = await newPage(browser, srv.url);
    await login(mayor, 'sindaco', 'sindaco-demo-2026');
    await consoleView(mayor, 'cases');
    await mayor.locator('#cases-panel[data-live="subscribed"]').waitFor();
    assert.equal(await mayor.locator(`#cases-table tr[data-case="${code}"]`).count(), 0);

    await op.getByRole('button', { name: `Apri ${code}` }).click();
    const detail = op.locator('#case-detail');
    await detail.waitFor();
    assert.equal(await textOf(detail.locator('#detail-state')), 'Nuova');
    await detail.getByLabel('Ufficio di destinazione').selectOption({ label: 'Sindaco' });
    await detail.locator('#cd-to-level').selectOption('2');
    await detail.getByLabel('Nota per chi riceve').fill('Serve una decisione del Sindaco');
    await detail.getByRole('button', { name: 'Trasferisci', exact: true }).click();
    await detail.locator('#detail-office').filter({ hasText: 'Sindaco' }).waitFor();
    assert.equal(await textOf(detail.locator('#detail-level')), '2');
    await detail.locator('#detail-timeline li[data-kind="transfer"]').waitFor();
    await assertNoAxeViolations(op, 'case detail');

    await mayor.locator(`#cases-table tr[data-case="${code}"]`).waitFor();
    await mayor.getByRole('button', { name: `Apri ${code}` }).click();
    const md = mayor.locator('#case-detail');
    await md.locator('#detail-timeline li[data-kind="transfer"]').filter({ hasText: 'Serve una decisione del Sindaco' }).waitFor();
    await md.locator('#cd-channel').selectOption('phone');
    await md.locator('#cd-reply').fill('La buca sarà chiusa entro venerdì.');
    await md.getByRole('button', { name: 'Invia risposta' }).click();
    await md.locator('#detail-timeline li[data-kind="reply_public"]').filter({ hasText: 'entro venerdì' }).waitFor();
    await md.locator('#cd-state').selectOption('in_progress');
    await md.getByRole('button', { name: 'Applica' }).click();
    await md.locator('#detail-state').filter({ hasText: 'In lavorazione' }).waitFor();

    // The citizen, from the email's link: the secret is read from the fragment and dropped.
    const citizen = await newPage(browser, srv.url);
    await citizen.goto(`/esempio/pratica/${code}#${encodeURIComponent(secret)}`);
    await citizen.locator('#case-view').waitFor();
    assert.equal(await textOf(citizen.locator('#case-code')), code);
    assert.equal(await textOf(citizen.locator('#case-state')), 'in lavorazione');
    assert.equal(await textOf(citizen.locator('#case-office')), 'Sindaco');
    await citizen.locator('#case-timeline li[data-kind="reply_public"]').filter({ hasText: 'La buca sarà chiusa entro venerdì.' }).waitFor();
    assert.equal(await citizen.locator('#case-timeline').filter({ hasText: 'Serve una decisione' }).count(), 0, 'internal note hidden');
    assert.equal(new URL(citizen.url()).hash, '', 'secret removed from the address bar');
    await assertNoAxeViolations(citizen, 'tracking page: a case');

    // Adding information goes to the office.
    await citizen.getByLabel('Il tuo messaggio').fill('La buca è davanti al civico 12.');
    await citizen.getByRole('button', { name: 'Invia', exact: true }).click();
    await citizen.locator('#case-timeline li[data-kind="citizen_info"]').filter({ hasText: 'civico 12' }).waitFor();

    // By typing code and secret; a wrong secret is refused.
    const typed = await newPage(browser, srv.url);
    await typed.goto('/esempio/pratica');
    await typed.getByLabel('Codice della pratica').fill(code.toLowerCase());
    await typed.getByLabel('Codice segreto').fill('sbagliato');
    await typed.getByRole('button', { name: 'Mostra la pratica' }).click();
    await typed.getByRole('alert').filter({ hasText: 'Pratica non trovata' }).waitFor();
    await assertNoAxeViolations(typed, 'tracking page: lookup with an error');
    await typed.getByLabel('Codice segreto').fill(secret);
    await typed.getByRole('button', { name: 'Mostra la pratica' }).click();
    assert.equal(await textOf(typed.locator('#case-office')), 'Sindaco');

    for (const p of [op, mayor, citizen, typed]) assertNoProblems(p);
  });

  it('escalation says where the case went, and says so when there is nowhere to go', async () => {
    // Regression: the chain starts at URP's Help Point, so a URP case "escalated" to URP itself
    // and the console said "Fatto." while nothing changed.
    const op = await newPage(browser, srv.url);
    await login(op, 'operatore', 'operatore-demo-2026');
    await consoleView(op, 'cases');
    await op.locator('#cases-panel').waitFor();
    const { csrf_token: csrf } = await (await op.request.get('/api/v1/session')).json();
    const made = await op.request.post('/api/v1/enti/esempio/cases', {
      headers: { 'x-csrf-token': csrf },
      data: { office: 'urp', subject: 'Reclamo mensa scolastica', channel: 'phone', citizen: { name: 'Rita Blu' } },
    });
    assert.equal(made.status(), 201, await made.text());
    const { case: c } = await made.json();
    await op.reload();
    await op.getByRole('button', { name: `Apri ${c.code}` }).click();
    const detail = op.locator('#case-detail');
    const escalate = async (reason) => {
      await detail.locator('#cd-reason').fill(reason);
      await detail.getByRole('button', { name: 'Inoltra', exact: true }).click();
    };
    await escalate('Il cittadino chiede il responsabile');
    const ok = detail.locator('[role="status"].alert-success');
    await ok.filter({ hasText: 'Pratica inoltrata al livello «Responsabile di settore»: ora la segue Anagrafe e Stato civile.' }).waitFor();
    await detail.locator('#detail-office').filter({ hasText: 'Anagrafe' }).waitFor();
    await detail.locator('#detail-timeline li[data-kind="escalation"]').filter({ hasText: 'Responsabile di settore' }).waitFor();
    await escalate('Serve il Sindaco');
    await ok.filter({ hasText: 'ora la segue Sindaco' }).waitFor();
    // At the top: a clear refusal, nothing changes.
    await escalate('Ancora');
    const refused = detail.locator('[role="alert"]');
    await refused.filter({ hasText: 'La pratica non è stata inoltrata: non c’è un livello superiore a cui inoltrarla dall’ufficio Sindaco. Nessuna modifica.' }).waitFor();
    assert.equal(await textOf(detail.locator('#detail-office')), 'Sindaco');
    assert.equal(await detail.locator('#detail-timeline li[data-kind="escalation"]').count(), 2);
    await assertNoAxeViolations(op, 'case detail after a refused escalation');
    assertNoProblems(op);
  });

  it('a callback falling due within the hour is a reminder in the console, said once', async () => {
    const op = await newPage(browser, srv.url);
    await login(op, 'operatore', 'operatore-demo-2026');
    await consoleView(op, 'cases');
    await op.locator('#cases-panel').waitFor();
    const { csrf_token: csrf } = await (await op.request.get('/api/v1/session')).json();
    const headers = { 'x-csrf-token': csrf };
    const made = await op.request.post('/api/v1/enti/esempio/cases', {
      headers,
      data: { office: 'urp', subject: 'Certificato storico', channel: 'phone', citizen: { name: 'Marco Neri', phone: '+39 333 7778889' } },
    });
    assert.equal(made.status(), 201, await made.text());
    const { case: c } = await made.json();
    // The server's clock reads 14:30Z: due at 15:00Z (16:00 in Rome) is within the hour.
    const cb = await op.request.post(`/api/v1/cases/${c.id}/callbacks`, { headers, data: { due_at: '2026-11-25T15:00:00Z', note: '' } });
    assert.equal(cb.status(), 201, await cb.text());
    await op.reload();
    const reminder = op.locator('#callback-reminder');
    await reminder.filter({ hasText: `Promemoria: richiamare per la pratica ${c.code} entro le 16:00.` }).waitFor();
    const row = op.locator('#open-callbacks li').filter({ hasText: c.code }).filter({ hasText: '16:00' });
    await row.filter({ hasText: 'entro un’ora' }).waitFor();
    await assertNoAxeViolations(op, 'console with a callback reminder');
    assertNoProblems(op);
  });
});
