// The knowledge base in the browser (issue 17): a citizen searches /esempio/servizi, opens the
// scheda of the identity card, sees its sections, its office's actions, its date (by the
// injected clock) and says "Sì"; the same in English; while knocking, the topic suggests the
// scheda and "Mi è stato utile" is recorded; in the knock form, the widget and the message form
// the question can end at the scheda ("Ho trovato la risposta", recorded as ended) and the form
// comes back on "Mi serve ancora aiuto"; the operator's console suggests it beside a
// conversation about the identity card and inserts its link and a canned answer into the chat,
// refreshes its suggestions when a scheda is published or archived (kb.updated) and records
// "Ha risposto"; beside a case, "Inserisci link" fills the reply; an admin creates a scheda,
// meets the "stale" conflict from a second tab, publishes it, and the public search finds it.
// axe on every page, and every new page at 1280 px and 390 px without overlapping text;
// screenshots in /tmp/kbshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoOverlap, assertNoProblems, launchBrowser, login, newPage, textOf, waitForText, consoleView } from './helpers.mjs';
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

async function counts(admin, slug) {
  const { articles } = await admin.ok('GET', '/api/v1/enti/esempio/kb/admin/articles');
  const a = articles.find((x) => x.slug === slug);
  assert.ok(a, `${slug} listed for staff`);
  return { helpful: a.helpful ?? 0, ended: a.ended ?? 0 };
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
    // Dated by the injected clock the demo was loaded at (before this test's today), not the
    // real day the suite runs.
    assert.match(await page.locator('main').textContent(), /Ultimo aggiornamento: domenica 1 novembre 2026/);
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

  // The question ends at the scheda, in each form that suggests: "Mi è stato utile", then "Ho
  // trovato la risposta, ho finito" gives the form's place to the thanks (the focus on it), the
  // end is counted on the article, and "Mi serve ancora aiuto" brings the form back as it was.
  for (const where of [
    { name: 'the knock form', path: '/esempio/visit/urp', prefix: 'knock', field: /^Argomento/, width: 1280 },
    { name: 'the widget', path: '/esempio/widget/urp', prefix: 'knock', field: /^Argomento/, width: 390 },
    { name: 'the message form', path: '/esempio/visit/urp', prefix: 'cb', field: /^Messaggio/, width: 390, open: 'Lascia un messaggio' },
  ]) {
    it(`deflection in ${where.name}: the question ends at the scheda, recorded; "Mi serve ancora aiuto" brings the form back`, async () => {
      const op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
      await op.setPresence('available');
      try {
        const page = await newPage(browser, srv.url);
        await page.setViewportSize({ width: where.width, height: where.width === 390 ? 844 : 900 });
        await page.goto(where.path);
        await page.getByRole('button', { name: 'Bussa alla porta' }).waitFor();
        if (where.open) await page.getByRole('button', { name: where.open }).click();
        const field = page.getByLabel(where.field);
        const text = 'Ho la carta d’identità scaduta, come la rinnovo?';
        await field.fill(text);
        const item = page.locator(`#${where.prefix}-deflect li[data-article="${CIE}"]`);
        await item.waitFor();
        const before = await counts(admin, CIE);
        await item.getByRole('button', { name: /^Mi è stato utile/ }).click();
        const end = page.locator(`#${where.prefix}-deflect-end`);
        await end.waitFor();
        await page.waitForFunction((id) => !document.getElementById(id)?.disabled, `${where.prefix}-deflect-end`);
        assert.equal(await end.textContent(), 'Ho trovato la risposta, ho finito');
        await end.click();
        const ended = page.locator(`#${where.prefix}-ended`);
        await ended.getByRole('heading', { name: 'Bene, hai trovato la risposta' }).waitFor();
        await waitForText(ended, 'abbiamo registrato che la scheda «Carta d\'identità elettronica» ha risposto alla tua domanda');
        await page.waitForFunction((id) => document.activeElement?.id === id, `${where.prefix}-ended`);
        assert.equal(await field.count(), 0, 'the form gave way');
        const link = ended.getByRole('link', { name: /Rileggi la scheda/ });
        assert.equal(await link.getAttribute('href'), `/esempio/servizi/${CIE}`);
        const after = await counts(admin, CIE);
        assert.equal(after.helpful, before.helpful + 1);
        assert.equal(after.ended, before.ended + 1, 'the end is recorded');
        await assertNoAxeViolations(page, `ended in ${where.name}`);
        await assertNoOverlap(page, `ended in ${where.name}`);
        await shot(page, `deflection-ended-${where.prefix}-${where.path.includes('widget') ? 'widget' : 'visit'}-${where.width}`);
        await ended.getByRole('button', { name: 'Mi serve ancora aiuto' }).click();
        await page.waitForFunction((id) => document.activeElement?.id === id, where.prefix === 'cb' ? 'cb-message' : 'knock-topic');
        assert.equal(await page.getByLabel(where.field).inputValue(), text, 'the form is back as it was');
        assertNoProblems(page);
        await page.context().close();
      } finally {
        await op.setPresence('away');
      }
    });
  }

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

  it('console: a scheda published meanwhile appears in the suggestions (kb.updated); "Ha risposto" is recorded', async () => {
    const operator = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await operator.setPresence('available');
    const citizen = await knockViaApi(srv.url, 'urp', { name: 'Paolo', topic: 'Passaporto per il viaggio di nozze' });
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    const row = page.locator(`#queue-urp .visit-row[data-visit="${citizen.visit.id}"]`);
    await row.getByRole('button', { name: /^Apri la porta/ }).click();
    const idp = `conv-${citizen.visit.id}`;
    const sugg = page.locator(`#${idp}-suggestions`);
    await sugg.getByRole('heading', { name: 'Suggerimenti' }).waitFor();
    // Nothing about passports yet (once the suggestions have come).
    await sugg.locator('.kb-suggest-none, li').first().waitFor();
    assert.equal(await sugg.locator('li[data-article="passaporto"]').count(), 0);
    // A supervisor publishes a scheda about passports: the console shows it without a reload.
    const sup = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const created = await sup.ok('POST', '/api/v1/enti/esempio/kb/admin/articles', {
      slug: 'passaporto',
      title: { it: 'Passaporto: richiesta in Questura', en: '' },
      summary: { it: 'Il passaporto si chiede in Questura; il Comune aiuta con i moduli.', en: '' },
      body: { it: 'Per il **passaporto** prenota in Questura.', en: '' },
      offices: ['urp'],
    });
    await sup.ok('POST', `/api/v1/enti/esempio/kb/admin/articles/${created.article.id}/status`, { status: 'published', version: created.article.version });
    const item = sugg.locator('li[data-article="passaporto"]');
    await item.waitFor();
    // "Ha risposto": counted on the scheda, the button says it is done.
    const before = await helpfulCount(admin, 'passaporto');
    const useful = item.getByRole('button', { name: /^La scheda ha risposto alla domanda/ });
    await useful.click();
    await page.waitForFunction(() => document.querySelector('li[data-article="passaporto"] .kb-suggest-useful')?.getAttribute('aria-pressed') === 'true');
    assert.equal(await helpfulCount(admin, 'passaporto'), before + 1);
    // Unpublished: it leaves the suggestions.
    const again = (await sup.ok('GET', `/api/v1/enti/esempio/kb/admin/articles/${created.article.id}`)).article;
    await sup.ok('POST', `/api/v1/enti/esempio/kb/admin/articles/${created.article.id}/status`, { status: 'archived', version: again.version });
    await sugg.locator('li[data-article="passaporto"]').waitFor({ state: 'detached' });
    await assertNoAxeViolations(page, 'console suggestions after kb.updated');
    await shot(page, 'console-suggestions-live-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'console-suggestions-live-390');
    assertNoProblems(page);
    await operator.setPresence('away');
  });

  it('console: suggestions beside a case from its subject; "Inserisci link" puts the scheda into the reply', async () => {
    const operator = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    const made = await operator.ok('POST', '/api/v1/enti/esempio/cases', {
      office: 'urp',
      subject: 'Rinnovo della carta d’identità scaduta',
      channel: 'phone',
      citizen: { name: 'Elena Rosa', phone: '+39 333 4445556' },
    });
    const code = made.case.code;
    const page = await newPage(browser, srv.url);
    await login(page, 'operatore', 'operatore-demo-2026');
    await consoleView(page, 'cases');
    await page.locator(`#cases-table tr[data-case="${code}"]`).waitFor();
    await page.getByRole('button', { name: `Apri ${code}` }).click();
    const sugg = page.locator('#cd-suggestions');
    await sugg.getByRole('heading', { name: 'Suggerimenti' }).waitFor();
    const item = sugg.locator(`li[data-article="${CIE}"]`);
    await item.waitFor();
    await item.getByRole('button', { name: /^Inserisci link/ }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'cd-reply');
    assert.equal(await page.locator('#cd-reply').inputValue(), `Carta d'identità elettronica — ${srv.url}/esempio/servizi/${CIE}`);
    await assertNoAxeViolations(page, 'case with suggestions');
    assertNoProblems(page);
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
