// Multi-page build: one HTML entry per audience (every web/*.html); the C++ server maps URLs to
// these files through each capability's pages() (/ → home.html, /{slug}/ → offices.html, …).
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

// Every web/*.html is an entry: adding a page is its HTML file plus the capability's `pages()`
// entry that serves it (src/platform/capability.h); there is no third list to keep.
const webDir = fileURLToPath(new URL('./', import.meta.url));
const entries = Object.fromEntries(
  readdirSync(webDir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.slice(0, -'.html'.length), webDir + f]),
);

const svgCache = fileURLToPath(new URL('./node_modules/.cache/sportello-svg/', import.meta.url));

/**
 * bootstrap-italia's CSS embeds its small icons as data: URLs, which the server's CSP
 * (default-src 'self') refuses. This turns each data: SVG into a file that Vite then emits as a
 * hashed asset, so the icons load from our own origin. video.js's inlined font is dropped.
 */
function svgDataUrlsToFiles(): Plugin {
  const decode = (s: string) =>
    s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return {
    name: 'sportello-svg-data-urls-to-files',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('.css') || !code.includes('data:')) return null;
      mkdirSync(svgCache, { recursive: true });
      // video.js's icon font is inlined as a data: URL and we use no video.js: drop it.
      code = code.replace(/@font-face\s*\{[^}]*font-family:\s*["']?VideoJS["']?[^}]*\}/g, '');
      const re = /url\((["']?)data:image\/svg\+xml(;charset=[^,;]*)?(;base64)?,(.*?)\1\)/g;
      const out = code.replace(re, (_m, _q, _cs, b64, payload: string) => {
        const svg = b64 ? Buffer.from(payload, 'base64').toString('utf8') : decode(payload);
        const name = createHash('sha256').update(svg).digest('hex').slice(0, 16) + '.svg';
        writeFileSync(svgCache + name, svg);
        const rel = relative(dirname(id), svgCache + name).split('\\').join('/');
        return `url("${rel.startsWith('.') ? rel : './' + rel}")`;
      });
      return { code: out, map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [svgDataUrlsToFiles()],
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // The server's CSP is default-src 'self': never inline assets as data: URLs.
    assetsInlineLimit: 0,
    sourcemap: false,
    rollupOptions: {
      input: entries,
    },
  },
});
