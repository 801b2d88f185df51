// The embeddable widget and the kiosk against the real server. The widget's script is put on a
// page served from ANOTHER origin (a tiny local http server): allowed once the admin lists that
// origin in the ente's embed_origins, refused (CSP frame-ancestors) from an origin not listed.
// The kiosk is registered through the admin API and runs with a fake camera and microphone.
// Wednesday 2026-11-25 15:30 in Rome: URP chat and video are open. The operator is the API.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoProblems, launchBrowser, newPage, textOf, waitForText } from './helpers.mjs';
import { staffSession } from './reception-api.mjs';
import { startServer } from './server.mjs';

const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const WIDGET_LABEL = 'Linea diretta con l’URP';

/** A Comune's website on its own origin, with the widget's script tag. */
async function startHostSite(sportelloUrl, attrs = 'data-office="urp"') {
  const html = `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Comune di Esempio – sito istituzionale</title></head>
<body><main><h1>Comune di Esempio</h1><p>Il sito del Comune.</p></main>
<script src="${sportelloUrl}/widget.js" data-ente="esempio" ${attrs} async></script>
</body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.url === '/' ? html : 'not found');
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((res) => server.close(res)),
  };
}

/** The newest visit of the URP in `state` on `channel`, as staff see it. */
async function latestVisit(op, state, channel) {
  const { visits } = await op.visits('urp', state);
  return visits.filter((v) => v.channel === channel).sort((a, b) => b.knock_no - a.knock_no)[0];
}

describe('widget and kiosk, Wednesday 15:30', () => {
  let srv;
  let browser;
  let op;
  let admin;
  let allowedSite;
  let otherSite;
  let twoOfficesSite;
  before(async () => {
    srv = await startServer({ now: '2026-11-25T14:30:00Z' });
    browser = await launchBrowser({ args: MEDIA_ARGS });
    op = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await op.setPresence('available');
    admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    allowedSite = await startHostSite(srv.url);
    otherSite = await startHostSite(srv.url);
    twoOfficesSite = await startHostSite(srv.url, 'data-office="urp,anagrafe" data-position="top-left"');
    await admin.ok('PATCH', '/api/v1/enti/esempio', { embed_origins: [allowedSite.origin, twoOfficesSite.origin] });
  });
  after(async () => {
    await browser?.close();
    await allowedSite?.close();
    await otherSite?.close();
    await twoOfficesSite?.close();
    await srv?.stop();
  });

  it('on an allowed site: the red button opens the panel, knocking works inside, Escape closes', async () => {
    const page = await newPage(browser, allowedSite.origin);
    await page.goto('/');
    const button = page.getByRole('button', { name: WIDGET_LABEL });
    await button.waitFor();
    // Wednesday 15:30: the URP receives, and the button says so.
    assert.equal(await textOf(button), 'Linea diretta con l’URP Aperto ora');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('iframe').count(), 0, 'the panel loads only when asked');

    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const panel = page.getByRole('dialog', { name: WIDGET_LABEL });
    await panel.waitFor();
    // The focus moves into the panel.
    await page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');

    const frame = page.frameLocator(`iframe[title="${WIDGET_LABEL}"]`);
    await frame.getByRole('heading', { level: 1, name: /URP - Ufficio Relazioni con il Pubblico/ }).waitFor();
    // Chat first: it is the mode already chosen.
    assert.equal(await frame.getByRole('radio', { name: /^Chat/ }).isChecked(), true);
    await frame.getByLabel(/^Nome/).fill('Anna');
    await frame.getByRole('button', { name: 'Bussa alla porta' }).click();
    await waitForText(frame.locator('#queue-position'), 'Sei il primo in attesa');
    const visit = await latestVisit(op, 'waiting', 'widget');
    assert.equal(visit?.name, 'Anna');
    assert.equal(visit.mode, 'chat');
    await assertNoAxeViolations(page, 'widget panel on a Comune site');

    // Escape inside the frame closes the panel and gives the focus back to the button.
    await frame.locator('#queue-position').click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-expanded') === 'false');
    assert.equal(await panel.isVisible(), false);

    // Reopened, the same visit is still there; the operator turns it down with a reason.
    await button.click();
    await waitForText(frame.locator('#queue-position'), 'Sei il primo in attesa');
    await frame.locator('body').evaluate(() => new Promise((r) => {
      const ok = () => document.body.dataset.live === 'subscribed';
      if (ok()) r();
      else new MutationObserver((_, o) => ok() && (o.disconnect(), r())).observe(document.body, { attributes: true });
    }));
    await op.ok('POST', `/api/v1/visits/${visit.id}/reject`, { reason: 'Per questa pratica serve l’Anagrafe' });
    await waitForText(frame.locator('#reject-reason'), 'Motivo: Per questa pratica serve l’Anagrafe');
    assertNoProblems(page);
    await page.context().close();
  });

  it('on a site not in embed_origins: the button opens the visit page in a new tab, never a refused frame', async () => {
    const page = await newPage(browser, otherSite.origin);
    await page.goto('/');
    const button = page.getByRole('button', { name: WIDGET_LABEL });
    assert.equal(await textOf(button), 'Linea diretta con l’URP Aperto ora (si apre in una nuova scheda)');
    assert.equal(await button.getAttribute('aria-expanded'), null, 'no panel to expand');
    const popup = page.waitForEvent('popup');
    await button.click();
    const tab = await popup;
    await tab.getByRole('heading', { level: 1, name: /URP - Ufficio Relazioni con il Pubblico/ }).waitFor();
    assert.equal(new URL(tab.url()).pathname, '/esempio/visit/urp');
    assert.equal(await page.locator('iframe').count(), 0, 'no frame on a site that may not frame it');

    // A frame made by hand is still refused by the browser (frame-ancestors).
    const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.appendChild(f);
    }, `${srv.url}/esempio/widget/urp`);
    await refused;
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.equal(await frame.locator('#main').count(), 0, 'none of our content is rendered');
    await page.context().close();
  });

  it('several offices, button where the Comune wants it: choose the office, each says if it is open', async () => {
    const page = await newPage(browser, twoOfficesSite.origin);
    await page.goto('/');
    const button = page.getByRole('button', { name: WIDGET_LABEL });
    await button.waitFor();
    const box = await button.boundingBox();
    assert.ok(box.x < 40 && box.y < 40, `data-position="top-left": ${JSON.stringify(box)}`);
    await button.click();
    const panel = page.getByRole('dialog', { name: WIDGET_LABEL });
    await panel.getByText('Con quale ufficio vuoi parlare?').waitFor();
    const choices = panel.getByRole('list').getByRole('button');
    assert.deepEqual((await choices.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()), [
      'URP - Ufficio Relazioni con il Pubblico Aperto ora',
      'Anagrafe e Stato civile Chiuso ora: puoi lasciare un messaggio',
    ]);
    await page.waitForFunction(() => document.activeElement?.dataset.office === 'urp', null, { timeout: 5000 });
    await assertNoAxeViolations(page, 'widget: choose the office');
    await panel.getByRole('button', { name: /Anagrafe/ }).click();
    const frame = page.frameLocator(`iframe[title="${WIDGET_LABEL}"]`);
    await frame.getByRole('heading', { level: 1, name: /Anagrafe/ }).waitFor();
    assert.match(await page.locator('iframe').getAttribute('src'), /\/esempio\/widget\/anagrafe$/);
    await panel.getByRole('button', { name: 'Cambia ufficio' }).click();
    await panel.getByText('Con quale ufficio vuoi parlare?').waitFor();
    await page.context().close();
  });

  it('kiosk without a valid device token says so instead of offering the button', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/kiosk/sconosciuto');
    await waitForText(page.locator('#kiosk-error'), 'manca il codice del dispositivo');
    await page.goto('/kiosk/sconosciuto#token=non-valido');
    await waitForText(page.locator('#kiosk-error'), 'non è più valido');
    assert.equal(await page.getByRole('button', { name: 'Parla con un operatore' }).count(), 0);
    await assertNoAxeViolations(page, 'kiosk: bad token');
    await page.context().close();
  });

  it('kiosk: one touch to a video visit, then the faces, then back to the start with nothing kept', async () => {
    const created = await admin.ok('POST', '/api/v1/enti/esempio/kiosks', { name: 'Totem Centro Le Vele', office: 'urp' });
    const id = created.kiosk.id;
    const page = await newPage(browser, srv.url);
    // The token comes once in the fragment; ?idle=3 shortens the reset for the test.
    await page.goto(created.url.replace('#', '?idle=3#'));
    const talk = page.getByRole('button', { name: 'Parla con un operatore' });
    await talk.waitFor();
    await page.getByRole('heading', { level: 1, name: /URP - Ufficio Relazioni con il Pubblico/ }).waitFor();
    assert.ok(!page.url().includes('token'), `token left in the address: ${page.url()}`);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), `sportello.kiosk.${id}`), created.token);
    await assertNoAxeViolations(page, 'kiosk: start');

    /** What the browser keeps: only the device token, never anything of a visit. */
    const storage = () =>
      page.evaluate(() => ({
        local: Object.fromEntries(Object.entries(localStorage)),
        session: Object.fromEntries(Object.entries(sessionStorage)),
      }));
    const assertNothingPersonal = async (visitId) => {
      const s = await storage();
      assert.deepEqual(Object.keys(s.session), []);
      const keys = Object.keys(s.local).filter((k) => k !== 'sportello.lang');
      assert.deepEqual(keys, [`sportello.kiosk.${id}`]);
      assert.ok(!JSON.stringify(s).includes(visitId), 'the visit is not in storage');
    };

    // First person: knocks, is admitted, the call starts by itself; the operator ends it.
    await talk.click();
    await waitForText(page.locator('#queue-position'), 'Sei il primo in attesa');
    const visit = await latestVisit(op, 'waiting', 'kiosk');
    assert.equal(visit.mode, 'video');
    await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await op.admit(visit.id);
    await page.locator('.call-panel').waitFor();
    // Our own camera is previewed (muted), and the server knows the call is on.
    await page.waitForFunction(() => {
      const v = document.querySelector('video.call-local');
      return v?.muted && v.srcObject?.getVideoTracks().length > 0;
    });
    for (let i = 0; ; i++) {
      if ((await op.ok('GET', `/api/v1/visits/${visit.id}`)).call === 'active') break;
      assert.ok(i < 50, 'the kiosk never started the call');
      await page.waitForTimeout(100);
    }
    assert.equal(await page.getByLabel('Scrivi un messaggio').count(), 0, 'a totem has no keyboard');
    await page.getByRole('button', { name: 'Termina' }).waitFor();
    // On a landscape totem (1280×800, 1920×1080) the whole call is on the screen, nothing to scroll to.
    for (const [width, height] of [[1920, 1080], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      for (const name of ['Chiudi la videochiamata', 'Termina']) {
        const box = await page.getByRole('button', { name }).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= height, `"${name}" off-screen at ${width}×${height}: ${JSON.stringify(box)}`);
      }
    }
    await assertNoAxeViolations(page, 'kiosk: call');
    await assertNothingPersonal(visit.id);

    await page.evaluate(() => (window.__beforeReset = true));
    await op.end(visit.id);
    await page.getByRole('heading', { name: 'Come valuti il servizio ricevuto?' }).waitFor();
    await assertNoAxeViolations(page, 'kiosk: faces');
    await page.getByRole('button', { name: 'Soddisfatto', exact: true }).click();
    await waitForText(page.locator('#rating-thanks'), 'Grazie');
    // Back to the start: a fresh page (reloaded), the big button again.
    await page.waitForFunction(() => !window.__beforeReset && !!document.getElementById('kiosk-talk'), null, { timeout: 15_000 });
    await assertNothingPersonal(visit.id);
    const rated = (await op.visits('urp', 'ended')).visits.find((v) => v.id === visit.id);
    assert.equal(rated?.rating?.score, 'positive');
    assert.equal(rated.channel, 'kiosk');

    // Second person: turned away; nobody touches the screen, it goes back to the start by itself.
    await page.getByRole('button', { name: 'Parla con un operatore' }).click();
    await waitForText(page.locator('#queue-position'), 'Sei il primo in attesa');
    const second = await latestVisit(op, 'waiting', 'kiosk');
    await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
    await page.evaluate(() => (window.__beforeReset = true));
    await op.ok('POST', `/api/v1/visits/${second.id}/reject`, { reason: 'Prova' });
    await waitForText(page.locator('#reject-reason'), 'Prova');
    await page.waitForFunction(() => !window.__beforeReset && !!document.getElementById('kiosk-talk'), null, { timeout: 15_000 });
    await assertNothingPersonal(second.id);
    assert.equal(await textOf(page.locator('#kiosk-talk')), 'Parla con un operatore');
    assertNoProblems(page);
    await page.context().close();
  });
});
