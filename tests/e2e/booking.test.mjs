// The citizen books an appointment through the five steps of /esempio/prenota (office → date
// and time → reason and details → applicant → summary with "Modifica" → confirmation), checks
// the .ics and the confirmation email (SMTP sink), then moves and cancels it from the manage page; axe on each
// step. The console's agenda shows the booking to the operator, who checks the citizen in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, login, newPage, textOf, waitForText, consoleView } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';
import { startSmtpSink } from '../integration/smtp-sink.mjs';

describe('booking an appointment', () => {
  let srv;
  let sink;
  let browser;

  before(async () => {
    sink = await startSmtpSink();
    srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--smtp-url', sink.url] });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    await sink?.stop();
  });

  it('five steps, the .ics, the email; cancel from the link; the agenda and check-in', async () => {
    const page = await newPage(browser, srv.url);
    // From the office's card on the public page.
    await page.goto('/esempio/');
    await page.getByRole('link', { name: 'Prenota un appuntamento con Anagrafe e Stato civile' }).click();
    await page.waitForURL('**/esempio/prenota?office=anagrafe');
    // Step 1: the office is pre-filled from the link.
    await page.getByRole('heading', { name: 'Luogo e ufficio' }).waitFor();
    assert.equal(await page.getByLabel(/Anagrafe e Stato civile/).isChecked(), true);
    assert.equal(await page.locator('[aria-current="step"]').count(), 1);
    await assertNoAxeViolations(page, 'booking step 1');
    await page.getByRole('button', { name: 'Avanti' }).click();

    // Step 2: November (the server's month), then December; a day, a time.
    await page.getByRole('heading', { name: 'Data e orario' }).waitFor();
    await page.locator('#cal-month').filter({ hasText: /novembre 2026/i }).waitFor();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByText('Scegli un orario.').waitFor();
    await page.getByRole('button', { name: 'Mese successivo' }).click();
    await page.locator('#cal-month').filter({ hasText: /dicembre 2026/i }).waitFor();
    assert.equal(await page.locator('button[data-date="2026-12-08"]').isDisabled(), true, 'Immacolata');
    await page.locator('button[data-date="2026-12-02"]').click();
    await page.locator('label[for="slot-2026-12-02-0910"]').click();
    assert.equal(await page.locator('#slot-2026-12-02-0910').isChecked(), true);
    await assertNoAxeViolations(page, 'booking step 2');
    await page.getByRole('button', { name: 'Avanti' }).click();

    // Step 3: the reason (the office's service) and details.
    await page.getByRole('heading', { name: 'Motivo e dettagli' }).waitFor();
    await page.getByText('Documenti da portare').waitFor();
    await page.getByLabel('Dettagli (facoltativo)').fill('Rinnovo carta d’identità');
    await assertNoAxeViolations(page, 'booking step 3');
    await page.getByRole('button', { name: 'Avanti' }).click();

    // Step 4: the applicant; empty fields are refused with messages tied to them.
    await page.getByRole('heading', { name: 'Richiedente' }).waitFor();
    await page.getByRole('button', { name: 'Avanti' }).click();
    assert.equal(await page.locator('#who-email').getAttribute('aria-invalid'), 'true');
    await page.locator('#who-first_name').fill('Lucia');
    await page.locator('#who-last_name').fill('Bianchi');
    await page.locator('#who-email').fill('lucia.bianchi@example.org');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.locator('#privacy_accepted-error').filter({ hasText: 'Per prenotare è necessario accettare l’informativa.' }).waitFor();
    await page.locator('label[for="who-privacy"]').click();
    await assertNoAxeViolations(page, 'booking step 4');
    await page.getByRole('button', { name: 'Avanti' }).click();

    // Step 5: the summary; "Modifica" goes back to a section and returns to the summary.
    await page.getByRole('heading', { name: 'Riepilogo' }).waitFor();
    await page.getByText('Lucia Bianchi').waitFor();
    await page.getByRole('button', { name: 'Modifica: Richiedente' }).click();
    await page.locator('#who-phone').fill('+39 333 0000000');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Riepilogo' }).waitFor();
    await page.getByText('+39 333 0000000').waitFor();
    assert.match(await textOf(page.locator('.booking-summary-card').nth(1)), /mercoledì 2 dicembre 2026 alle 09:10/);
    await assertNoAxeViolations(page, 'booking step 5');
    await page.getByRole('button', { name: 'Conferma la prenotazione' }).click();

    // Confirmation: code, .ics, email.
    await page.getByRole('heading', { name: 'Prenotazione confermata' }).waitFor();
    const code = await textOf(page.getByTestId('booking-code'));
    assert.match(code, /^[A-Z2-9]{8}$/);
    await page.getByText('Ti abbiamo inviato una email di conferma a lucia.bianchi@example.org.').waitFor();
    await assertNoAxeViolations(page, 'booking confirmation');
    const icsHref = await page.getByRole('link', { name: 'Aggiungi al calendario (.ics)' }).getAttribute('href');
    const ics = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { type: r.headers.get('content-type'), text: await r.text() };
    }, icsHref);
    assert.match(ics.type, /^text\/calendar/);
    assert.match(ics.text, /\r\nDTSTART:20261202T081000Z\r\n/);
    assert.match(ics.text, /\r\nDTEND:20261202T083000Z\r\n/);
    const mail = await sink.waitFor((m) => m.to.includes('lucia.bianchi@example.org'), 15_000);
    assert.ok(mail.text.includes(code), 'the email carries the code');
    const att = mail.attachments.find((a) => a.filename.endsWith('.ics'));
    assert.match(att.content, /DTSTART:20261202T081000Z/);

    // The operator sees it in the console's agenda for that day and checks the citizen in.
    const staff = await newPage(browser, srv.url);
    await login(staff, 'operatore', 'operatore-demo-2026');
    await consoleView(staff, 'agenda');
    await staff.locator('#agenda-office').selectOption({ label: 'Anagrafe e Stato civile' });
    await staff.locator('#agenda-date').fill('2026-12-02');
    const row = staff.locator(`#agenda-table tr[data-code="${code}"]`);
    await row.locator('th[scope="row"]').filter({ hasText: 'Lucia Bianchi' }).waitFor();
    await row.getByRole('button', { name: /^Arrivato/ }).click();
    await row.locator('td').filter({ hasText: 'Arrivato in ufficio' }).waitFor();
    await row.locator('td').filter({ hasText: /Numero A\d{3}/ }).waitFor();
    // A booking made meanwhile appears live (booking.updated on ente:esempio:staff).
    const other = await staff.evaluate(async () => {
      const offices = await (await fetch('/api/v1/enti/esempio/booking/offices')).json();
      const service = offices.offices.find((o) => o.slug === 'anagrafe').plans[0].service.id;
      const r = await fetch('/api/v1/enti/esempio/bookings', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ office: 'anagrafe', service, date: '2026-12-02', start: '09:30', first_name: 'Paolo', last_name: 'Verdi', email: 'paolo@example.org', privacy_accepted: true }),
      });
      return (await r.json()).booking.code;
    });
    await staff.locator(`#agenda-table tr[data-code="${other}"] th`).filter({ hasText: 'Paolo Verdi' }).waitFor({ timeout: 5000 });
    await assertNoAxeViolations(staff, 'console agenda');
    assertNoProblems(staff);
    await staff.context().close();

    // A second booking, cancelled from the manage page.
    await page.goto('/esempio/prenota?office=anagrafe');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('button', { name: 'Mese successivo' }).click();
    await page.locator('button[data-date="2026-12-03"]').click();
    await page.locator('label[for="slot-2026-12-03-1030"]').click();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.locator('#who-first_name').fill('Lucia');
    await page.locator('#who-last_name').fill('Bianchi');
    await page.locator('#who-email').fill('lucia.bianchi@example.org');
    await page.locator('label[for="who-privacy"]').click();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('button', { name: 'Conferma la prenotazione' }).click();
    await page.getByRole('link', { name: /Gestisci la prenotazione/ }).click();
    await page.getByRole('heading', { name: 'La tua prenotazione' }).waitFor();
    assert.equal(await textOf(page.getByTestId('booking-state')), 'Confermata');
    await assertNoAxeViolations(page, 'manage page');
    // Move it to another free time, then cancel it.
    await page.getByRole('button', { name: 'Sposta ad altro giorno o orario' }).click();
    await page.locator('#cal-month').filter({ hasText: /dicembre 2026/i }).waitFor();
    await page.locator('button[data-date="2026-12-04"]').click();
    await page.locator('label[for="slot-2026-12-04-0930"]').click();
    await assertNoAxeViolations(page, 'manage page, moving');
    await page.getByRole('button', { name: 'Conferma il nuovo orario' }).click();
    await page.locator('.alert-success').filter({ hasText: 'Appuntamento spostato a venerdì 4 dicembre 2026 alle 09:30.' }).waitFor();
    assert.equal(await textOf(page.getByTestId('booking-when')), 'venerdì 4 dicembre 2026 alle 09:30');
    await page.getByRole('button', { name: 'Annulla la prenotazione' }).click();
    await page.getByRole('button', { name: 'Sì, annulla' }).click();
    await page.locator('.alert-success').filter({ hasText: 'La prenotazione è stata annullata.' }).waitFor();
    assert.equal(await textOf(page.getByTestId('booking-state')), 'Annullata');
    await assertNoAxeViolations(page, 'manage page, cancelled');
    assertNoProblems(page);
    await page.context().close();
  });

  it('the admin edits a plan: the mayor closes a Thursday, and the month view follows', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'admin', 'admin-demo-2026');
    await page.goto('/esempio/admin#booking');
    await page.getByRole('tab', { name: 'Prenotazioni', selected: true }).waitFor();
    await page.locator('#plan-office').selectOption({ label: 'Sindaco' });
    await page.locator('#plan-periods [data-row="1"]').waitFor();
    assert.equal(await page.locator('#plan-periods [data-row]').count(), 2, 'Tuesday and Thursday');
    assert.equal(await page.locator('#plan-periods-0-start').inputValue(), '11:00');
    await page.locator('#plan-exceptions').getByRole('button', { name: /Aggiungi/ }).click();
    await page.locator('#exc-0-date').fill('2026-12-03');
    await page.locator('#exc-0-note').fill('Consiglio comunale');
    await assertNoAxeViolations(page, 'admin: appointment plans');
    await page.getByRole('button', { name: 'Salva il calendario' }).click();
    await page.getByText('Calendario salvato.').first().waitFor();
    const r = await page.evaluate(async () => (await fetch('/api/v1/enti/esempio/offices/sindaco/availability?month=2026-12')).json());
    assert.equal(r.days.find((d) => d.date === '2026-12-03').slots, 0);
    assert.ok(r.days.find((d) => d.date === '2026-12-01').slots > 0);
    assertNoProblems(page);
    await page.context().close();
  });

  it('in English: the steps and the calendar speak English', async () => {
    const page = await newPage(browser, srv.url, { locale: 'en-GB' });
    await page.goto('/esempio/prenota?lang=en&office=sindaco');
    await page.getByRole('heading', { name: 'Book an appointment', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Place and office' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Date and time' }).waitFor();
    await page.locator('#cal-month').filter({ hasText: /November 2026/i }).waitFor();
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator('button[data-date="2026-12-01"]').click();
    await page.getByRole('group', { name: /Free times on Tuesday,? 1 December 2026/ }).waitFor();
    await assertNoAxeViolations(page, 'booking in English');
    assertNoProblems(page);
    await page.context().close();
  });

  it('a video appointment: assigned from the agenda, joined from the manage page, admitted by that operator in the console', async () => {
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    // The URP with no notice, so that a slot 10 minutes from now can be booked.
    const periods = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '13:00' }));
    await admin.ok('PUT', '/api/v1/enti/esempio/booking/plans', { office: 'urp', service: 'J', slot_minutes: 20, capacity: 1, min_notice_minutes: 0, video: true, periods });
    const r = await fetch(`${srv.url}/api/v1/enti/esempio/bookings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ office: 'urp', service: 'J', date: '2026-11-25', start: '10:40', mode: 'video', first_name: 'Anna', last_name: 'Neri', email: 'anna.neri@example.org', privacy_accepted: true }),
    });
    assert.equal(r.status, 201);
    const { booking, secret } = await r.json();
    // Fake camera and microphone: the operator's console starts the call of a video visit.
    const media = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    try {
      // The operator takes the appointment from the console's agenda.
      const staff = await newPage(media, srv.url);
      await login(staff, 'operatore', 'operatore-demo-2026');
      await staff.getByLabel('Il tuo stato').selectOption('available');
      await staff.waitForFunction(() => document.body.dataset.live === 'subscribed');
      await consoleView(staff, 'agenda');
      await staff.locator('#agenda-office').selectOption({ label: 'URP - Ufficio Relazioni con il Pubblico' });
      await staff.locator('#agenda-date').fill('2026-11-25');
      const row = staff.locator(`#agenda-table tr[data-code="${booking.code}"]`);
      await row.getByRole('button', { name: /^Assegna a me/ }).click();
      await waitForText(row.locator('[data-testid="agenda-operator"]'), 'Riceve: Giulia Rossi');

      // The citizen sees who will receive them and joins on the booking page itself.
      const page = await newPage(media, srv.url);
      await page.goto(`/esempio/prenotazione/${booking.code}#${secret}`);
      await waitForText(page.locator('[data-testid="booking-operator"]'), 'Giulia Rossi');
      const join = page.getByRole('button', { name: 'Entra nella videochiamata' });
      await join.waitFor();
      await assertNoAxeViolations(page, 'manage page, video');
      await join.click();
      await page.locator('#visit-stage-title').filter({ hasText: 'Sala d’attesa' }).waitFor();
      await waitForText(page.locator('#queue-position'), 'Sei il primo in attesa');
      await assertNoAxeViolations(page, 'manage page, waiting room');
      // A reload returns to the same visit (sessionStorage).
      await page.reload();
      await page.locator('#visit-stage-title').filter({ hasText: 'Sala d’attesa' }).waitFor();

      // The console flags it as an appointment for Giulia Rossi; she opens the door.
      await consoleView(staff, 'workspace'); // the waiting room is in the workspace view
      const visitRow = staff.locator('#queue-urp .visit-row').filter({ hasText: booking.code });
      await visitRow.locator('[data-channel="appointment"]').filter({ hasText: 'Appuntamento' }).waitFor();
      await waitForText(visitRow.locator('[data-testid="visit-reserved"]'), 'Per Giulia Rossi');
      await waitForText(staff.locator('#knock-alert'), `Nuova bussata all’ufficio URP: Anna Neri — ${booking.code}`);
      await visitRow.getByRole('button', { name: /^Apri la porta/ }).click();
      await staff.locator('.conversation').first().waitFor();
      await page.locator('#chat-input').waitFor();
      assertNoProblems(page);
    } finally {
      await media.close();
    }
  });
});
