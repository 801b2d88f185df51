// Bytes a citizen's phone downloads on a first visit (empty cache, 390 px viewport): the sum of
// Chromium's encodedDataLength over every request a page makes until the network is idle
// (WebSocket frames not counted). Used by page-weight.test.mjs (the 150 kB aim of
// docs/PERFORMANCE.md) and bench/page_weight.mjs (the figures, with and without compression).

/** The citizen pages of the demo Comune, by name → path. */
export async function citizenPages(baseUrl) {
  const offices = await (await fetch(`${baseUrl}/api/v1/enti/esempio/offices`)).json();
  const site = offices.offices?.find((o) => o.site)?.site.id;
  if (!site) throw new Error('the demo Comune has no site');
  return {
    offices: '/esempio',
    'visit (knock)': '/esempio/visit/anagrafe',
    'widget panel': '/esempio/widget/anagrafe',
    kiosk: '/kiosk/none',
    booking: '/esempio/prenota',
    pratica: '/esempio/pratica',
    'phone ticket': `/esempio/ticket/${site}`,
    'ticket machine': `/ticket-machine/${site}`,
    board: `/board/${site}`,
    'personal area': '/esempio/area-personale',
    'visitor pass': '/esempio/pass',
  };
}

/** { bytes, requests, largest: [[bytes, path]…] } of one first visit to `url`. */
export async function weigh(browser, url, headers = {}) {
  const context = await browser.newContext({ extraHTTPHeaders: headers, viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const urls = new Map();
    const sizes = [];
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => sizes.push([e.encodedDataLength, new URL(urls.get(e.requestId) ?? url).pathname]));
    await page.goto(url, { waitUntil: 'networkidle' });
    const bytes = sizes.reduce((s, [b]) => s + b, 0);
    return { bytes, requests: sizes.length, largest: sizes.sort((a, b) => b[0] - a[0]).slice(0, 5) };
  } finally {
    await context.close();
  }
}
