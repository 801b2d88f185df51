// Shared browser-test helpers: Debian's Chromium through playwright-core (never a downloaded
// browser), axe-core checks, and web-first waits (Playwright auto-waiting, no sleeps).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

export const TIMEOUT = 15_000;

/** @param {{ args?: string[] }} [opts] extra Chromium flags (e.g. fake camera and microphone) */
export async function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
}

/**
 * A fresh context + page on `baseURL`. Console errors and CSP violations are collected in
 * page.problems so that tests can assert the page ran cleanly.
 */
export async function newPage(browser, baseURL, { locale = 'it-IT' } = {}) {
  const context = await browser.newContext({ baseURL, locale, timezoneId: 'Europe/Rome' });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(msg.text());
  });
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  return page;
}

/** Waits until `locator` has an element whose text contains `text` (string or RegExp). */
export async function waitForText(locator, text, timeout = TIMEOUT) {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}

/** Waits for the text, then returns the element's whole textContent (normalised spaces). */
export async function textOf(locator, timeout = TIMEOUT) {
  await locator.first().waitFor({ state: 'visible', timeout });
  return ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Runs axe with the WCAG 2.1 A/AA tags and asserts there is no violation (printing them). */
export async function assertNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  if (results.violations.length > 0) {
    const lines = results.violations.map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n${nodes}`;
    });
    console.error(`axe violations on ${label}:\n${lines.join('\n')}`);
  }
  assert.equal(results.violations.length, 0, `axe found ${results.violations.length} violation(s) on ${label}`);
}

/** Signs in through the login form and waits for the console. */
export async function login(page, username, password, slug = 'esempio') {
  await page.goto(`/${slug}/login`);
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.waitForURL(`**/${slug}/console`);
  await page.locator('#operator-name').waitFor();
}

/**
 * No uncaught exception and no Content-Security-Policy violation happened on the page.
 * (Expected HTTP errors, e.g. the 401 of GET /session on the login page, are not problems.)
 */
export function assertNoProblems(page) {
  const bad = page.problems.filter((p) => p.startsWith('pageerror:') || /Content Security Policy/i.test(p));
  assert.deepEqual(bad, [], `page problems:\n${bad.join('\n')}`);
}
