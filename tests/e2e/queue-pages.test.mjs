// Queue pages (eliminacode): the ticket machine issues a ticket shown on screen; the display
// board shows the calls live (a recall highlights again without a second row) and says when
// its connection is lost. Staff actions go through the API (tests/e2e/reception-api.mjs), except
// in the last test, where the operator works a counter from the console's counter panel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, login, newPage, textOf, waitForText, consoleView } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

describe('queue pages: ticket machine and display board', () => {
  let srv;
  let browser;
  let admin;
  let op;
  let siteId;
  let counters;
  let kiosk;
  /** The page's address: /ticket-machine/{site} or /board/{site}. */
  const pageUrl = (kind) => `/${kind}/${siteId}`;

  before(async () => {
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
    admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    siteId = sites.find((s) => s.kind === 'town_hall').id;
    counters = (await admin.ok('GET', `/api/v1/enti/esempio/counters?site=${siteId}`)).counters;
    assert.equal(counters.length, 5);
    kiosk = await admin.ok('POST', '/api/v1/enti/esempio/kiosks', { name: 'Eliminacode atrio', office: 'urp' });
    for (const kind of ['ticket-machine', 'board']) {
      assert.equal((await fetch(`${srv.url}${pageUrl(kind)}`)).status, 200, `${kind} page route`);
    }
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  /** A ticket issued as the machine would (device token). */
  async function issueViaApi(service) {
    const r = await fetch(`${srv.url}/api/v1/enti/esempio/sites/${siteId}/tickets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${kiosk.token}` },
      body: JSON.stringify({ service, source: 'machine' }),
    });
    const body = await r.json();
    assert.equal(r.status, 201, JSON.stringify(body));
    return body.ticket;
  }

  it('ticket machine: choose a service, see the ticket; closed services are disabled', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto(`${pageUrl('ticket-machine')}#token=${kiosk.token}`);
    const anagrafe = page.getByRole('button', { name: /Anagrafe/ });
    await anagrafe.waitFor();
    assert.ok(!page.url().includes('token'), `token left in the address: ${page.url()}`);
    // Edilizia (B) is closed at this hour: disabled, with its next opening.
    const closed = page.locator('button[data-prefix="B"]');
    assert.equal(await closed.isDisabled(), true);
    assert.match(await textOf(closed), /Chiuso · apre/);
    await assertNoAxeViolations(page, 'ticket machine: start');

    // Priority: choose a reason, then the service.
    await page.getByRole('button', { name: 'Ho diritto alla precedenza' }).click();
    await page.getByRole('button', { name: 'Gravidanza' }).click();
    await page.getByText(/Precedenza: Gravidanza/).waitFor();
    await anagrafe.click();
    assert.equal(await textOf(page.locator('#tm-code')), 'A001');
    assert.equal(await textOf(page.locator('#tm-ahead')), '0');
    await page.getByRole('heading', { name: 'Il tuo numero' }).waitFor();
    await page.getByRole('button', { name: 'Stampa' }).waitFor();
    await assertNoAxeViolations(page, 'ticket machine: ticket');

    // Back to the start, in English this time; the next ticket has one person ahead.
    await page.getByRole('button', { name: 'Fine' }).click();
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('button', { name: /Anagrafe/ }).click();
    assert.equal(await textOf(page.locator('#tm-code')), 'A002');
    assert.equal(await textOf(page.locator('#tm-ahead')), '1');
    await page.getByRole('heading', { name: 'Your number' }).waitFor();
    const staffView = await admin.ok('GET', `/api/v1/enti/esempio/sites/${siteId}/tickets?state=waiting`);
    assert.deepEqual(
      staffView.tickets.map((t) => [t.code, t.source, t.priority]),
      [
        ['A001', 'machine', 'pregnancy'],
        ['A002', 'machine', 'none'],
      ],
    );
    assertNoProblems(page);
    await page.evaluate(() => localStorage.setItem('sportello.lang', 'it'));
    await page.context().close();
  });

  it('board: "Attiva audio" while the browser keeps sound off; a TV with the autoplay flag never sees it', async () => {
    // The default policy of a desktop Chromium: no sound before a gesture on the page.
    const strict = await launchBrowser({ args: ['--autoplay-policy=document-user-activation-required'] });
    try {
      const page = await newPage(strict, srv.url);
      const refusals = [];
      page.on('console', (m) => /AudioContext was not allowed/.test(m.text()) && refusals.push(m.text()));
      await page.goto(pageUrl('board'));
      await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
      const button = page.getByRole('button', { name: 'Attiva audio' });
      await button.waitFor();
      assert.equal(await page.locator('main').getAttribute('data-audio'), 'blocked');
      await assertNoAxeViolations(page, 'board with the audio button');
      await button.click();
      await page.locator('main[data-audio="running"]').waitFor();
      assert.equal(await button.count(), 0, 'the button goes once the sound is on');
      assert.deepEqual(refusals, [], 'no refusal logged: nothing is played while the sound is off');
      assertNoProblems(page);
    } finally {
      await strict.close();
    }
    const tv = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
    try {
      const page = await newPage(tv, srv.url);
      await page.goto(pageUrl('board'));
      await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
      await page.locator('main[data-audio="running"]').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Attiva audio' }).count(), 0);
    } finally {
      await tv.close();
    }
  });

  it('board: calls appear live, a recall highlights again without a new row', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto(pageUrl('board'));
    await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await page.getByText('Nessun numero chiamato finora.').waitFor();
    assert.equal(await page.locator('#board-offline').count(), 0);

    const s1 = counters.find((c) => c.name === 'Sportello 1');
    const s2 = counters.find((c) => c.name === 'Sportello 2');
    const first = await op.ok('POST', `/api/v1/counters/${s1.id}/call-next`, {});
    assert.equal(first.ticket.code, 'A001');
    const rows = page.locator('#board-calls tbody tr');
    await page.locator('tr.board-latest[data-code="A001"]').waitFor();
    assert.match(await page.locator('tr.board-latest').innerText(), /A001\s+Sportello 1\s+Anagrafe/);

    await op.ok('POST', `/api/v1/counters/${s2.id}/call-next`, {});
    await page.locator('tr.board-latest[data-code="A002"]').waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await page.locator('tr.board-latest').innerText(), /A002\s+Sportello 2/);
    await page.locator('#board-announcer').filter({ hasText: 'Numero A002, Sportello 2' }).waitFor({ state: 'attached' });

    // Recall A001: back on top and highlighted, still two rows.
    await op.ok('POST', `/api/v1/tickets/${first.ticket.id}/recall`, {});
    await page.locator('tr.board-latest.board-fresh[data-code="A001"]').waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code)), ['A001', 'A002']);

    // ?services= filters: a board for C only ignores A calls.
    const filtered = await newPage(browser, srv.url);
    await filtered.goto(pageUrl('board') + (pageUrl('board').includes('?') ? '&' : '?') + 'services=C');
    await filtered.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await issueViaApi('A');
    await issueViaApi('C');
    const s3 = counters.find((c) => c.name === 'Sportello 3');
    const c = await op.ok('POST', `/api/v1/counters/${s3.id}/call-next`, {});
    assert.equal(c.ticket.code, 'C001');
    await op.ok('POST', `/api/v1/counters/${s1.id}/call-next`, {});
    await page.locator('tr.board-latest[data-code="A003"]').waitFor();
    await filtered.locator('tr.board-latest[data-code="C001"]').waitFor();
    assert.deepEqual(await filtered.locator('#board-calls tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.code)), ['C001']);
    await filtered.context().close();

    await assertNoAxeViolations(page, 'board');
    assertNoProblems(page);

    // The server goes away: the board says its data are no longer up to date.
    await srv.stop();
    srv = null;
    await page.locator('#board-offline').filter({ hasText: 'Collegamento interrotto: dati non aggiornati' }).waitFor();
    assert.notEqual(await page.evaluate(() => document.body.dataset.live), 'subscribed');
    await page.context().close();
  });

});

describe('queue pages: the counter panel in the console', () => {
  let srv;
  let browser;
  let op;
  let siteId;
  let kiosk;

  before(async () => {
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const { sites } = await admin.ok('GET', '/api/v1/enti/esempio/sites');
    siteId = sites.find((s) => s.kind === 'town_hall').id;
    kiosk = await admin.ok('POST', '/api/v1/enti/esempio/kiosks', { name: 'Eliminacode atrio', office: 'urp' });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('counter panel: choose a counter, call next (seen on the board), recall, start, done', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    await consoleView(page, 'counter');
    await page.getByRole('heading', { name: 'Sportello (eliminacode)' }).waitFor();
    await page.locator('#counter-panel').getByLabel('Postazione').selectOption({ label: 'Sportello 1' });
    await page.locator('#counter-panel[data-live="subscribed"]').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('sportello.counter')) !== null, true);
    await waitForText(page.locator('#counter-no-current'), 'Nessun numero in corso');

    const board = await newPage(browser, srv.url);
    await board.goto(`/board/${siteId}`);
    await board.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await board.getByText('Nessun numero chiamato finora.').waitFor();

    // A ticket from the machine: the panel's waiting count follows live (site staff topic).
    const r = await fetch(`${srv.url}/api/v1/enti/esempio/sites/${siteId}/tickets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${kiosk.token}` },
      body: JSON.stringify({ service: 'A', source: 'machine' }),
    });
    const issued = await r.json();
    assert.equal(r.status, 201, JSON.stringify(issued));
    const ticketId = issued.ticket.id;
    await waitForText(page.locator('#counter-services li[data-service="A"]'), '1 in attesa');

    // Call next: the code on the counter view, the rule that chose it, the live region, the board.
    await page.getByRole('button', { name: 'Chiama il prossimo' }).click();
    assert.equal(await textOf(page.locator('#counter-code')), 'A001');
    assert.equal(await textOf(page.locator('#counter-rule')), 'ordine di arrivo');
    assert.equal(await textOf(page.locator('#counter-ticket-state')), 'Chiamato');
    await page.locator('#counter-announcer').filter({ hasText: 'Chiamato il numero A001 (ordine di arrivo)' }).waitFor({ state: 'attached' });
    await board.locator('tr.board-latest[data-code="A001"]').waitFor();
    assert.match(await board.locator('tr.board-latest').innerText(), /A001\s+Sportello 1\s+Anagrafe/);
    await waitForText(page.locator('#counter-services li[data-service="A"]'), '0 in attesa');
    assert.equal(await textOf(page.locator('#counter-state')), 'Aperta');
    let t = await op.ok('GET', `/api/v1/tickets/${ticketId}`);
    assert.equal(t.state, 'called');
    assert.equal(t.counter.name, 'Sportello 1');

    await assertNoAxeViolations(page, 'console with the counter panel');

    // Recall: still called, one recall more, highlighted again on the board.
    await page.getByRole('button', { name: 'Richiama' }).click();
    await page.locator('#counter-announcer').filter({ hasText: 'Richiamato il numero A001' }).waitFor({ state: 'attached' });
    t = await op.ok('GET', `/api/v1/tickets/${ticketId}`);
    assert.equal(t.state, 'called');
    assert.equal(t.recalls, 1);
    await board.locator('#board-announcer').filter({ hasText: 'Numero A001, Sportello 1' }).waitFor({ state: 'attached' });

    // Start, then done.
    await page.getByRole('button', { name: 'Inizia' }).click();
    await waitForText(page.locator('#counter-ticket-state'), 'In servizio');
    t = await op.ok('GET', `/api/v1/tickets/${ticketId}`);
    assert.equal(t.state, 'serving');
    await page.getByRole('button', { name: 'Fatto' }).click();
    await waitForText(page.locator('#counter-no-current'), 'Nessun numero in corso');
    t = await op.ok('GET', `/api/v1/tickets/${ticketId}`);
    assert.equal(t.state, 'done');
    assert.deepEqual(
      t.history.map((h) => h.action),
      ['issued', 'called', 'recalled', 'started', 'done'],
    );

    // The choice of counter is remembered.
    await page.reload();
    await page.locator('#counter-panel[data-live="subscribed"]').waitFor();
    assert.equal(await page.locator('#counter-select option:checked').innerText(), 'Sportello 1');

    await assertNoAxeViolations(page, 'console with the counter panel, after done');
    assertNoProblems(page);
    assertNoProblems(board);
    await board.context().close();
    await page.context().close();
  });
});
