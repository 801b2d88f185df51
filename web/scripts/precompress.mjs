// Writes a brotli (.br) and a gzip (.gz) copy next to every compressible file of web/dist, at
// build time, so that the server sends the smallest encoding the browser accepts without
// compressing anything per request (src/platform/static_files.h). Node's own zlib does both:
// no package is added. A copy is kept only when it saves at least 5 % of the bytes.
import { readdirSync, readFileSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const compressible = /\.(html|js|mjs|css|svg|json|txt|webmanifest|ttf|ico|map)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

let raw = 0;
let br = 0;
let count = 0;
for (const p of [...files(dist)]) {
  if (p.endsWith('.br') || p.endsWith('.gz')) {
    unlinkSync(p); // a stale copy of an earlier build
    continue;
  }
  if (!compressible.test(p)) continue;
  const body = readFileSync(p);
  const keep = (suffix, out) => {
    if (out.length <= body.length * 0.95) writeFileSync(p + suffix, out);
    return out.length;
  };
  raw += body.length;
  br += keep('.br', brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  }));
  keep('.gz', gzipSync(body, { level: 9 }));
  count += 1;
}
console.log(`precompressed ${count} files: ${(raw / 1024).toFixed(0)} KiB -> ${(br / 1024).toFixed(0)} KiB (brotli)`);
