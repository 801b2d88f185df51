// The virtual reception from both sides, in two browser contexts against the real server:
// a citizen knocks on the URP's door (page /esempio/visit/urp) asking for video; the operator's
// console hears the knock live, opens the door; they chat both ways; video frames are decoded
// on BOTH sides (fake camera); the operator ends the visit as resolved, the citizen rates it and
// the console's "ended today" list shows the rating. Then the same call forced through a real
// coturn (relay only), two operators racing to open the same door (and a rejection), the
// one-video-call rule, a transfer and a message left, and the admin registering a kiosk.
// Wednesday 2026-11-25 15:30 in Rome: URP chat and video are open.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCoturn } from './coturn.mjs';
import {
  assertNoAxeViolations,
  assertNoProblems,
  launchBrowser,
  login,
  newPage,
  textOf,
  waitForText,
} from './helpers.mjs';
import { knockViaApi } from './reception-api.mjs';
import { knockFromPage, openConsole, waitForFrames } from './reception-pages.mjs';
import { startServer } from './server.mjs';

const NOW = '2026-11-25T14:30:00Z';
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** Candidate types of the selected (succeeded) candidate pair of the page's call. */
function selectedPair(page) {
  return page.evaluate(async () => {
    const s = await window.__sportelloCall.pc.getStats();
    let pair = null;
    s.forEach((r) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) pair = s.get(r.selectedCandidatePairId) ?? pair;
    });
    if (!pair) s.forEach((r) => {
      if (r.type === 'candidate-pair' && r.state === 'succeeded' && (r.nominated || !pair)) pair = r;
    });
    if (!pair) return null;
    return {
      state: pair.state,
      local: s.get(pair.localCandidateId)?.candidateType,
      remote: s.get(pair.remoteCandidateId)?.candidateType,
    };
  });
}

/**
 * The whole visit, both sides: knock (video) → live knock in the console → admit → chat both
 * ways → video both ways → (`beforeEnd`, with the call up) → end as resolved → rating, seen
 * in the console. Returns both pages and the visit id.
 */
async function fullVisit(browser, url, { name, topic, beforeEnd }) {
  const op = await openConsole(browser, url, 'operatore', 'operatore-demo-2026');
  const citizen = await knockFromPage(browser, url, { name, topic, mode: 'video' });

  // The knock arrives live: row, visible alert, announcement and the beep.
  const row = op.locator('#queue-urp .visit-row').filter({ hasText: name });
  await row.waitFor();
  const visitId = await row.getAttribute('data-visit');
  assert.ok(visitId);
  assert.equal(await textOf(row.locator('.visit-topic')), topic);
  assert.equal(await row.locator('[data-channel="web"]').count(), 1);
  assert.equal(await row.locator('[data-mode="video"]').count(), 1);
  await waitForText(row.locator('.visit-since'), 'in attesa da');
  const expected = `Nuova bussata all’ufficio URP: ${name} — ${topic}`;
  await waitForText(op.locator('#knock-alert'), expected);
  await waitForText(op.locator('#live-region'), expected);
  await op.waitForFunction(() => Number(document.querySelector('.reception')?.dataset.beeps) > 0);

  // Open the door: the conversation opens as a tab, the row leaves the list.
  await row.getByRole('button', { name: /^Apri la porta/ }).click();
  const conv = op.locator(`.conversation[data-visit="${visitId}"]`);
  await conv.waitFor();
  await row.waitFor({ state: 'detached' });
  assert.equal(await op.getByRole('tab', { name: new RegExp(name) }).getAttribute('aria-selected'), 'true');
  await citizen.locator('#chat-input').waitFor();

  // Chat both ways: the citizen writes, the operator sees it; the operator answers with Enter.
  // While one writes, the other reads "… sta scrivendo…"; the message ends it.
  await citizen.getByLabel('Scrivi un messaggio').fill('Buongiorno, ho bisogno del certificato di residenza');
  await waitForText(conv.locator('.chat-typing'), `${name} sta scrivendo…`);
  await citizen.locator('#chat-send').click();
  await waitForText(conv.locator('.msg-citizen .msg-body'), 'certificato di residenza');
  await op.waitForFunction((id) => document.querySelector(`.conversation[data-visit="${id}"] .chat-typing`)?.textContent === '', visitId);
  const input = conv.getByLabel(`Scrivi un messaggio a ${name}`);
  await input.fill('Certo, glielo preparo subito');
  await waitForText(citizen.locator('#chat-typing'), 'Giulia Rossi sta scrivendo…');
  await input.press('Enter');
  await waitForText(citizen.locator('#chat-log'), 'glielo preparo subito');
  await citizen.waitForFunction(() => document.getElementById('chat-typing')?.textContent === '');
  await waitForText(conv.locator('.msg-operator .msg-body'), 'glielo preparo subito');
  assert.equal(await input.inputValue(), '');
  // The citizen's page marks the operator's message as read: the console shows it.
  await waitForText(conv.locator('.msg-operator .msg-read'), 'Letto');

  // Video both ways (the citizen asked for video: their page starts the call, the console's
  // VisitCall makes the offer).
  await conv.locator('.call-area').waitFor();
  await waitForFrames(op, 'operator');
  await waitForFrames(citizen, 'citizen');
  await waitForText(conv.locator('.call-area'), 'Collegato');

  if (beforeEnd) await beforeEnd({ op, citizen, conv, visitId });

  // End as resolved; the citizen rates; the console's "ended today" list shows the rating.
  await conv.getByLabel('Esito').selectOption('resolved');
  await conv.getByRole('button', { name: 'Termina' }).click();
  await waitForText(conv.locator('.conv-status'), 'Conversazione terminata');
  await conv.locator('.call-area').waitFor({ state: 'detached' });
  const face = citizen.getByRole('radio', { name: 'Soddisfatto', exact: true });
  await citizen.locator(`label[for="${await face.getAttribute('id')}"]`).click();
  await citizen.getByRole('button', { name: 'Invia la valutazione' }).click();
  await waitForText(citizen.locator('main'), 'Grazie per la tua valutazione!');
  const ended = op.locator(`#ended-today tr[data-visit="${visitId}"]`);
  await waitForText(ended.locator('.ended-rating'), 'Positiva');
  assert.equal(await textOf(ended.locator('td').nth(2)), 'Risolta');

  const api = await (await op.request.get(`/api/v1/enti/esempio/offices/urp/visits?state=ended&limit=10`)).json();
  const v = api.visits.find((x) => x.id === visitId);
  assert.equal(v.outcome, 'resolved');
  assert.equal(v.rated, true);
  if (v.rating) assert.equal(v.rating.score, 'positive');
  return { op, citizen, visitId };
}

describe('virtual reception: the console', () => {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer({ now: NOW });
    browser = await launchBrowser({ args: MEDIA_ARGS });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('a citizen knocks for video; the operator admits, they chat, see each other, end and rate', async () => {
    const { op, citizen } = await fullVisit(browser, srv.url, {
      name: 'Mario',
      topic: 'Residenza',
      beforeEnd: async ({ op: page }) => {
        // The console with a conversation, its transcript and the call is accessible.
        await assertNoAxeViolations(page, 'console with a conversation and a video call');
      },
    });
    assertNoProblems(op);
    assertNoProblems(citizen);
    await op.context().close();
    await citizen.context().close();
  });

  it('two operators open the same door: one gets the conversation, the other is told', async () => {
    const a = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    const b = await openConsole(browser, srv.url, 'supervisore', 'supervisore-demo-2026');
    const { visit } = await knockViaApi(srv.url, 'urp', { name: 'Lucia', topic: 'Tributi', mode: 'chat' });
    const rows = [a, b].map((p) => p.locator(`#queue-urp .visit-row[data-visit="${visit.id}"]`));
    await Promise.all(rows.map((r) => r.waitFor()));

    // The console with a populated waiting room is accessible.
    await assertNoAxeViolations(a, 'console with a citizen waiting');

    // Both press "Apri la porta" at the same moment.
    const buttons = await Promise.all(rows.map((r) => r.getByRole('button', { name: /^Apri la porta/ }).elementHandle()));
    await Promise.all(buttons.map((h) => h.evaluate((el) => el.click())));

    const outcome = async (p) => {
      const won = p.locator(`.conversation[data-visit="${visit.id}"]`);
      const lost = p.locator('#queue-urp .queue-notice');
      await won.or(lost).first().waitFor();
      return (await won.count()) > 0 ? 'won' : 'lost';
    };
    const results = await Promise.all([a, b].map(outcome));
    assert.deepEqual([...results].sort(), ['lost', 'won'], `outcomes: ${results}`);
    const loser = results[0] === 'lost' ? a : b;
    const winner = results[0] === 'won' ? a : b;
    await waitForText(loser.locator('#queue-urp .queue-notice'), 'Un altro operatore ha già aperto la porta');
    assert.equal(await loser.getByRole('alert').filter({ hasText: 'Un altro operatore' }).count(), 1);
    // The list was refreshed: the visit is no longer waiting on either console.
    await rows[[a, b].indexOf(loser)].waitFor({ state: 'detached' });
    assert.equal(await loser.locator(`.conversation[data-visit="${visit.id}"]`).count(), 0);

    const who = await (await winner.request.get('/api/v1/session')).json();
    const v = await (await winner.request.get(`/api/v1/visits/${visit.id}`)).json();
    assert.equal(v.state, 'admitted');
    assert.equal(v.operator.id, who.operator.id);

    // The winner ends it (abandoned) so that the next tests start from an empty room.
    const conv = winner.locator(`.conversation[data-visit="${visit.id}"]`);
    await conv.getByLabel('Esito').selectOption('abandoned');
    await conv.getByRole('button', { name: 'Termina' }).click();
    await waitForText(conv.locator('.conv-status'), 'Conversazione terminata');

    // "Rifiuta" asks for the reason, which the citizen then reads.
    const other = await knockViaApi(srv.url, 'urp', { name: 'Piero', mode: 'chat' });
    const row = loser.locator(`#queue-urp .visit-row[data-visit="${other.visit.id}"]`);
    await row.getByRole('button', { name: /^Rifiuta/ }).click();
    await row.getByRole('button', { name: 'Conferma il rifiuto' }).click();
    await waitForText(row.locator('.field-error'), 'Campo obbligatorio');
    await row.getByLabel(/^Motivo del rifiuto/).fill('Per questa pratica serve l’ufficio Tributi');
    await row.getByRole('button', { name: 'Conferma il rifiuto' }).click();
    await row.waitFor({ state: 'detached' });
    await winner.locator(`#queue-urp .visit-row[data-visit="${other.visit.id}"]`).waitFor({ state: 'detached' });
    const rejected = await (await loser.request.get(`/api/v1/visits/${other.visit.id}`)).json();
    assert.equal(rejected.state, 'rejected');
    assert.equal(rejected.reject_reason, 'Per questa pratica serve l’ufficio Tributi');
    assertNoProblems(a);
    assertNoProblems(b);
    await a.context().close();
    await b.context().close();
  });

  it('proposes video in a chat, refuses a second video call, transfers; handles a message left', async () => {
    const op = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    // A video visit whose citizen (through the API) has started the call: the operator is in it.
    const video = await knockViaApi(srv.url, 'urp', { name: 'Giorgio', mode: 'video' });
    await op.locator(`#queue-urp .visit-row[data-visit="${video.visit.id}"]`).getByRole('button', { name: /^Apri la porta/ }).click();
    const videoConv = op.locator(`.conversation[data-visit="${video.visit.id}"]`);
    await videoConv.waitFor();
    const started = await fetch(`${srv.url}/api/v1/visits/${video.visit.id}/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Visit-Token': video.token, Origin: srv.url },
      body: '{}',
    });
    assert.equal(started.status, 200, await started.text());
    await videoConv.locator('.call-area').waitFor();

    // A chat visit: the operator proposes a video call, the citizen is asked.
    const chat = await knockViaApi(srv.url, 'urp', { name: 'Elena', topic: 'Anagrafe', mode: 'chat' });
    // By keyboard: Enter on "Apri la porta" opens the conversation and moves the focus to it.
    await op.locator(`#queue-urp .visit-row[data-visit="${chat.visit.id}"]`).getByRole('button', { name: /^Apri la porta/ }).focus();
    await op.keyboard.press('Enter');
    const conv = op.locator(`.conversation[data-visit="${chat.visit.id}"]`);
    await conv.waitFor();
    await op.waitForFunction((id) => document.activeElement?.id === `conv-${id}-title`, chat.visit.id);
    assert.equal(await op.getByRole('tab', { name: /Elena/ }).getAttribute('aria-selected'), 'true');
    await conv.getByRole('button', { name: 'Proponi videochiamata' }).click();
    await waitForText(conv, 'Videochiamata proposta');
    const proposed = await fetch(`${srv.url}/api/v1/visits/${chat.visit.id}`, { headers: { 'X-Visit-Token': chat.token } });
    assert.equal((await proposed.json()).call, 'proposed');
    // Starting video here while the other call is up: the server refuses, the console says why.
    await conv.getByRole('button', { name: 'Avvia video' }).click();
    await waitForText(conv.locator('.call-error'), 'Hai già una videochiamata in corso');
    assert.equal(await conv.locator('.call-area').count(), 0);

    // Transfer to Anagrafe (also the operator's office): it waits there again, keeping its knock.
    await conv.getByLabel('Trasferisci a un altro ufficio').selectOption({ label: 'Anagrafe e Stato civile' });
    await conv.getByRole('button', { name: 'Trasferisci' }).click();
    await waitForText(conv.locator('.conv-status'), 'Trasferita all’ufficio Anagrafe e Stato civile');
    const moved = op.locator(`#queue-anagrafe .visit-row[data-visit="${chat.visit.id}"]`);
    await moved.waitFor();
    assert.equal(await moved.getAttribute('data-knock'), String(chat.visit.knock_no));
    await conv.getByRole('button', { name: /^Chiudi la scheda/ }).click();
    await conv.waitFor({ state: 'detached' });
    await op.getByRole('tab', { name: /Giorgio/ }).waitFor();

    // A message left on the offline form arrives live and is marked as handled, with a note.
    const left = await fetch(`${srv.url}/api/v1/enti/esempio/offices/urp/callback-requests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: srv.url },
      body: JSON.stringify({ name: 'Paolo Verdi', contact: 'paolo@example.it', message: 'Orari della biblioteca?', privacy_accepted: true }),
    });
    assert.equal(left.status, 201);
    const { code } = await left.json();
    const item = op.locator(`#callbacks .callback-item[data-code="${code}"]`);
    await waitForText(item, 'Orari della biblioteca?');
    await waitForText(op.locator('#live-region'), 'Nuovo messaggio lasciato all’ufficio URP');
    await item.getByRole('button', { name: /^Segna come gestito/ }).click();
    await item.getByLabel('Nota (facoltativa)').fill('Richiamato alle 15:40');
    await item.getByRole('button', { name: /^Conferma/ }).click();
    await item.waitFor({ state: 'detached' });
    const done = await (await op.request.get('/api/v1/enti/esempio/callback-requests?state=done')).json();
    const handled = done.callback_requests.find((r) => r.code === code);
    assert.equal(handled.state, 'done');
    assert.equal(handled.note, 'Richiamato alle 15:40');

    // Clean up: hang up and end the video visit; reject the transferred one.
    await op.getByRole('tab', { name: /Giorgio/ }).click();
    await videoConv.getByRole('button', { name: 'Chiudi la videochiamata' }).click();
    await videoConv.locator('.call-area').waitFor({ state: 'detached' });
    await videoConv.getByRole('button', { name: 'Termina' }).click();
    await waitForText(videoConv.locator('.conv-status'), 'Conversazione terminata');
    await moved.getByRole('button', { name: /^Rifiuta/ }).click();
    await moved.getByLabel(/^Motivo del rifiuto/).fill('Prova');
    await moved.getByRole('button', { name: 'Conferma il rifiuto' }).click();
    await moved.waitFor({ state: 'detached' });
    assertNoProblems(op);
    await op.context().close();
  });

  it('the admin registers a kiosk and sees its one-time address', async () => {
    const page = await newPage(browser, srv.url);
    await login(page, 'admin', 'admin-demo-2026');
    await page.goto('/esempio/admin#kiosks');
    await page.getByRole('tab', { name: 'Totem / Chioschi' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Totem / Chioschi' }).getAttribute('aria-selected'), 'true');
    await page.locator('#kiosks-table').waitFor();
    await page.getByLabel(/^Nome/).fill('Totem centro commerciale');
    const office = page.getByLabel(/^Ufficio/);
    await office.locator('option', { hasText: 'URP - Ufficio Relazioni con il Pubblico' }).waitFor({ state: 'attached' });
    await office.selectOption({ label: 'URP - Ufficio Relazioni con il Pubblico' });
    await page.getByRole('button', { name: 'Registra' }).click();

    const url = page.locator('#kiosk-url');
    await url.waitFor();
    const value = await url.inputValue();
    assert.match(value, new RegExp(`^${srv.url.replace(/\./g, '\\.')}/kiosk/[^/#]+#token=.{16,}$`));
    await waitForText(page.locator('#kiosk-secret'), 'mostrato una sola volta');
    await page.getByRole('button', { name: 'Copia l’indirizzo' }).waitFor();
    const row = page.locator('#kiosks-table tbody tr').filter({ hasText: 'Totem centro commerciale' });
    await waitForText(row, 'URP - Ufficio Relazioni con il Pubblico');
    await waitForText(row, 'Mai');
    await assertNoAxeViolations(page, 'admin: kiosks with the one-time address');

    // The list never shows the token again.
    const list = await (await page.request.get('/api/v1/enti/esempio/kiosks')).json();
    const id = value.split('/kiosk/')[1].split('#')[0];
    const k = list.kiosks.find((x) => x.id === id);
    assert.equal(k.name, 'Totem centro commerciale');
    assert.ok(!JSON.stringify(list).includes(value.split('#token=')[1]));
    await page.reload();
    await page.locator('#kiosks-table').waitFor();
    await waitForText(page.locator('#kiosks-table tbody tr'), 'Totem centro commerciale');
    assert.equal(await page.locator('#kiosk-url').count(), 0);

    // A new address replaces the old one (asked to confirm); then the kiosk is deactivated.
    await row.getByRole('button', { name: /^Nuovo indirizzo/ }).click();
    await waitForText(row, 'smetterà di funzionare');
    await row.getByRole('button', { name: 'Sì' }).click();
    await url.waitFor();
    const second = await url.inputValue();
    assert.match(second, new RegExp(`/kiosk/${id}#token=`));
    assert.notEqual(second, value);
    await row.getByRole('button', { name: /^Disattiva/ }).click();
    await row.getByRole('button', { name: 'Sì' }).click();
    await waitForText(page.locator('#live-region'), 'Totem disattivato: Totem centro commerciale');
    const after = await (await page.request.get('/api/v1/enti/esempio/kiosks')).json();
    assert.equal(after.kiosks.find((x) => x.id === id).active, false);
    assertNoProblems(page);
    await page.context().close();
  });
});

describe('virtual reception: video through TURN only', () => {
  let turn;
  let srv;
  let browser;
  before(async () => {
    turn = await startCoturn();
    srv = await startServer({
      now: NOW,
      extraArgs: [
        '--turn-urls',
        `turn:127.0.0.1:${turn.port}?transport=udp`,
        '--turn-secret',
        turn.secret,
        '--ice-transport-policy',
        'relay',
      ],
    });
    browser = await launchBrowser({ args: MEDIA_ARGS });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    await turn?.stop();
  });

  it('the same visit with iceTransportPolicy relay: media flows through coturn', async () => {
    const { op, citizen } = await fullVisit(browser, srv.url, {
      name: 'Anna',
      topic: 'Carta d’identità',
      beforeEnd: async ({ op: page, citizen: cit, visitId }) => {
        const ice = await (await page.request.get(`/api/v1/visits/${visitId}/ice`)).json();
        assert.equal(ice.ice_transport_policy, 'relay');
        assert.ok(ice.ice_servers.some((s) => [].concat(s.urls).some((u) => u.includes(`127.0.0.1:${turn.port}`))));
        for (const [p, who] of [
          [page, 'operator'],
          [cit, 'citizen'],
        ]) {
          // Chromium may report the selected pair as "in-progress" for a moment while its
          // consent checks are answered (the media already flows): wait for "succeeded".
          let pair = await selectedPair(p);
          for (let i = 0; i < 50 && pair?.state !== 'succeeded'; i++) {
            await new Promise((r) => setTimeout(r, 200));
            pair = await selectedPair(p);
          }
          assert.ok(pair, `${who}: no selected candidate pair`);
          assert.equal(pair.state, 'succeeded', `${who}: ${JSON.stringify(pair)}`);
          assert.equal(pair.local, 'relay', `${who}: ${JSON.stringify(pair)}`);
        }
      },
    });
    assertNoProblems(op);
    assertNoProblems(citizen);
    await op.context().close();
    await citizen.context().close();
  });
});
