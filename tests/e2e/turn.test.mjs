// TURN relay for the virtual reception's audio/video: Debian's Chromium, forced to relay
// (iceTransportPolicy "relay"), through a throwaway coturn on loopback with TURN REST API
// credentials — the kind GET /api/v1/visits/{id}/ice hands out.
//
// What it takes to relay on loopback (found with coturn 4.6.1 / Debian 12 and Chromium 156):
//
// coturn (tests/e2e/coturn.mjs writes the config):
//  - `allow-loopback-peers` is REQUIRED. Both browsers' relayed addresses are
//    127.0.0.1:<relay port>, so each side's CreatePermission names a loopback peer; coturn 4.6
//    denies loopback peers by default (the old `no-loopback-peers` is gone) and answers
//    "403 Forbidden IP": ICE then goes to "failed" and no media flows. coturn refuses the
//    option together with an enabled CLI that has an empty cli-password, hence `no-cli`.
//    NEVER in production (deploy/coturn.conf denies loopback and private ranges instead).
//  - `listening-ip=127.0.0.1` + `relay-ip=127.0.0.1`; `use-auth-secret` + `static-auth-secret`;
//    a `realm`; `no-tls` + `no-dtls` (nothing else needed; the TCP URL is plain TCP);
//    `min-port`/`max-port` (any small range); `userdb` in the temp dir (otherwise the system's
//    /var/lib/turn/turndb is opened); `verbose` only so the "listener opened" lines show up.
//
// Chromium:
//  - No flag and no field trial is needed for a TURN server on 127.0.0.1 — as long as the
//    machine has some non-loopback network interface (any, even without a route out: the
//    TURN socket is bound to that interface's address and still reaches 127.0.0.1).
//  - On a machine whose ONLY interface is `lo` (an offline laptop, a network namespace
//    without a link, `unshare -n`), Chromium's WebRTC network manager ignores loopback
//    adapters, finds no network at all, gathers NO candidate (not even relay), and the
//    connection stays "new" forever. `--allow-loopback-in-peer-connection` fixes that; it
//    is harmless otherwise (it adds loopback as one more network), so this test always
//    passes it. Real citizens and operators never need it: their TURN server is not on
//    loopback.
//  - `--use-fake-device-for-media-stream --use-fake-ui-for-media-stream` give the fake
//    camera/microphone without a permission prompt; getUserMedia needs a secure context, so
//    the page is served from http://127.0.0.1 by a tiny node server (about:blank is not used).
//  - Wrong or expired credentials: coturn answers the authenticated Allocate with 401,
//    Chromium fires `icecandidateerror` (errorCode 401) for each TURN URL, ICE gathering
//    completes with zero candidates, and the connection can never leave "new".
//
// If /usr/bin/turnserver or /usr/bin/chromium is missing the test FAILS (it never skips):
// `bash scripts/deps.sh test` (run by `make test`) installs coturn and chromium.
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { after, describe, test } from 'node:test';

import { startCoturn, turnCredentials } from './coturn.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const TIMEOUT = 15_000;

async function launchBrowser() {
  // The flags of helpers.mjs launchBrowser, plus fake media and loopback networks (see above).
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
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
    ],
  });
}

/**
 * Runs in the page: two peer connections, both relay-only, exchange full (non-trickle)
 * descriptions once ICE gathering has completed, A's camera+mic to B and B's to A.
 * Returns what the test asserts on; never throws for a failed connection.
 */
async function callThroughTurn({ iceServers, waitForMediaMs, gatherTimeoutMs }) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const config = { iceServers, iceTransportPolicy: 'relay' };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const info = { a: { candidates: [], errors: [] }, b: { candidates: [], errors: [] } };
  for (const [name, pc] of [['a', a], ['b', b]]) {
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) {
        info[name].candidates.push({ type: e.candidate.type, address: e.candidate.address, port: e.candidate.port });
      }
    });
    pc.addEventListener('icecandidateerror', (e) => info[name].errors.push({ url: e.url, code: e.errorCode }));
  }
  const gathered = (pc) =>
    new Promise((resolve) => {
      const t0 = Date.now();
      const check = () => {
        if (pc.iceGatheringState === 'complete') resolve(Date.now() - t0);
        else if (Date.now() - t0 > gatherTimeoutMs) resolve(-1);
        else setTimeout(check, 20);
      };
      check();
    });

  const media = { video: { width: 320, height: 240, frameRate: 15 }, audio: true };
  const streamA = await navigator.mediaDevices.getUserMedia(media);
  const streamB = await navigator.mediaDevices.getUserMedia(media);
  for (const t of streamA.getTracks()) a.addTrack(t, streamA);
  await a.setLocalDescription();
  info.a.gatherMs = await gathered(a);
  await b.setRemoteDescription(a.localDescription);
  for (const t of streamB.getTracks()) b.addTrack(t, streamB);
  await b.setLocalDescription();
  info.b.gatherMs = await gathered(b);
  await a.setRemoteDescription(b.localDescription);
  info.a.sdpCandidates = (a.localDescription.sdp.match(/^a=candidate:/gm) || []).length;
  info.b.sdpCandidates = (b.localDescription.sdp.match(/^a=candidate:/gm) || []).length;

  const inbound = async (pc) => {
    const out = { videoFramesDecoded: 0, audioPacketsReceived: 0 };
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') out.videoFramesDecoded += s.framesDecoded || 0;
      if (s.kind === 'audio') out.audioPacketsReceived += s.packetsReceived || 0;
    });
    return out;
  };
  const flowing = (m) => m.videoFramesDecoded > 0 && m.audioPacketsReceived > 0;
  const until = Date.now() + waitForMediaMs;
  for (;;) {
    info.a.inbound = await inbound(a);
    info.b.inbound = await inbound(b);
    if (flowing(info.a.inbound) && flowing(info.b.inbound)) break;
    if (Date.now() > until || a.connectionState === 'failed' || b.connectionState === 'failed') break;
    await sleep(50);
  }

  const selectedPair = async (pc) => {
    const stats = await pc.getStats();
    let pair = null;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const p = stats.get(s.selectedCandidatePairId);
        const local = stats.get(p.localCandidateId);
        const remote = stats.get(p.remoteCandidateId);
        pair = {
          state: p.state,
          local: { type: local.candidateType, address: local.address, port: local.port, relayProtocol: local.relayProtocol, url: local.url },
          remote: { type: remote.candidateType, address: remote.address, port: remote.port },
        };
      }
    });
    return pair;
  };
  info.a.pair = await selectedPair(a);
  info.b.pair = await selectedPair(b);
  info.a.connectionState = a.connectionState;
  info.b.connectionState = b.connectionState;
  for (const t of [...streamA.getTracks(), ...streamB.getTracks()]) t.stop();
  a.close();
  b.close();
  return info;
}

describe('TURN relay through coturn (virtual reception audio/video)', () => {
  // Set up by the first test that needs it, not in a before() hook: node's runner reports
  // the tests of a failed before() as "cancelled", which tests/run_all.sh does not count as
  // failures. This way a missing turnserver or chromium fails every test here, loudly.
  const env = {};
  let ready;
  function setup() {
    ready ??= (async () => {
      env.turn = await startCoturn();
      env.site = http.createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html lang="it"><title>TURN</title><p>TURN</p></html>');
      });
      await new Promise((resolve, reject) => {
        env.site.once('error', reject);
        env.site.listen(0, '127.0.0.1', resolve);
      });
      env.siteURL = `http://127.0.0.1:${env.site.address().port}/`;
      env.browser = await launchBrowser();
      return env;
    })();
    return ready;
  }

  after(async () => {
    await ready?.catch(() => {});
    await env.browser?.close();
    if (env.site?.listening) await new Promise((resolve) => env.site.close(resolve));
    await env.turn?.stop();
  });

  async function run(iceServers, { waitForMediaMs }) {
    const { browser, siteURL } = await setup();
    const context = await browser.newContext();
    context.setDefaultTimeout(TIMEOUT);
    try {
      const page = await context.newPage();
      await page.goto(siteURL);
      return await page.evaluate(callThroughTurn, { iceServers, waitForMediaMs, gatherTimeoutMs: 10_000 });
    } finally {
      await context.close();
    }
  }

  test('relay-only call: media both ways, selected pair is relay↔relay through our coturn', { timeout: 60_000 }, async () => {
    const { turn } = await setup();
    const creds = turnCredentials(turn.secret, 'visit-test', 600);
    const info = await run([{ urls: turn.urls, ...creds }], { waitForMediaMs: 10_000 });
    const dump = () => `${JSON.stringify(info, null, 1)}\n--- coturn ---\n${turn.output().slice(-3000)}`;
    const [lo, hi] = turn.relayPorts;
    for (const side of ['a', 'b']) {
      const s = info[side];
      assert.ok(s.gatherMs >= 0, `${side}: ICE gathering did not complete\n${dump()}`);
      // (An error from some extra network interface would not matter; refused credentials would.)
      assert.ok(!s.errors.some((e) => e.code === 401 || e.code === 403), `${side}: TURN refused us\n${dump()}`);
      assert.ok(s.candidates.length > 0, `${side}: no candidate gathered\n${dump()}`);
      for (const c of s.candidates) {
        assert.equal(c.type, 'relay', `${side}: non-relay candidate despite policy relay\n${dump()}`);
        assert.equal(c.address, '127.0.0.1', dump());
        assert.ok(c.port >= lo && c.port <= hi, `${side}: relay port ${c.port} not in ${lo}-${hi}\n${dump()}`);
      }
      assert.equal(s.connectionState, 'connected', `${side}: connection ${s.connectionState}\n${dump()}`);
      assert.ok(s.inbound.videoFramesDecoded > 0, `${side}: no video frame decoded\n${dump()}`);
      assert.ok(s.inbound.audioPacketsReceived > 0, `${side}: no audio packet received\n${dump()}`);
      assert.ok(s.pair, `${side}: no selected candidate pair\n${dump()}`);
      assert.equal(s.pair.local.type, 'relay', `${side}: selected local candidate is not relay\n${dump()}`);
      assert.equal(s.pair.remote.type, 'relay', `${side}: selected remote candidate is not relay\n${dump()}`);
      assert.ok(
        s.pair.local.port >= lo && s.pair.local.port <= hi,
        `${side}: selected relay port ${s.pair.local.port} is not our coturn's\n${dump()}`,
      );
    }
    // coturn saw the REST API username and accepted it.
    assert.match(turn.output(), new RegExp(`user <${creds.username}>: incoming packet ALLOCATE processed, success`));
  });

  for (const [label, creds] of [
    ['wrong secret', () => turnCredentials('not-the-secret', 'visit-test', 600)],
    ['expired credentials', (turn) => turnCredentials(turn.secret, 'visit-test', -60)],
  ]) {
    test(`${label}: 401, no relay candidate, no connection`, { timeout: 60_000 }, async () => {
      const { turn } = await setup();
      const c = creds(turn);
      // coturn's log is shared by the suite: the relay test may have allocated with the same
      // username (same expiry second), so only this test's part of the log is looked at.
      const logStart = turn.output().length;
      const info = await run([{ urls: turn.urls, ...c }], { waitForMediaMs: 0 });
      const dump = () => `${JSON.stringify(info, null, 1)}\n--- coturn ---\n${turn.output().slice(-3000)}`;
      for (const side of ['a', 'b']) {
        const s = info[side];
        assert.ok(s.gatherMs >= 0, `${side}: ICE gathering did not complete\n${dump()}`);
        assert.deepEqual(s.candidates, [], `${side}: candidates gathered with bad credentials\n${dump()}`);
        assert.equal(s.sdpCandidates, 0, dump());
        const urls = new Set(s.errors.map((e) => e.url));
        assert.deepEqual([...urls].sort(), [...turn.urls].sort(), `${side}: not every TURN URL failed\n${dump()}`);
        assert.ok(s.errors.every((e) => e.code === 401), `${side}: expected 401 from coturn\n${dump()}`);
        assert.notEqual(s.connectionState, 'connected', dump());
        assert.equal(s.pair, null, dump());
        assert.equal(s.inbound.videoFramesDecoded, 0, dump());
      }
      assert.doesNotMatch(turn.output().slice(logStart), new RegExp(`user <${c.username}>: incoming packet ALLOCATE processed, success`));
    });
  }
});
