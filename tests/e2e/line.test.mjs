// The one line in Chromium (docs/LINE.md): an operator opens a desk at Sportello 3 with camera
// and headset and serves, with "Chiama il prossimo" only, an appointment that checked in, a
// paper ticket from the machine, a citizen who knocked from the web page and a phone ticket,
// in the policy's order. The citizen's waiting room counts the paper ticket ahead of her and
// moves up when it is called; the board and the phone show the calls. Wednesday 2026-11-25 in
// Rome, still clock (--clock-control) moved by the test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, consoleView, launchBrowser, newPage, textOf, TIMEOUT, waitForText } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { knockFromPage, openConsole } from './reception-pages.mjs';
import { startServer } from './server.mjs';

describe('the one line: one desk, every channel', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: '2026-11-25T07:00:00Z', extraArgs: ['--clock-control', 'true'] });
    browser = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  async function advanceTo(iso) {
    const clock = async (s) => {
      const r = await fetch(srv.url + '/api/v1/test/clock', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advance_seconds: s }),
      });
      assert.equal(r.status, 200);
      return (await r.json()).now;
    };
    const now = await clock(0);
    await clock(Math.round((Date.parse(iso) - Date.parse(now)) / 1000));
  }

  it('serves the appointment, the paper ticket, the web knock and the phone ticket in order', async () => {
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const staff = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    const site = sites.find((s) => s.kind === 'town_hall').id;
    const kiosk = await admin.ok('POST', '/api/v1/enti/esempio/kiosks', { name: 'Eliminacode atrio', office: 'urp' });
    // Booked at 08:00 for 10:20 at the URP, in person.
    const { offices } = await (await fetch(`${srv.url}/api/v1/enti/esempio/booking/offices`)).json();
    const serviceJ = offices.find((o) => o.slug === 'urp').plans[0].service.id;
    const booked = await fetch(`${srv.url}/api/v1/enti/esempio/bookings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: srv.url },
      body: JSON.stringify({
        office: 'urp', service: serviceJ, date: '2026-11-25', start: '10:20', mode: 'in_person',
        first_name: 'Bruna', last_name: 'Verdi', email: 'bruna@example.org', privacy_accepted: true,
      }),
    });
    assert.equal(booked.status, 201);
    const booking = (await booked.json()).booking;

    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const board = await newPage(browser, srv.url);
    await board.goto(`/board/${site}`);
    await board.waitForFunction(() => document.body.dataset.live === 'subscribed');

    // 10:00: a paper ticket from the machine in the hall.
    await advanceTo('2026-11-25T09:00:00Z');
    const machine = await newPage(browser, srv.url);
    await machine.goto(`/ticket-machine/${site}#token=${kiosk.token}`);
    await machine.getByRole('button', { name: /Ecologia/ }).click();
    assert.equal(await textOf(machine.locator('#tm-code')), 'C001');
    // 10:01: Maria knocks from the web page: the paper ticket is ahead of her.
    await advanceTo('2026-11-25T09:01:00Z');
    const maria = await knockFromPage(browser, srv.url, { name: 'Maria', topic: 'Bonus idrico', mode: 'video' });
    await waitForText(maria.locator('#queue-position'), 'Sei il 2° in attesa');
    await maria.waitForFunction(() => document.body.dataset.live === 'subscribed');
    // 10:02: someone takes a number from the phone.
    await advanceTo('2026-11-25T09:02:00Z');
    const phone = await newPage(browser, srv.url);
    await phone.goto(`/esempio/ticket/${site}`);
    await phone.getByRole('button', { name: 'Prendi il numero per Ecologia' }).click();
    assert.equal(await textOf(phone.locator('#pt-code')), 'C002');
    await phone.waitForFunction(() => document.body.dataset.live === 'subscribed');
    // 10:03: Carla phones the URP and wants to be called back as soon as a desk is free: the
    // operator logs the call from the console, in the line.
    await advanceTo('2026-11-25T09:03:00Z');
    await consoleView(op, 'cases'); // the phone call form is in the console's cases view
    const callForm = op.locator('#phone-call-form');
    await callForm.getByLabel('Chi chiama').fill('Carla Neri');
    await callForm.getByLabel('Numero di telefono').fill('+39 333 7654321');
    await callForm.getByLabel('Argomento').fill('Tari: rata scaduta');
    await callForm.getByText('mettilo in fila').click();
    await callForm.getByRole('button', { name: 'Registra' }).click();
    const logged = await textOf(callForm.locator('[role="status"].alert-success'));
    const carla = logged.match(/Pratica (PR-[A-Z0-9]{4}-[A-Z0-9]{4}) registrata/)?.[1];
    assert.ok(carla && /È in fila/.test(logged), logged);
    await consoleView(op, 'workspace');
    // 10:16: Bruna arrives for her 10:20 appointment and is checked in.
    await advanceTo('2026-11-25T09:16:00Z');
    const arrived = await staff.ok('POST', `/api/v1/enti/esempio/bookings/${booking.code}/arrived`);
    assert.match(arrived.ticket.code, /^J\d{3}$/);

    // The operator opens the desk at Sportello 3, with camera and headset.
    const panel = op.locator('#desk-panel');
    await panel.locator('#desk-open-form').waitFor();
    for (const width of [1280, 390]) {
      await op.setViewportSize({ width, height: 900 });
      await panel.screenshot({ path: `/tmp/line-open-${width}.png` });
    }
    await op.setViewportSize({ width: 1280, height: 900 });
    await panel.getByLabel('Il tuo posto di lavoro').selectOption({ label: 'Sportello 3' });
    await panel.getByText('Qui ho videocamera e cuffie').click();
    await panel.getByRole('button', { name: 'Apri lo sportello' }).click();
    await waitForText(op.locator('#desk-summary'), 'Sportello 3 · anche contatti a distanza');
    const rows = op.locator('#desk-line li.desk-entry');
    await op.waitForFunction(() => document.querySelectorAll('#desk-line li.desk-entry').length === 5, null, { timeout: TIMEOUT });
    const order = await rows.evaluateAll((ls) => ls.map((l) => `${l.dataset.channel}:${l.querySelector('.desk-who').textContent}`));
    assert.deepEqual(order, [`ticket:Numero ${arrived.ticket.code}`, 'ticket:Numero C001', 'visit:Maria', 'ticket:Numero C002', `callback:Pratica ${carla}`]);
    await waitForText(rows.last(), 'Telefonata in attesa');
    await waitForText(rows.first(), 'Appuntamento');
    await waitForText(rows.first(), 'appuntamento arrivato');
    for (const width of [1280, 390]) {
      await op.setViewportSize({ width, height: 900 });
      await op.locator('#desk-panel').screenshot({ path: `/tmp/line-desk-${width}.png` });
    }
    await op.setViewportSize({ width: 1280, height: 900 });
    await assertNoAxeViolations(op, 'console with the desk open and its line');

    const next = () => op.locator('#desk-next').click();
    // 1. The appointment that is due: on the board and on the counter panel.
    await next();
    await waitForText(op.locator('#desk-info'), `Chiamato il numero ${arrived.ticket.code} (Appuntamento)`);
    await board.locator(`tr.board-latest[data-code="${arrived.ticket.code}"]`).waitFor({ timeout: TIMEOUT });
    await waitForText(op.locator('#counter-code'), arrived.ticket.code);
    // 2. The paper ticket, who arrived first; Maria's waiting room moves up at once.
    await next();
    await waitForText(op.locator('#desk-info'), 'Chiamato il numero C001 (In ordine di arrivo)');
    await board.locator('tr.board-latest[data-code="C001"]').waitFor({ timeout: TIMEOUT });
    assert.match(await board.locator('tr.board-latest').innerText(), /C001\s+Sportello 3/);
    await waitForText(maria.locator('#queue-position'), 'Sei il primo in attesa');
    // 3. Maria, from the web: she is let in, her conversation opens in the console.
    await next();
    await waitForText(op.locator('#desk-info'), /Maria è entrato/);
    await maria.locator('#visit-stage[data-state="admitted"]').waitFor({ timeout: TIMEOUT });
    // 4. The phone ticket: the phone says it is their turn.
    await next();
    await phone.locator('#pt-called').filter({ hasText: 'È il tuo turno: Sportello 3' }).waitFor({ timeout: TIMEOUT });
    // 5. Carla's call, logged after the phone ticket: the number to call back is on screen.
    await next();
    await waitForText(op.locator('#desk-callback-phone'), '+39 333 7654321');
    await waitForText(op.locator('#desk-line-empty'), 'Nessuno in attesa per il tuo sportello.');
    await next();
    await waitForText(op.locator('#desk-info'), 'Non c\'è nessuno da chiamare.');

    // Closing the desk closes the counter on the board's list.
    await op.locator('#desk-close').click();
    await op.locator('#desk-open-form').waitFor();
    for (const p of [op, board, machine, maria, phone]) assertNoProblems(p);
  });
});
