// The citizen pages keep their layout at a desktop's and a phone's width (issue 15): every page,
// and the states a citizen goes through (the booking's five steps, the waiting room, a case open
// and resolved, a phone ticket taken), at 1280 and 390 px: no text on top of other text
// (assertNoOverlap), no text drawn under another element such as a steps bar or a lifted label
// (assertNothingCovered), nothing wider than the window. This is the regression check that keeps
// the overlaps seen at 390 px (the booking's steps bar over "Data e orario", the case page's
// headings under their fields' labels) from coming back. Screenshots in /tmp/layoutshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { assertNoOverlap, assertNothingCovered, assertNoProblems, launchBrowser, newPage } from './helpers.mjs';
import { startServer } from './server.mjs';
import { staffSession } from './reception-api.mjs';
import { citizenPages } from './weigh.mjs';

const SHOTS = '/tmp/layoutshots';
const WIDTHS = [
  [1280, 900],
  [390, 844],
];

async function settle(page) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/** Both checks at both widths on the page as it is now; back to 1280 px after. */
async function checkBothWidths(page, name) {
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    await settle(page);
    const label = `${name} at ${width}px`;
    await assertNoOverlap(page, label);
    await assertNothingCovered(page, label);
    await page.screenshot({ path: `${SHOTS}/${name.replace(/[^a-z0-9]+/gi, '-')}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the citizen pages at 1280 and 390 px: no overlapping or covered text', () => {
  let srv;
  let browser;
  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Wednesday 25 November 2026, 15:30 in Rome: the URP receives web knocks (Wednesdays 14–17).
    srv = await startServer({ now: '2026-11-25T14:30:00Z' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('every citizen page on its first load', async () => {
    const pages = { ...(await citizenPages(srv.url)), services: '/esempio/servizi', 'all the Comuni': '/' };
    for (const [name, path] of Object.entries(pages)) {
      const page = await newPage(browser, srv.url);
      await page.goto(path, { waitUntil: 'networkidle' });
      await checkBothWidths(page, name);
      assertNoProblems(page);
      await page.context().close();
    }
  });

  it('on a phone the offices page puts "Bussa alla porta" on the first screen, the week behind a summary', async () => {
    const context = await browser.newContext({ baseURL: srv.url, locale: 'it-IT', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto('/esempio/', { waitUntil: 'networkidle' });
    const knock = page.locator('.office-card').first().getByRole('link', { name: /^Bussa alla porta/ });
    const box = await knock.boundingBox();
    assert.ok(box && box.y + box.height <= 844, `"Bussa alla porta" at y=${box?.y}`);
    const cards = await page.locator('.office-card').count();
    assert.equal(await page.locator('.office-card details.office-more:not([open])').count(), cards);
    // Each office fits one screen: the next one is a swipe away.
    const heights = await page.locator('.office-card').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    await page.screenshot({ path: `${SHOTS}/offices-phone-first-load.png`, fullPage: true });
    await assertNoOverlap(page, 'offices, first load at 390px');
    await assertNothingCovered(page, 'offices, first load at 390px');
    // The week is one tap away.
    const first = page.locator('.office-card').first();
    await first.getByText('Orari della settimana e informazioni').click();
    await first.locator('table.hours-table').waitFor();
    await assertNoOverlap(page, 'offices at 390px, one week opened');
    await assertNothingCovered(page, 'offices at 390px, one week opened');
    assert.ok(heights.every((h) => h <= 844), `office cards ${heights.join(', ')} px tall`);
    await context.close();
  });

  it('the booking, step by step', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/prenota?office=anagrafe');
    await page.getByRole('heading', { name: 'Luogo e ufficio' }).waitFor();
    await checkBothWidths(page, 'booking 1');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Data e orario' }).waitFor();
    await page.locator('button[data-date="2026-11-26"]').click();
    const slot = page.locator('label[for^="slot-2026-11-26-"]').first();
    await slot.click();
    await checkBothWidths(page, 'booking 2');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Motivo e dettagli' }).waitFor();
    await checkBothWidths(page, 'booking 3');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Richiedente' }).waitFor();
    // With every field's error shown: the longest the form gets.
    await page.getByRole('button', { name: 'Avanti' }).click();
    assert.equal(await page.locator('#who-email').getAttribute('aria-invalid'), 'true');
    await checkBothWidths(page, 'booking 4 with errors');
    await page.locator('#who-first_name').fill('Lucia');
    await page.locator('#who-last_name').fill('Bianchi');
    await page.locator('#who-email').fill('lucia.bianchi@example.org');
    await page.locator('label[for="who-privacy"]').click();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Riepilogo' }).waitFor();
    await checkBothWidths(page, 'booking 5');
    await page.getByRole('button', { name: 'Conferma la prenotazione' }).click();
    await page.getByRole('heading', { name: 'Prenotazione confermata' }).waitFor();
    await checkBothWidths(page, 'booking confirmed');
    assertNoProblems(page);
    await page.context().close();
  });

  it('the waiting room after knocking, and a phone ticket taken', async () => {
    const op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await op.setPresence('available');
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/visit/urp');
    await page.getByLabel(/^Nome/).fill('Maria');
    await page.getByLabel(/^Argomento/).fill('Residenza');
    await page.getByRole('button', { name: 'Bussa alla porta' }).click();
    await page.locator('#queue-position').filter({ hasText: 'in attesa' }).waitFor();
    await checkBothWidths(page, 'waiting room');
    // Admitted on a phone, with a conversation longer than its screen: the newest message and
    // the message box are both on screen without scrolling (issue 15).
    await page.setViewportSize({ width: 390, height: 844 });
    const [waiting] = (await op.visits('urp', 'waiting')).visits;
    await op.admit(waiting.id);
    await page.locator('#chat-input').waitFor();
    for (let i = 1; i <= 8; i++) await op.send(waiting.id, `Messaggio numero ${i}: le serve il documento d’identità e il codice fiscale.`, `m${i}`);
    const newest = page.locator('#chat-log li').filter({ hasText: 'Messaggio numero 8' });
    await newest.waitFor();
    await page.waitForFunction(() => {
      const log = document.getElementById('chat-log').getBoundingClientRect();
      const last = [...document.querySelectorAll('#chat-log li')].pop().getBoundingClientRect();
      const box = document.getElementById('chat-input').getBoundingClientRect();
      const send = document.getElementById('chat-send').getBoundingClientRect();
      return last.bottom <= log.bottom + 1 && last.top >= log.top - 1 && log.top >= 0 && box.top >= 0 && send.bottom <= window.innerHeight;
    });
    await page.screenshot({ path: `${SHOTS}/conversation-phone-screen.png` });
    await checkBothWidths(page, 'conversation');
    // Back at a phone's width after the desktop's, the log is still at its newest message.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => {
      const log = document.getElementById('chat-log');
      return log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    });
    await op.end(waiting.id);
    await page.context().close();

    const offices = await (await fetch(`${srv.url}/api/v1/enti/esempio/offices`)).json();
    const site = offices.offices.find((o) => o.site).site.id;
    const phone = await newPage(browser, srv.url);
    await phone.goto(`/esempio/ticket/${site}`);
    await phone.getByRole('button', { name: /^Prendi il numero per / }).first().click();
    await phone.locator('#pt-code').waitFor();
    await checkBothWidths(phone, 'phone ticket taken');
    assertNoProblems(phone);
    await phone.context().close();
  });

  it('a case followed by its link: open with its forms, then resolved', async () => {
    const staff = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const made = await staff.call('POST', '/api/v1/enti/esempio/cases', {
      office: 'urp',
      subject: 'Certificato di residenza per il figlio',
      channel: 'phone',
      citizen: { name: 'Elena Rosa', email: 'elena.rosa@example.org' },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { case: c, secret } = made.body;
    const reply = await staff.call('POST', `/api/v1/cases/${c.id}/replies`, { channel: 'phone', body: 'Il certificato è pronto allo sportello.' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));

    const page = await newPage(browser, srv.url);
    await page.goto(`/esempio/pratica/${c.code}#${encodeURIComponent(secret)}`);
    await page.locator('#case-view').waitFor();
    await page.getByRole('heading', { name: 'Aggiungi informazioni' }).waitFor();
    await checkBothWidths(page, 'case open');

    const resolved = await staff.call('POST', `/api/v1/cases/${c.id}/state`, { state: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    await page.context().close();
    // A new visit by the same link (the page drops the secret from the address once read).
    const again = await newPage(browser, srv.url);
    await again.goto(`/esempio/pratica/${c.code}#${encodeURIComponent(secret)}`);
    await again.locator('#case-view').waitFor();
    await again.locator('#case-state').filter({ hasText: /risolta/i }).waitFor();
    await checkBothWidths(again, 'case resolved');
    assertNoProblems(again);
    await again.context().close();
  });
});
