// Queue tickets end to end in the browser: the ticket machine, a phone and the display board
// open at once. Paper and phone tickets interleave in one number sequence; a counter's call
// reaches the board live; a recall does not add a row to the board nor a second call to the
// ticket's history; the QR code printed on a paper ticket (decoded here with jsQR) opens the
// phone's live status page of THAT ticket, with the token in the fragment only. Axe on each page.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, consoleView, login, newPage, textOf } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const jsQR = require('jsqr');

/** Decodes the QR code image `selector` of the page (drawn on a canvas at its natural size). */
async function decodeQr(page, selector) {
  const img = await page.evaluate(async (sel) => {
    const el = document.querySelector(sel);
    await el.decode();
    const w = el.naturalWidth;
    const h = el.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(el, 0, 0, w, h);
    return { w, h, data: Array.from(ctx.getImageData(0, 0, w, h).data) };
  }, selector);
  const code = jsQR(Uint8ClampedArray.from(img.data), img.w, img.h);
  assert.ok(code, 'the QR code decodes');
  return code.data;
}

describe('queue flow: ticket machine, phone and board together', () => {
  let srv;
  let browser;
  let op;
  let siteId;
  let counters;
  let kiosk;

  before(async () => {
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    siteId = sites.find((s) => s.kind === 'town_hall').id;
    counters = (await admin.ok('GET', `/api/v1/enti/esempio/counters?site=${siteId}`)).counters;
    kiosk = await admin.ok('POST', '/api/v1/enti/esempio/kiosks', { name: 'Eliminacode atrio', office: 'urp' });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('paper and phone tickets share one sequence; calls reach the board live; the QR follows the paper ticket', async () => {
    const board = await newPage(browser, srv.url);
    await board.goto(`/board/${siteId}`);
    await board.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await board.getByText('Nessun numero chiamato finora.').waitFor();

    const machine = await newPage(browser, srv.url);
    await machine.goto(`/ticket-machine/${siteId}#token=${kiosk.token}`);
    const take = async () => {
      await machine.getByRole('button', { name: /Anagrafe/ }).click();
      const code = await textOf(machine.locator('#tm-code'));
      await machine.locator('#tm-qr').waitFor();
      return code;
    };
    assert.equal(await take(), 'A001');
    // The receipt shows the QR code with a text alternative; axe on the ticket with it.
    assert.match(await machine.locator('#tm-qr').getAttribute('alt'), /Codice QR.*A001/);
    await assertNoAxeViolations(machine, 'ticket machine: ticket with QR code');

    // A phone takes the next number: A002, in the same sequence as the paper tickets.
    const phone = await newPage(browser, srv.url);
    await phone.goto(`/esempio/ticket/${siteId}`);
    await phone.getByRole('button', { name: 'Prendi il numero per Anagrafe' }).click();
    assert.equal(await textOf(phone.locator('#pt-code')), 'A002');
    assert.equal(await textOf(phone.locator('#pt-ahead')), '1');

    await machine.getByRole('button', { name: 'Fine' }).click();
    assert.equal(await take(), 'A003');
    const url = await decodeQr(machine, '#tm-qr');
    const m = /^(http:\/\/[^/]+)(\/esempio\/ticket\/[^#]+)#id=([^&]+)&t=(.+)$/.exec(url);
    assert.ok(m, url);
    assert.equal(m[1], srv.url);
    assert.equal(m[2], `/esempio/ticket/${siteId}`);

    // The QR code on a (new) phone: the status of A003, the fragment gone from the address.
    const scanned = await newPage(browser, srv.url);
    const requested = [];
    scanned.on('request', (r) => requested.push(r.url()));
    await scanned.goto(url);
    assert.equal(await textOf(scanned.locator('#pt-code')), 'A003');
    assert.equal(await textOf(scanned.locator('#pt-ahead')), '2');
    assert.equal(await textOf(scanned.locator('#pt-state')), 'In attesa');
    await scanned.waitForFunction(() => document.body.dataset.live === 'subscribed');
    assert.equal(new URL(scanned.url()).hash, '', 'the token left the address bar');
    assert.ok(!requested.some((u) => u.includes(m[4])), 'the token never travels in a URL');
    await assertNoAxeViolations(scanned, 'phone page opened from the QR code');

    // Counters call: the board shows each call live, newest first; the phones are told.
    const s1 = counters.find((c) => c.name === 'Sportello 1');
    const s2 = counters.find((c) => c.name === 'Sportello 2');
    await op.ok('POST', `/api/v1/counters/${s1.id}/call-next`, {});
    await board.locator('tr.board-latest[data-code="A001"]').waitFor();
    await op.ok('POST', `/api/v1/counters/${s2.id}/call-next`, {});
    await board.locator('tr.board-latest[data-code="A002"]').waitFor();
    await phone.locator('#pt-called').filter({ hasText: 'È il tuo turno: Sportello 2' }).waitFor();
    await op.ok('POST', `/api/v1/counters/${s1.id}/call-next`, {});
    await board.locator('tr.board-latest[data-code="A003"]').waitFor();
    assert.match(await board.locator('tr.board-latest').innerText(), /A003\s+Sportello 1\s+Anagrafe/);
    await scanned.locator('#pt-called').filter({ hasText: 'È il tuo turno: Sportello 1' }).waitFor();
    const rows = board.locator('#board-calls tbody tr');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code)), ['A003', 'A002', 'A001']);

    // A recall of A002: highlighted again on top, no new row, one call in the history.
    const waiting = await op.ok('GET', `/api/v1/enti/esempio/counters?site=${siteId}`);
    const a002 = waiting.counters.find((c) => c.id === s2.id).current;
    assert.equal(a002.code, 'A002');
    await op.ok('POST', `/api/v1/tickets/${a002.id}/recall`, {});
    await board.locator('tr.board-latest.board-fresh[data-code="A002"]').waitFor();
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code)), ['A002', 'A003', 'A001']);
    const hist = (await op.ok('GET', `/api/v1/tickets/${a002.id}`)).history.map((h) => h.action);
    assert.deepEqual(hist, ['issued', 'called', 'recalled']);
    const staffView = await op.ok('GET', `/api/v1/enti/esempio/sites/${siteId}/tickets?state=called`);
    assert.deepEqual(
      staffView.tickets.map((t) => [t.code, t.source]).sort(),
      [
        ['A002', 'phone'],
        ['A003', 'machine'],
      ],
    );

    await assertNoAxeViolations(board, 'board');
    await assertNoAxeViolations(phone, 'phone ticket: called');
    for (const p of [board, machine, phone, scanned]) {
      assertNoProblems(p);
      await p.context().close();
    }
  });

  it('console statistics: the day of the calls above, per service and counter, in accessible tables', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'supervisore', 'supervisore-demo-2026');
    await consoleView(page, 'stats');
    await page.getByRole('heading', { name: "Statistiche dell'eliminacode" }).waitFor();
    await page.getByLabel('Sede').selectOption(siteId);
    await page.getByLabel('Dal giorno').fill('2026-11-25');
    await page.getByLabel('Al giorno (compreso)').fill('2026-11-25');
    await page.getByRole('button', { name: 'Mostra' }).click();
    await page.locator('#qs-status').filter({ hasText: '3 biglietti emessi' }).waitFor();
    const services = page.getByRole('table', { name: /Per servizio/ });
    const anagrafe = services.getByRole('row', { name: /A · Anagrafe/ });
    // Issued 3, served 1 (A001, closed by the next call), no-shows 0, cancelled 0.
    assert.deepEqual((await anagrafe.locator('td').allInnerTexts()).slice(0, 4), ['3', '1', '0', '0']);
    const counters = page.getByRole('table', { name: /Per postazione/ });
    assert.deepEqual((await counters.locator('tbody th').allInnerTexts()).sort(), ['Sportello 1', 'Sportello 2']);
    const hours = page.getByRole('table', { name: /Biglietti emessi per ora/ });
    assert.deepEqual(await hours.locator('tbody tr').allInnerTexts(), ['10:00–10:59\t3']);
    await assertNoAxeViolations(page, 'console with the queue statistics');
    assertNoProblems(page);
    await page.context().close();
  });

  it('administration: the "Postazioni" tab renames a counter and deactivates it', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'admin', 'admin-demo-2026');
    await page.goto('/esempio/admin#counters');
    const table = page.locator('#counters-table');
    await table.locator('tr[data-counter="Sportello 5"]').waitFor();
    await assertNoAxeViolations(page, 'admin: counters');
    await page.getByRole('button', { name: 'Modifica Sportello 5' }).click();
    await page.getByLabel('Nome').fill('Sportello 5 bis');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.getByText('Postazione Sportello 5 bis salvata.').waitFor();
    await table.locator('tr[data-counter="Sportello 5 bis"]').waitFor();
    await page.getByRole('button', { name: 'Disattiva Sportello 5 bis' }).click();
    await page.getByText('Postazione Sportello 5 bis disattivata.').waitFor();
    const row = table.locator('tr[data-counter="Sportello 5 bis"]');
    assert.equal(await row.locator('td').nth(2).innerText(), 'No');
    const q = await (await fetch(`${srv.url}/api/v1/enti/esempio/sites/${siteId}/queue`)).json();
    assert.ok(!q.counters.some((c) => c.name.startsWith('Sportello 5')), 'off the board');
    // A duplicate name is refused next to the field.
    await page.getByRole('button', { name: 'Modifica Sportello 5 bis' }).click();
    await page.getByLabel('Nome').fill('Sportello 1');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#counter-name-error').filter({ hasText: 'esiste già' }).waitFor();
    await assertNoAxeViolations(page, 'admin: counters with a field error');
    assertNoProblems(page);
    await page.context().close();
  });
});
