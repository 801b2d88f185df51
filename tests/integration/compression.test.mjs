// What a slow phone downloads: every static asset and page in brotli or gzip as the browser
// accepts (precompressed at build time), each encoding with its own ETag and `Vary`, hashed
// assets cached for a year; JSON answers of 1 KiB or more gzipped on the way out; nothing
// compressed for a client that did not ask.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { startServer } from './lib.mjs';

let srv;
before(async () => { srv = await startServer({ now: '2026-11-25T09:30:00Z' }); });
after(async () => { await srv?.stop(); });

// A GET that keeps the bytes as sent (fetch would decode them).
function get(path, headers = {}) {
  return new Promise((res, rej) => {
    http.get(srv.url + path, { headers }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }));
    }).on('error', rej);
  });
}

const decode = (r) => {
  const e = r.headers['content-encoding'];
  if (e === 'br') return zlib.brotliDecompressSync(r.body);
  if (e === 'gzip') return zlib.gunzipSync(r.body);
  return r.body;
};

// The stylesheet and the script the offices page links to.
async function assetsOf(pagePath) {
  const html = decode(await get(pagePath)).toString();
  const paths = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
  assert.ok(paths.some((p) => p.endsWith('.css')) && paths.some((p) => p.endsWith('.js')), html);
  return paths;
}

test(`every asset of a page comes in the encoding asked for, decoding to the same bytes`, async () => {
  for (const path of await assetsOf('/esempio')) {
    const plain = await get(path);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const [accept, want] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip;q=0.8', 'gzip']]) {
      const r = await get(path, { 'Accept-Encoding': accept });
      assert.equal(r.status, 200);
      // A copy is made only when it saves 5 % (a few hundred bytes of script may not).
      if (plain.body.length < 2048 && r.headers['content-encoding'] === undefined) continue;
      assert.equal(r.headers['content-encoding'], want, `${path} with ${accept}`);
      assert.equal(r.headers.vary, 'Accept-Encoding');
      assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(Number(r.headers['content-length']), r.body.length);
      assert.ok(r.body.length < plain.body.length * 0.9, `${path}: ${r.body.length} of ${plain.body.length}`);
      assert.ok(decode(r).equals(plain.body), `${path} in ${want} decodes to the file`);
      assert.notEqual(r.headers.etag, plain.headers.etag);
      // Revalidation names the encoding's own ETag.
      const again = await get(path, { 'Accept-Encoding': accept, 'If-None-Match': r.headers.etag });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
    }
  }
});

test(`the shared stylesheet travels in a fraction of its size`, async () => {
  const css = (await assetsOf('/esempio')).find((p) => /layout-.*\.css$/.test(p)) ?? (await assetsOf('/esempio')).find((p) => p.endsWith('.css'));
  const plain = await get(css);
  const br = await get(css, { 'Accept-Encoding': 'br' });
  assert.ok(plain.body.length > 100_000, 'the stylesheet is the big one');
  assert.ok(br.body.length < plain.body.length / 6, `${br.body.length} of ${plain.body.length}`);
});

test(`pages are compressed and still revalidated`, async () => {
  for (const path of ['/esempio', '/esempio/visit/anagrafe', '/esempio/prenota', '/login']) {
    const r = await get(path, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-encoding'], 'br', path);
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.match(decode(r).toString(), /<!doctype html>/i);
    assert.equal((await get(path, { 'Accept-Encoding': 'br, gzip', 'If-None-Match': r.headers.etag })).status, 304);
  }
});

test(`a JSON answer of 1 KiB or more is gzipped; a small one and a client that did not ask are not`, async () => {
  const path = '/api/v1/enti/esempio/offices';
  const plain = await get(path);
  assert.equal(plain.status, 200);
  assert.ok(plain.body.length >= 1024, `the offices list is ${plain.body.length} bytes`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  const gz = await get(path, { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.ok(gz.body.length < plain.body.length / 2, `${gz.body.length} of ${plain.body.length}`);
  assert.deepEqual(JSON.parse(decode(gz)), JSON.parse(plain.body));
  const small = await get('/healthz', { 'Accept-Encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal((await get(path, { 'Accept-Encoding': 'gzip;q=0' })).headers['content-encoding'], undefined);
  // An error in JSON is compressed only when big enough, and keeps its language header.
  const missing = await get('/api/v1/enti/nessuno/offices', { 'Accept-Encoding': 'gzip' });
  assert.equal(missing.status, 404);
  assert.match(decode(missing).toString(), /"error"/);
});

test(`the .br and .gz copies are not files of their own`, async () => {
  const js = (await assetsOf('/esempio')).find((p) => p.endsWith('.js'));
  assert.equal((await get(js + '.br')).status, 404);
  assert.equal((await get(js + '.gz')).status, 404);
});
