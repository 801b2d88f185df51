// Keyboard only: the skip link comes first, Tab reaches the login form, Enter submits it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newPage } from './helpers.mjs';
import { startServer } from './server.mjs';

describe('keyboard', () => {
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

  const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('tabs to the login form and submits it with Enter', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/login');
    await page.locator('#username').waitFor();

    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(first, 'Vai al contenuto principale');
    // The skip link is visible while focused.
    assert.ok(await page.locator('.skiplinks a').isVisible());

    let presses = 0;
    while ((await focusedId(page)) !== 'username') {
      assert.ok(++presses < 30, 'the username field was not reached with Tab');
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('operatore');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'password');
    await page.keyboard.type('operatore-demo-2026');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/esempio/console');
    await page.locator('#operator-name').waitFor();
    await page.context().close();
  });

  it('the skip link moves focus to the main content', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/');
    await page.locator('#office-urp').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    await page.context().close();
  });
});
