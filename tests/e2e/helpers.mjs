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
 * Runs in the page (one function for both layout checks, so that they agree on what counts as
 * visible text). `check` "overlap": the text lines that intersect; "covered": the lines drawn
 * under another element.
 */
async function textLayout({ sel, check }) {
  const scope = document.querySelector(sel) ?? document.body;
  // The text nodes a sighted person sees: not hidden, not for screen readers only (clipped to
  // nothing, whatever the class that hides it), not inside a closed control.
  function* visibleTexts() {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('.visually-hidden, [hidden], option, select, svg, script, style')) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) === 0) continue;
      if (/rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip) || cs.clipPath === 'inset(50%)') continue;
      // Not rendered through an ancestor: display none, or the body of a closed <details>.
      if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      yield { text: text.slice(0, 40), el, cs, rects: [...range.getClientRects()].filter((c) => c.width > 1 && c.height > 1) };
    }
  }
  // What the scrolling boxes around `el` (a chat log) let be seen of it.
  const scrollClip = (el) => {
    let clip = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflow === 'visible') continue;
      const b = e.getBoundingClientRect();
      clip = { left: Math.max(clip.left, b.left), top: Math.max(clip.top, b.top), right: Math.min(clip.right, b.right), bottom: Math.min(clip.bottom, b.bottom) };
    }
    return clip;
  };

  if (check === 'overlap') {
    const boxes = [];
    let node = 0;
    for (const { text, el, cs, rects } of visibleTexts()) {
      node++;
      // A text line's client rectangle is the font's content area, taller than the glyphs (with
      // Titillium Web 1.52 em): a big heading on a tight line height would "overlap" the line
      // above with no glyph touching. Keep one em around the middle, where the glyphs are, and
      // only what the scrolling boxes show.
      const em = parseFloat(cs.fontSize) || 16;
      const clip = scrollClip(el);
      for (const c of rects) {
        const mid = c.top + c.height / 2;
        const half = Math.min(c.height, em) / 2;
        const r = {
          left: Math.max(c.left, clip.left),
          right: Math.min(c.right, clip.right),
          top: Math.max(mid - half, clip.top),
          bottom: Math.min(mid + half, clip.bottom),
        };
        if (r.right - r.left > 1 && r.bottom - r.top > 1) boxes.push({ node, text, r });
      }
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
    return { bad, wide: document.documentElement.scrollWidth - window.innerWidth };
  }

  // "covered": one screen at a time, the element at the middle of each line must be the text's.
  const pinned = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const p = getComputedStyle(e).position;
      if (p === 'fixed' || p === 'sticky') return true;
    }
    return false;
  };
  const found = [];
  const height = window.innerHeight;
  const total = document.documentElement.scrollHeight;
  for (let y = 0; y < total && found.length < 5; y += height) {
    window.scrollTo(0, y);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (const { text, el, rects } of visibleTexts()) {
      if (found.length >= 5) break;
      const clip = scrollClip(el);
      for (const r of rects) {
        const x = r.left + r.width / 2;
        const cy = r.top + r.height / 2;
        if (cy < 0 || cy >= height || x < 0 || x >= window.innerWidth) continue;
        // Scrolled out of its own box (a chat log) is not covered.
        if (cy < clip.top || cy > clip.bottom || x < clip.left || x > clip.right) continue;
        const top = document.elementFromPoint(x, cy);
        if (!top || top === el || el.contains(top) || top.contains(el) || pinned(top)) continue;
        const who = top.id ? `#${top.id}` : `${top.tagName.toLowerCase()}.${[...top.classList].join('.')}`;
        const line = `"${text}" under ${who}`;
        if (!found.includes(line)) found.push(line);
        break;
      }
    }
  }
  window.scrollTo(0, 0);
  return { bad: found };
}

/**
 * The page's text does not overlap and nothing is wider than the window: every pair of visible
 * text lines inside `root` (the client rectangles of its text nodes) is checked for an
 * intersection larger than 2 px each way, and the document must not scroll sideways.
 * Returns nothing; fails listing the first overlapping texts.
 */
export async function assertNoOverlap(page, label, root = 'main') {
  const found = await page.evaluate(textLayout, { sel: root, check: 'overlap' });
  assert.deepEqual(found.bad, [], `overlapping text on ${label}`);
  assert.ok(found.wide <= 1, `${label} scrolls sideways by ${found.wide}px`);
}

/**
 * No visible text is drawn under another element: the page is scrolled one window at a time and,
 * for every text line inside `root`, the element at the middle of the line must be the text's own
 * element (or one inside or around it). Catches a bar or a lifted label covering a heading, which
 * assertNoOverlap (text against text) misses when the cover has no text at that spot. Covers that
 * stay in place while scrolling (fixed or sticky) are skipped: content scrolls under them by design.
 */
export async function assertNothingCovered(page, label, root = 'main') {
  const { bad } = await page.evaluate(textLayout, { sel: root, check: 'covered' });
  assert.deepEqual(bad, [], `text covered by another element on ${label}`);
}
