// Two nodes of one installation on one PostgreSQL, as behind a load balancer without affinity:
// the citizen's page is served by node A, the operator's console by node B. The knock reaches
// the console through the event bus, and the video call's signalling (offer, answer, trickled
// ICE candidates) crosses from node to node through the signalling bus
// (src/platform/pg_signal_bus.h): video frames are decoded on BOTH sides (fake camera).
// Needs $SPORTELLO_TEST_PG (tests/run_all.sh sets it for every suite): without it the test fails
// and says so. Wednesday 2026-11-25 15:30 in Rome: URP video is open.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertNoProblems, launchBrowser, waitForText } from './helpers.mjs';
import { knockFromPage, openConsole, waitForFrames } from './reception-pages.mjs';
import { freshPgDatabase, startServer } from './server.mjs';

const NOW = '2026-11-25T14:30:00Z';
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** The sizes of the call's descriptions as the page holds them (bytes of SDP). */
function sdpSizes(page) {
  return page.evaluate(() => {
    const pc = window.__sportelloCall?.pc;
    return {
      local: pc?.localDescription?.sdp?.length ?? 0,
      remote: pc?.remoteDescription?.sdp?.length ?? 0,
      candidates: (pc?.localDescription?.sdp?.match(/^a=candidate:/gm) ?? []).length,
    };
  });
}

describe('two nodes: the citizen on one, the operator on the other', () => {
  // Set up in the test, not in before(): a failed before() reports its tests as "cancelled".
  const env = {};
  after(async () => {
    await env.browser?.close();
    await env.b?.stop();
    await env.a?.stop();
    await env.db?.drop();
  });

  it('video both ways, with signalling relayed between the nodes', { timeout: 120_000 }, async () => {
    env.db = await freshPgDatabase();
    env.a = await startServer({ now: NOW, database: env.db.url });
    env.b = await startServer({ now: NOW, database: env.db.url });
    assert.notEqual(env.a.url, env.b.url);
    env.browser = await launchBrowser({ args: MEDIA_ARGS });

    const op = await openConsole(env.browser, env.b.url, 'operatore', 'operatore-demo-2026');
    const citizen = await knockFromPage(env.browser, env.a.url, { name: 'Teresa', topic: 'Cambio di residenza', mode: 'video' });
    // Each page talks to its own node only (same-origin API and WebSocket).
    assert.ok(op.url().startsWith(env.b.url));
    assert.ok(citizen.url().startsWith(env.a.url));

    // The knock, made on A, reaches B's console live.
    const row = op.locator('#queue-urp .visit-row').filter({ hasText: 'Teresa' });
    await row.waitFor();
    const visitId = await row.getAttribute('data-visit');
    assert.ok(visitId);
    await row.getByRole('button', { name: /^Apri la porta/ }).click();
    const conv = op.locator(`.conversation[data-visit="${visitId}"]`);
    await conv.waitFor();
    await citizen.locator('#chat-input').waitFor();

    // The call: the console's offer goes B → A, the citizen's answer A → B, candidates both ways.
    await conv.locator('.call-area').waitFor();
    await waitForFrames(op, 'operator (node B)');
    await waitForFrames(citizen, 'citizen (node A)');
    await waitForText(conv.locator('.call-area'), 'Collegato');
    // What crossed the nodes: the offer as the citizen's page received it, the answer as the
    // console received it (the local descriptions also list the candidates gathered since, which
    // were trickled one by one).
    const sizes = { operator: await sdpSizes(op), citizen: await sdpSizes(citizen) };
    console.log(`# SDP bytes relayed between the nodes: offer ${sizes.citizen.remote}, answer ${sizes.operator.remote}; ` +
      `candidates trickled: ${sizes.operator.candidates} (operator), ${sizes.citizen.candidates} (citizen)`);
    assert.ok(sizes.citizen.remote > 0 && sizes.operator.remote > 0);
    // Both nodes delivered signals that came from the other one (their /metrics, on loopback).
    for (const [node, srv] of [['A', env.a], ['B', env.b]]) {
      const text = await (await fetch(`${srv.url}/metrics`)).text();
      const received = Number(/^sportello_signals_received_total (\d+)$/m.exec(text)?.[1] ?? 0);
      assert.ok(received > 0, `node ${node} delivered no signal from the other node`);
    }

    // Hang up from the console: the citizen's page hears the end through the nodes too.
    await conv.getByLabel('Esito').selectOption('resolved');
    await conv.getByRole('button', { name: 'Termina' }).click();
    await waitForText(conv.locator('.conv-status'), 'Conversazione terminata');
    await conv.locator('.call-area').waitFor({ state: 'detached' });
    await citizen.getByRole('button', { name: 'Invia la valutazione' }).waitFor();
    assertNoProblems(op);
    assertNoProblems(citizen);
    await op.context().close();
    await citizen.context().close();
  });
});
