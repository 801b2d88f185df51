// The virtual reception as its users drive it in the browser, shared by the browser tests:
// the operator's console signed in and on duty, a citizen knocking from the public page.
import assert from 'node:assert/strict';
import { login, newPage, waitForText } from './helpers.mjs';

/** Signs in through the login page and makes the operator available (knocks need one). */
export async function openConsole(browser, url, username, password) {
  const page = await newPage(browser, url);
  await login(page, username, password);
  await page.getByLabel('Il tuo stato').selectOption('available');
  await waitForText(page.locator('#live-region'), 'Stato aggiornato: Disponibile');
  await page.waitForFunction(() => document.body.dataset.live === 'subscribed');
  // The office's operators on duty now count this operator.
  await waitForText(page.locator('#queue-urp'), /Operatori disponibili: [1-9]/);
  // A click is the user gesture that unlocks the knock sound.
  await page.getByRole('button', { name: 'Attiva l’avviso sonoro' }).click();
  await waitForText(page.locator('#waiting-room .sound-state'), 'Avviso sonoro attivo');
  return page;
}

/** The citizen knocks on the URP's door from the public page. */
export async function knockFromPage(browser, url, { name, topic, mode }) {
  const page = await newPage(browser, url);
  await page.goto('/esempio/visit/urp');
  await page.getByRole('button', { name: 'Bussa alla porta' }).waitFor();
  await page.getByLabel(/^Nome/).fill(name);
  await page.getByLabel(/^Argomento/).fill(topic);
  // bootstrap-italia's radio is covered by its label: choose the mode the way a person does.
  const radio = page.getByRole('radio', { name: mode === 'video' ? /^Videochiamata/ : /^Chat/ });
  await page.locator(`label[for="${await radio.getAttribute('id')}"]`).click();
  assert.equal(await radio.isChecked(), true);
  await page.getByRole('button', { name: 'Bussa alla porta' }).click();
  await waitForText(page.locator('main'), /Sei il primo in attesa|Sei il \d+° in attesa/);
  return page;
}

const MEDIA_TIMEOUT = 30_000;

/**
 * Waits (up to 30 s) until the page's VisitCall has decoded video frames from the other side.
 * The predicate is synchronous on purpose: Playwright's waitForFunction takes a returned Promise
 * as a truthy value and resolves at once (an async predicate made this check pass with no media
 * at all). Each poll starts a getStats() and reads the figure the previous one left on the pc.
 */
export async function waitForFrames(page, who) {
  try {
    await page.waitForFunction(
      () => {
        const pc = window.__sportelloCall?.pc;
        if (!pc) return false;
        pc.getStats().then((s) => {
          let f = 0;
          s.forEach((r) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') f += r.framesDecoded || 0;
          });
          pc.framesDecodedSeen = f;
        });
        return (pc.framesDecodedSeen ?? 0) > 0;
      },
      null,
      { timeout: MEDIA_TIMEOUT, polling: 250 },
    );
  } catch (e) {
    throw new Error(`${who}: no video frame decoded within ${MEDIA_TIMEOUT} ms (${e.message})`);
  }
}
