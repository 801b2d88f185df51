// The Comune's public page with an injected clock: open/closed badges, next opening, this
// week's hours with today marked, channel hours; and the home page listing the enti.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoProblems, launchBrowser, newPage, textOf, waitForText } from './helpers.mjs';
import { startServer } from './server.mjs';

describe('public page on Monday 23 November 2026, 10:00 in Rome', () => {
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

  it('shows URP open until 19:00 and the Sindaco closed until tomorrow (Tuesday) 11:00', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');

    await page.getByRole('heading', { level: 1, name: 'Uffici e orari di ricevimento' }).waitFor();
    await waitForText(page.locator('.it-brand-title'), 'Comune di Esempio');

    const urp = page.locator('#office-urp');
    await waitForText(urp.locator('.office-status'), 'Aperto');
    assert.equal(await textOf(urp.locator('.office-status')), 'Aperto ora · chiude alle 19:00');
    assert.match(await textOf(urp.locator('h2')), /URP - Ufficio Relazioni con il Pubblico/);

    const sindaco = page.locator('#office-sindaco');
    await waitForText(sindaco.locator('.office-status'), 'Chiuso');
    assert.equal(await textOf(sindaco.locator('.office-status')), 'Chiuso · apre domani alle 11:00');

    // This week's hours: today (Monday) is marked, in the table and for assistive technology.
    const today = urp.locator('tbody tr th[aria-current="date"]');
    assert.equal(await today.count(), 1);
    assert.match(await textOf(today), /^lun 23 novembre oggi$/);
    assert.equal(await textOf(urp.locator('tbody tr[data-weekday="1"] td')), '08:00–19:00');
    assert.equal(await textOf(urp.locator('tbody tr[data-weekday="6"] td')), '08:00–14:00');
    assert.equal(await textOf(urp.locator('tbody tr[data-weekday="7"] td')), 'Chiuso');
    assert.equal(await textOf(sindaco.locator('tbody tr[data-weekday="2"] td')), '11:00–13:00');
    assert.equal(await textOf(sindaco.locator('tbody tr[data-weekday="4"] td')), '11:00–13:00');

    // Chat has hours of its own, and the channels are listed with text.
    assert.equal(await textOf(urp.locator('.channel-hours li[data-channel="chat"]')), 'Chat: mercoledì 14:00–17:00');
    await waitForText(urp.locator('.channel-badge'), 'Di persona');
    await waitForText(urp.locator('.channel-badge'), 'Chat');
    // Channels are information, not controls: no button or link, no button-like border.
    assert.equal(await urp.locator('.channel-list').getByRole('button').count(), 0);
    assert.equal(await urp.locator('.channel-list a').count(), 0);
    assert.equal(await urp.locator('.channel-badge').first().evaluate((el) => getComputedStyle(el).borderStyle), 'none');

    const staff = page.getByRole('link', { name: 'Area operatori' }).first();
    assert.equal(await staff.getAttribute('href'), '/esempio/login');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'it');
    assertNoProblems(page);
    await page.context().close();
  });

  it('home page lists the enti and leads to the Comune', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    const link = page.getByRole('link', { name: /Comune di Esempio/ }).first();
    await link.waitFor();
    await link.click();
    await page.waitForURL('**/esempio/');
    await waitForText(page.locator('#office-urp .office-status'), 'Aperto');
    assertNoProblems(page);
    await page.context().close();
  });
});

describe('public page on Sunday 22 November 2026, 10:00 in Rome', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: '2026-11-22T09:00:00Z' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('shows URP closed, opening tomorrow (Monday) at 08:00', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');
    const status = page.locator('#office-urp .office-status');
    await waitForText(status, 'Chiuso');
    assert.equal(await textOf(status), 'Chiuso · apre domani alle 08:00');
    // Sunday is today, and it is the last row of the week that started on Monday 16.
    const today = page.locator('#office-urp tbody th[aria-current="date"]');
    assert.match(await textOf(today), /^dom 22 novembre oggi$/);
    assert.equal(await textOf(page.locator('#office-urp tbody tr').first().locator('th')), 'lun 16 novembre');
    await page.context().close();
  });
});

describe('public page on Friday 27 November 2026, 14:30 in Rome', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: '2026-11-27T13:30:00Z' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('names the weekday when the next opening is two or more days away', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');
    const status = page.locator('#office-sindaco .office-status');
    await waitForText(status, 'Chiuso');
    assert.equal(await textOf(status), 'Chiuso · apre martedì alle 11:00');
    assertNoProblems(page);
    await page.context().close();
  });
});
