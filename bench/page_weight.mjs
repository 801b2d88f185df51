// Bytes a citizen's phone downloads on a first visit, per citizen page (tests/e2e/weigh.mjs),
// in one run: as served (Chromium sends `Accept-Encoding: gzip, deflate, br`) and with
// `Accept-Encoding: identity`, i.e. without the server's compression.
//   node bench/page_weight.mjs            (needs build/sportello and web/dist)
//   SPORTELLO_WEB=/tmp/dist-full node bench/page_weight.mjs   (a web build with the whole
//   stylesheet: SPORTELLO_CSS_FULL=1 npx vite build --outDir /tmp/dist-full, in web/)
import { launchBrowser } from '../tests/e2e/helpers.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { citizenPages, weigh } from '../tests/e2e/weigh.mjs';

const srv = await startServer({ now: '2026-11-25T09:30:00Z' });
const browser = await launchBrowser();
try {
  const rows = [];
  for (const [page, path] of Object.entries(await citizenPages(srv.url))) {
    const served = await weigh(browser, srv.url + path);
    const identity = await weigh(browser, srv.url + path, { 'Accept-Encoding': 'identity' });
    rows.push({ page, requests: served.requests, kB: +(served.bytes / 1000).toFixed(1),
      identity_kB: +(identity.bytes / 1000).toFixed(1), ratio: +(identity.bytes / served.bytes).toFixed(2) });
  }
  console.table(rows);
} finally {
  await browser.close();
  await srv.stop();
}
