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
 * Opens one of the console's views (issue 13: "#/agenda", "#/pratiche", "#/postazione",
 * "#/statistiche", "#/supervisione", "#/profilo"; "workspace" = "#/") through its navigation link.
 */
export async function consoleView(page, view) {
  await page.locator(`nav.ws-nav a[data-view="${view}"]`).click();
  await page.locator(`nav.ws-nav a[data-view="${view}"][aria-current="page"]`).waitFor();
}

/**
 * No uncaught exception and no Content-Security-Policy violation happened on the page.
 * (Expected HTTP errors, e.g. the 401 of GET /session on the login page, are not problems.)
 */
export function assertNoProblems(page) {
  const bad = page.problems.filter((p) => p.startsWith('pageerror:') || /Content Security Policy/i.test(p));
  assert.deepEqual(bad, [], `page problems:\n${bad.join('\n')}`);
}

/**
 * The page's text does not overlap and nothing is wider than the window: every pair of visible
 * text lines inside `root` (the client rectangles of its text nodes) is checked for an
 * intersection larger than 2 px each way, and the document must not scroll sideways.
 * Returns nothing; fails listing the first overlapping texts.
 */
export async function assertNoOverlap(page, label, root = 'main') {
  const found = await page.evaluate((sel) => {
    const scope = document.querySelector(sel) ?? document.body;
    const boxes = [];
    let node = 0;
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      if (!text) continue;
      const el = n.parentElement;
      if (!el || el.closest('.visually-hidden, [hidden], option, select, svg, script, style')) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) === 0) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      node++;
      for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push({ node, text: text.slice(0, 40), r });
    }
    const bad = [];
    for (let i = 0; i < boxes.length && bad.length < 5; i++)
      for (let j = i + 1; j < boxes.length && bad.length < 5; j++) {
        if (boxes[i].node === boxes[j].node) continue; // one text's own lines
        const a = boxes[i].r;
        const b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) bad.push(`"${boxes[i].text}" × "${boxes[j].text}"`);
      }
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    return { bad, wide };
  }, root);
  assert.deepEqual(found.bad, [], `overlapping text on ${label}`);
  assert.ok(found.wide <= 1, `${label} scrolls sideways by ${found.wide}px`);
}
