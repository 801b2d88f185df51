// Every citizen page's first load stays within 150 kB transferred (issue 14; figures and how
// they were reached in docs/PERFORMANCE.md): compressed assets, the purged stylesheet, the lean
// icon sprite and the Latin-1 font subsets. A page that grows past it fails here, naming its
// largest downloads.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './helpers.mjs';
import { startServer } from './server.mjs';
import { citizenPages, weigh } from './weigh.mjs';

const LIMIT = 150_000;

describe('the first load of each citizen page', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: '2026-11-25T09:30:00Z' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it(`is at most ${LIMIT / 1000} kB transferred, and compressed`, async () => {
    const over = [];
    for (const [name, path] of Object.entries(await citizenPages(srv.url))) {
      const w = await weigh(browser, srv.url + path);
      assert.ok(w.requests > 3, `${name}: the page loaded its assets`);
      if (w.bytes > LIMIT) over.push(`${name} (${path}): ${w.bytes} bytes; largest ${JSON.stringify(w.largest)}`);
      // The same page without compression is several times bigger: compression is what holds it.
      if (name === 'offices') {
        const plain = await weigh(browser, srv.url + path, { 'Accept-Encoding': 'identity' });
        assert.ok(plain.bytes > 2 * w.bytes, `offices: ${plain.bytes} identity against ${w.bytes}`);
      }
    }
    assert.deepEqual(over, []);
  });
});
