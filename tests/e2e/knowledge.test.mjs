// The knowledge base in the browser (issue 17): a citizen searches /esempio/servizi, opens the
// scheda of the identity card, sees its sections, its office's actions and says "Sì"; the same in
// English; while knocking, the topic suggests the scheda and "Mi è stato utile" is recorded; the
// operator's console suggests it beside a conversation about the identity card and inserts its
// link and a canned answer into the chat; an admin creates a scheda, meets the "stale" conflict
// from a second tab, publishes it, and the public search finds it. axe on every page, and every
// new page at 1280 px and 390 px without overlapping text; screenshots in /tmp/kbshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoOverlap, assertNoProblems, launchBrowser, login, newPage, textOf, waitForText } from './helpers.mjs';
import { knockViaApi, staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

// Wednesday 15:30 in Rome: the URP receives by chat and video.
const NOW = '2026-11-25T14:30:00Z';
const SHOTS = '/tmp/kbshots';
const CIE = 'carta-identita-elettronica';

async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** At 1280 and 390 px wide: no overlapping text, no sideways scroll; a screenshot of each. */
async function checkWidths(page, name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await assertNoOverlap(page, `${name} at ${width}px`);
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function helpfulCount(admin, slug) {
  const { articles } = await admin.ok('GET', '/api/v1/enti/esempio/kb/admin/articles');
  const a = articles.find((x) => x.slug === slug);
  assert.ok(a, `${slug} listed for staff`);
  return a.helpful ?? 0;
}

describe('knowledge base (schede informative)', () => {
  let srv;
  let browser;
  let admin;
  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    srv = await startServer({ now: NOW });
    browser = await launchBrowser();
    admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('search "carta identita" on /esempio/servizi, open the scheda, its sections and actions, "Sì" recorded', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/servizi');
    await page.getByRole('heading', { level: 1, name: 'Servizi e informazioni' }).waitFor();
    // Every published scheda, grouped by office: the Anagrafe lists the identity card.
    await page.locator(`#kb-all .kb-group li[data-article="${CIE}"]`).first().waitFor();
    await assertNoAxeViolations(page, 'servizi');

    await page.getByLabel('Cerca un servizio o una domanda').fill('carta identita');
    const hit = page.locator(`#kb-results li[data-article="${CIE}"]`);
    await hit.waitFor();
    assert.equal(await textOf(hit.locator('a')), "Carta d'identità elettronica");
    await waitForText(page.locator('#kb-search-status'), /Trovat[ae] \d+ sched[ae] per «carta identita»/);
    assert.match(page.url(), /\?q=carta\+identita$/);
    await assertNoAxeViolations(page, 'servizi with results');
    await checkWidths(page, 'servizi');

    await hit.locator('a').click();
    await page.waitForURL(`**/esempio/servizi/${CIE}`);
    await page.getByRole('heading', { level: 1, name: "Carta d'identità elettronica" }).waitFor();
    // Breadcrumb, index with anchors to the sections that have content, and those sections.
    const crumbs = page.getByRole('navigation', { name: 'Percorso di navigazione' });
    assert.equal(await crumbs.getByRole('link', { name: 'Servizi e informazioni' }).getAttribute('href'), '/esempio/servizi');
    const index = page.getByRole('navigation', { name: 'Indice della pagina' });
    const anchors = await index.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(anchors.includes('#cose') && anchors.includes('#contatti'), anchors.join(' '));
    for (const href of anchors) {
      const section = page.locator(href);
      assert.equal(await section.count(), 1, `${href} exists`);
      assert.ok((await textOf(section)).length > 10, `${href} has content`);
    }
    assert.equal(await textOf(page.locator('#cose-title')), 'Cos’è');
    assert.ok(anchors.includes('#cosa-serve'), 'the identity card says what to bring');
    // Contacts and hours: the Anagrafe with its hours, open-now and its actions.
    const office = page.locator('#contatti .kb-office[data-office="anagrafe"]');
    await office.waitFor();
    await office.locator('.office-status').waitFor();
    await office.locator('table.hours-table').waitFor();
    const actions = await office.locator('a.kb-action').evaluateAll((as) => as.map((a) => [a.dataset.action, a.getAttribute('href')]));
    assert.ok(actions.length > 0, 'the office offers actions');
    const expected = {
      knock: '/esempio/visit/anagrafe',
      message: '/esempio/visit/anagrafe#messaggio',
      book: '/esempio/prenota?office=anagrafe',
    };
    for (const [kind, href] of actions) {
      if (kind === 'ticket') assert.match(href, /^\/esempio\/ticket\/[^/]+$/);
      else assert.equal(href, expected[kind], kind);
    }
    await assertNoAxeViolations(page, 'scheda');
    await checkWidths(page, 'scheda');

    const before = await helpfulCount(admin, CIE);
    await page.getByRole('button', { name: 'Sì', exact: true }).click();
    await waitForText(page.locator('#feedback-status'), 'Grazie per la tua risposta!');
    assert.equal(await helpfulCount(admin, CIE), before + 1);
    await assertNoAxeViolations(page, 'scheda after feedback');
    assertNoProblems(page);
  });

  it('the scheda in English (lang=en) and the English switch', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto(`/esempio/servizi/${CIE}?lang=en`);
    await page.getByRole('heading', { level: 1, name: 'Electronic identity card' }).waitFor();
    assert.equal(await textOf(page.locator('#cose-title')), 'What it is');
    assert.equal(await textOf(page.locator('#contatti-title')), 'Contacts and hours');
    await page.getByRole('heading', { name: 'Was this helpful?' }).waitFor();
    await assertNoAxeViolations(page, 'scheda in English');
    // Back to Italian with the header's switch: the article is asked again in Italian.
    await page.getByRole('button', { name: /^IT/ }).click();
    await page.getByRole('heading', { level: 1, name: "Carta d'identità elettronica" }).waitFor();
    assertNoProblems(page);
  });

  it('the offices page links to each office’s schede', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');
    const card = page.locator('#office-anagrafe');
    await card.getByRole('heading', { name: 'Servizi e informazioni' }).waitFor();
    assert.equal(await card.locator(`.office-articles li[data-article="${CIE}"] a`).getAttribute('href'), `/esempio/servizi/${CIE}`);
    assert.equal(await page.locator('#servizi-link').getAttribute('href'), '/esempio/servizi');
    await assertNoAxeViolations(page, 'offices with schede');
  });

  it('deflection: the knock topic suggests the scheda; "Mi è stato utile" is recorded, the knock stays', async () => {
    const op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await op.setPresence('available');
    const page = await newPage(browser, srv.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/esempio/visit/urp');
    const knock = page.getByRole('button', { name: 'Bussa alla porta' });
    await knock.waitFor();
    const topic = page.getByLabel(/^Argomento/);
    // The phone shows the topic and, under it, the button (as a person scrolls to type).
    await knock.scrollIntoViewIfNeeded();
    const buttonTop = (await knock.boundingBox()).y;
    assert.ok((await topic.boundingBox()).y >= 0, 'the topic is in view with the button');
    await topic.fill('carta d’identità scaduta');
    const box = page.locator('#knock-deflect .kb-deflect');
    await box.getByRole('heading', { name: 'Forse trovi qui la risposta' }).waitFor();
    const item = box.locator(`li[data-article="${CIE}"]`);
    await item.waitFor();
    assert.equal(await box.locator('li').count() <= 3, true, 'at most 3 suggestions');
    const link = item.getByRole('link');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.match(await link.textContent(), /si apre in una nuova finestra/);
    // The suggestions appear under the button: the button did not move and is still in view.
    assert.equal((await knock.boundingBox()).y, buttonTop);
    assert.equal(await knock.isVisible(), true);
    const b = await knock.boundingBox();
    assert.ok(b.y >= 0 && b.y + b.height <= 844, 'the knock button is in view on a 390 px phone');
    await assertNoAxeViolations(page, 'knock with suggestions');
    await checkWidths(page, 'visit-deflection');
    await page.setViewportSize({ width: 390, height: 844 });

    const before = await helpfulCount(admin, CIE);
    await item.getByRole('button', { name: /^Mi è stato utile/ }).click();
    await waitForText(page.locator('#knock-deflect-done'), 'Bene! Se ti serve ancora aiuto puoi comunque bussare.');
    assert.equal(await page.locator('#knock-deflect-done').getAttribute('aria-live'), 'polite');
    assert.equal(await helpfulCount(admin, CIE), before + 1);
    assert.equal(await knock.isEnabled(), true, 'the citizen may still knock');
    assertNoProblems(page);
    await op.setPresence('away');
  });

  it('console: suggestions beside a conversation about the identity card; link and canned answer inserted', async () => {
    const operator = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await operator.ok('POST', '/api/v1/enti/esempio/offices/urp/canned-answers', {
      title: 'Saluto',
      body: 'Buongiorno, sono l’operatore dell’URP: come posso aiutarla?',
    });
    await operator.setPresence('available');
    const citizen = await knockViaApi(srv.url, 'urp', { name: 'Lucia', topic: 'Rinnovo carta d’identità' });
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    const row = page.locator(`#queue-urp .visit-row[data-visit="${citizen.visit.id}"]`);
    await row.getByRole('button', { name: /^Apri la porta/ }).click();
    const conv = page.locator(`.conversation[data-visit="${citizen.visit.id}"]`);
    await conv.waitFor();
    const idp = `conv-${citizen.visit.id}`;
    const sugg = page.locator(`#${idp}-suggestions`);
    await sugg.getByRole('heading', { name: 'Suggerimenti' }).waitFor();
    const item = sugg.locator(`li[data-article="${CIE}"]`);
    await item.waitFor();
    await item.getByRole('button', { name: /^Inserisci link/ }).click();
    const input = page.locator(`#${idp}-input`);
    const value = await input.inputValue();
    assert.equal(value, `Carta d'identità elettronica — ${srv.url}/esempio/servizi/${CIE}`);
    // Inserted, not sent: the transcript has no operator message.
    assert.equal(await conv.locator('.msg-operator').count(), 0);
    await page.waitForFunction((id) => document.activeElement?.id === id, `${idp}-input`);

    // A canned answer from the composer's picker, by keyboard-reachable controls.
    await page.getByLabel('Risposte pronte').selectOption({ label: 'Saluto' });
    await conv.getByRole('button', { name: 'Inserisci la risposta pronta' }).click();
    assert.equal(await input.inputValue(), `${value}\nBuongiorno, sono l’operatore dell’URP: come posso aiutarla?`);
    await assertNoAxeViolations(page, 'console with suggestions');
    await shot(page, 'console-suggestions-1280');
    assertNoProblems(page);
    await operator.setPresence('away');
  });

  it('admin: create a scheda, stale conflict from a second tab, publish, found by the public search', async () => {
    const context = await browser.newContext({ baseURL: srv.url, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
    await login(page, 'admin', 'admin-demo-2026');
    await page.goto('/esempio/admin#kb');
    await page.getByRole('tab', { name: 'Schede informative' }).waitFor();
    await page.locator(`#kb-table tr[data-article="${CIE}"]`).waitFor();
    await assertNoAxeViolations(page, 'admin: schede list');
    await page.getByRole('button', { name: 'Nuova scheda' }).click();
    const form = page.locator('#kb-form');
    const it_ = form.locator('fieldset[lang="it"]');
    await it_.getByLabel(/^Titolo/).fill('Passo carrabile');
    await it_.getByLabel(/^Riassunto/).fill('Come chiedere il cartello di passo carrabile per il tuo accesso.');
    await it_.getByLabel(/^Cos’è/).fill('Il passo carrabile permette di entrare e uscire con l’auto da un cancello.');
    await it_.getByLabel(/^Cosa serve/).fill('- domanda firmata\n- planimetria');
    await form.locator('#kb-title-en').fill('Driveway permit');
    // bootstrap-italia's checkbox is covered by its label: tick it the way a person does.
    await form.locator('#kb-offices label').first().click();
    assert.equal(await form.locator('#kb-offices input').first().isChecked(), true);
    await form.getByRole('button', { name: 'Salva' }).click();
    await waitForText(page.locator('#kb-editor [role="status"]'), 'Scheda «Passo carrabile» creata come bozza.');
    await page.locator('#kb-preview .kb-html li').filter({ hasText: 'planimetria' }).first().waitFor();
    await page.locator('#kb-versions tbody tr').first().waitFor();
    await page.locator('#kb-table tr[data-status="draft"]').filter({ hasText: 'Passo carrabile' }).waitFor();
    await assertNoAxeViolations(page, 'admin: scheda editor');
    await checkWidths(page, 'admin-kb');

    // A second tab edits and saves the same scheda first.
    const second = await context.newPage();
    await second.goto('/esempio/admin#kb');
    await second.locator('#kb-table tr').filter({ hasText: 'Passo carrabile' }).getByRole('button', { name: /^Modifica/ }).click();
    await second.locator('#kb-summary-it').fill('Il cartello per l’accesso carrabile: domanda e costi.');
    await second.getByRole('button', { name: 'Salva' }).click();
    await waitForText(second.locator('#kb-editor [role="status"]'), /salvata: versione \d+/);

    await it_.getByLabel(/^Quanto costa/).fill('Marca da bollo da 16 euro.');
    await form.getByRole('button', { name: 'Salva' }).click();
    const stale = page.locator('#kb-stale');
    await waitForText(stale, 'Qualcun altro ha modificato questa scheda: ricarica');
    await page.waitForFunction(() => document.activeElement?.id === 'kb-stale');
    await assertNoAxeViolations(page, 'admin: stale conflict');
    await stale.getByRole('button', { name: 'Ricarica la scheda' }).click();
    await stale.waitFor({ state: 'detached' });
    assert.equal(await page.locator('#kb-summary-it').inputValue(), 'Il cartello per l’accesso carrabile: domanda e costi.');

    await page.getByRole('button', { name: 'Pubblica' }).click();
    await waitForText(page.locator('#kb-current'), 'Pubblicata');
    await page.locator('#kb-table tr[data-status="published"]').filter({ hasText: 'Passo carrabile' }).waitFor();
    assert.ok((await page.locator('#kb-versions tbody tr').count()) >= 3, 'create, second tab, publish');
    assertNoProblems(page);

    const citizen = await newPage(browser, srv.url);
    await citizen.goto('/esempio/servizi');
    await citizen.getByLabel('Cerca un servizio o una domanda').fill('passo carrabile');
    await citizen.locator('#kb-results li').filter({ hasText: 'Passo carrabile' }).waitFor();
    await context.close();
  });
});
