// Bytes a citizen's phone downloads on a first visit (empty cache), per citizen page: the sum
// of Chromium's encodedDataLength over every request the page makes until the network is idle
// (WebSocket frames not counted). Run twice in one session: as served (Chromium sends
// `Accept-Encoding: gzip, deflate, br`) and with `Accept-Encoding: identity`, i.e. what every
// page cost before the server compressed anything.
//   node bench/page_weight.mjs            (needs build/sportello and web/dist)
import { launchBrowser } from '../tests/e2e/helpers.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const srv = await startServer({ now: '2026-11-25T09:30:00Z' });
const browser = await launchBrowser();
try {
  const offices = await (await fetch(`${srv.url}/api/v1/enti/esempio/offices`)).json();
  const site = (offices.sites ?? offices.offices?.map((o) => o.site).filter(Boolean) ?? [])[0];
  const siteId = site?.id ?? site;
  const pages = {
    offices: '/esempio',
    visit: '/esempio/visit/anagrafe',
    widget: '/esempio/widget/anagrafe',
    kiosk: '/kiosk/none',
    booking: '/esempio/prenota',
    pratica: '/esempio/pratica',
    'phone ticket': `/esempio/ticket/${siteId}`,
    'ticket machine': `/ticket-machine/${siteId}`,
    board: `/board/${siteId}`,
  };
  const weigh = async (path, headers) => {
    const context = await browser.newContext({ extraHTTPHeaders: headers, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests += 1; });
    await page.goto(srv.url + path, { waitUntil: 'networkidle' });
    await context.close();
    return { bytes, requests };
  };
  const rows = [];
  for (const [name, path] of Object.entries(pages)) {
    const served = await weigh(path, {});
    const identity = await weigh(path, { 'Accept-Encoding': 'identity' });
    rows.push({ page: name, path, kb: +(served.bytes / 1000).toFixed(1), requests: served.requests,
      identity_kb: +(identity.bytes / 1000).toFixed(1), ratio: +(identity.bytes / served.bytes).toFixed(2) });
  }
  console.table(rows);
  console.log(JSON.stringify(rows));
} finally {
  await browser.close();
  await srv.stop();
}
