// Italian first, English second: the header switch changes every text, is remembered, and
// ?lang= selects a language too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newPage, textOf, waitForText } from './helpers.mjs';
import { startServer } from './server.mjs';

describe('language switch', () => {
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

  it('switches the public page to English and back', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');
    await waitForText(page.locator('#office-urp .office-status'), 'Aperto ora');

    const en = page.getByRole('button', { name: /^EN/ });
    assert.equal(await en.getAttribute('aria-pressed'), 'false');
    await en.click();
    await page.getByRole('heading', { level: 1, name: 'Offices and opening hours' }).waitFor();
    assert.equal(await en.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await textOf(page.locator('#office-urp .office-status')), 'Open now · closes at 19:00');
    assert.equal(await textOf(page.locator('#office-sindaco .office-status')), 'Closed · opens tomorrow at 11:00');
    assert.equal(await textOf(page.locator('#office-urp tbody tr[data-weekday="7"] td')), 'Closed');
    assert.match(await textOf(page.locator('#office-urp tbody th[aria-current="date"]')), /^Mon 23 November today$/);
    await page.getByRole('link', { name: 'Staff area' }).first().waitFor();

    // Remembered across pages.
    await page.goto('/esempio/login');
    await page.getByRole('heading', { level: 1, name: 'Staff sign in' }).waitFor();
    await page.getByLabel('Username').waitFor();

    // ?lang=it wins and is remembered.
    await page.goto('/esempio/?lang=it');
    await page.getByRole('heading', { level: 1, name: 'Uffici e orari di ricevimento' }).waitFor();
    await page.goto('/esempio/login');
    await page.getByRole('heading', { level: 1, name: 'Accesso operatori' }).waitFor();
    await page.context().close();
  });

  it('?lang=en opens the page in English', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/?lang=en');
    await page.getByRole('heading', { level: 1, name: 'Municipal virtual front offices' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.context().close();
  });
});
