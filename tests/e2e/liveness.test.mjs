// A closed tab is skipped (docs/OPERATIONS.md, "Liveness"), in Chromium against the real server
// with a still clock moved by POST /api/v1/test/clock (no sleeping). Two citizens knock on the
// URP from the public page; the first one's page goes away: the console shows her as
// disconnected, the second citizen moves up to first, "Apri la porta al prossimo" opens to the
// second; ten minutes later the first one is out of the line, and her tab, when she comes back
// to it, says why. Wednesday 2026-11-25 15:30 in Rome.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, TIMEOUT, waitForText } from './helpers.mjs';
import { knockFromPage, openConsole } from './reception-pages.mjs';
import { startServer } from './server.mjs';

const NOW = '2026-11-25T14:30:00Z';

describe('liveness: a closed tab in the virtual waiting room', () => {
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

  it('is shown disconnected, skipped by call-next, then leaves the line and is told why', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const gina = await knockFromPage(browser, srv.url, { name: 'Gina', topic: 'Residenza', mode: 'chat' });
    const rita = await knockFromPage(browser, srv.url, { name: 'Rita', topic: 'Tributi', mode: 'chat' });
    await waitForText(rita.locator('#queue-position'), 'Sei il 2° in attesa');
    await rita.waitForFunction(() => document.body.dataset.live === 'subscribed');
    // The page says plainly that it must stay open.
    await waitForText(rita.locator('#waiting-keep'), /10 minuti/);

    // Gina leaves the page (another site in the same tab): her connection closes.
    await gina.goto('about:blank');
    const ginaRow = op.locator('li.visit-row', { hasText: 'Gina' });
    await ginaRow.waitFor();
    await advance(30);
    await advance(31);
    await op.locator('li.visit-row[data-connected="false"]', { hasText: 'Gina' }).waitFor({ timeout: TIMEOUT });
    await waitForText(ginaRow.locator('.visit-away'), /Disconnesso/);
    assert.equal(await ginaRow.locator('.btn-admit').isDisabled(), true, 'no door opened to nobody');
    // Rita moves up: the ghost is not counted ahead of her.
    await waitForText(rita.locator('#queue-position'), 'Sei il primo in attesa');
    for (const width of [1280, 390]) {
      await op.setViewportSize({ width, height: 900 });
      await op.screenshot({ path: `/tmp/liveness-console-${width}.png`, fullPage: false });
    }
    await op.setViewportSize({ width: 1280, height: 900 });
    await assertNoAxeViolations(op, 'console with a disconnected visit');

    // Call-next opens to Rita, who is there.
    await op.locator('#queue-urp .btn-admit-next').click();
    await rita.locator('#visit-stage[data-state="admitted"]').waitFor({ timeout: TIMEOUT });
    await waitForText(rita.locator('.turn-now'), 'È il tuo turno');

    // Ten minutes later Gina is out of the line; her tab, when she comes back to it, says why.
    await advance(540);
    await ginaRow.waitFor({ state: 'detached', timeout: TIMEOUT });
    await gina.goto('/esempio/visit/urp');
    const notice = gina.locator('#gone-notice');
    await waitForText(notice, /10 minuti/);
    for (const width of [1280, 390]) {
      await gina.setViewportSize({ width, height: 900 });
      await gina.screenshot({ path: `/tmp/liveness-gone-${width}.png`, fullPage: true });
    }
    await assertNoAxeViolations(gina, 'visit page after leaving the line');
    // She can knock again at once.
    await gina.getByRole('button', { name: 'Bussa alla porta' }).waitFor();
    for (const p of [op, rita, gina]) assertNoProblems(p);
  });

  it('asks "ci sei ancora?" after a long wait; the answer keeps the place, no answer sets it aside until answered', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const ada = await knockFromPage(browser, srv.url, { name: 'Ada', topic: 'Anagrafe', mode: 'chat' });
    await ada.waitForFunction(() => document.body.dataset.live === 'subscribed');
    const adaRow = op.locator('li.visit-row', { hasText: 'Ada' });
    await adaRow.waitFor();
    // Fifteen minutes with the page open and no sign of her: she is asked.
    await advance(901);
    const box = ada.locator('#still-there');
    await waitForText(box, 'Ci sei ancora?');
    await waitForText(box, /entro pochi minuti/);
    await waitForText(adaRow.locator('.visit-asked'), /Ci sei ancora/);
    for (const width of [1280, 390]) {
      await ada.setViewportSize({ width, height: 900 });
      await ada.screenshot({ path: `/tmp/still-there-${width}.png`, fullPage: true });
    }
    await assertNoAxeViolations(ada, 'waiting room asking "ci sei ancora?"');
    // Answered with the keyboard only.
    await ada.locator('#still-there-yes').focus();
    await ada.keyboard.press('Enter');
    await waitForText(ada.locator('#still-there-thanks'), /sei ancora in fila/);
    await box.waitFor({ state: 'detached', timeout: TIMEOUT });
    await adaRow.locator('.visit-asked').waitFor({ state: 'detached', timeout: TIMEOUT });

    // Asked again later, she does not answer: set aside (the console says so, no door opens),
    // although her page is open; her answer brings her back to her place.
    await advance(901);
    await waitForText(box, 'Ci sei ancora?');
    await advance(181);
    await waitForText(box, /non verrai chiamato/);
    await op.locator('li.visit-row[data-connected="false"]', { hasText: 'Ada' }).waitFor({ timeout: TIMEOUT });
    await waitForText(adaRow.locator('.visit-asked'), /Non ha risposto/);
    assert.equal(await adaRow.locator('.btn-admit').isDisabled(), true);
    for (const width of [1280, 390]) {
      await op.setViewportSize({ width, height: 900 });
      await op.screenshot({ path: `/tmp/still-there-console-${width}.png`, fullPage: false });
    }
    await op.setViewportSize({ width: 1280, height: 900 });
    await ada.locator('#still-there-yes').click();
    await waitForText(ada.locator('#still-there-thanks'), /sei ancora in fila/);
    await op.locator('li.visit-row[data-connected="true"]', { hasText: 'Ada' }).waitFor({ timeout: TIMEOUT });
    for (const p of [op, ada]) assertNoProblems(p);
  });
});
