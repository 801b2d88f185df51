// Multi-page build: one HTML entry per audience (every web/*.html); the C++ server maps URLs to
// these files through each capability's pages() (/ → home.html, /{slug}/ → offices.html, …).
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import purgeCss from '@fullhuman/postcss-purgecss';

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

/** Every word of our HTML and TypeScript sources (what PurgeCSS and the sprite filter look for). */
function sourceWords(): Set<string> {
  const words = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = dir + name.name;
      if (name.isDirectory()) walk(p + '/');
      else if (/\.(tsx?|html)$/.test(name.name)) {
        for (const w of readFileSync(p, 'utf8').match(/[A-Za-z0-9_-]+/g) ?? []) words.add(w);
      }
    }
  };
  for (const f of readdirSync(webDir)) if (f.endsWith('.html')) {
    for (const w of readFileSync(webDir + f, 'utf8').match(/[A-Za-z0-9_-]+/g) ?? []) words.add(w);
  }
  walk(webDir + 'src/');
  return words;
}

/**
 * bootstrap-italia's icon sprite has 170 icons (83 kB); the pages use about twenty. At build time
 * the sprite keeps the symbols whose name (`it-video` → `video`) is a word of our sources: an icon
 * chosen at run time from a table (`CHANNEL_ICON[c]`) is still a literal there. `vite dev` gets
 * the whole sprite.
 */
function leanSprite(): Plugin {
  const spriteImport = 'bootstrap-italia/dist/svg/sprites.svg?url';
  const virtual = '\0sportello-lean-sprite';
  let building = false;
  return {
    name: 'sportello-lean-sprite',
    enforce: 'pre',
    configResolved(c) {
      building = c.command === 'build';
    },
    resolveId(id) {
      return building && id === spriteImport ? virtual : null;
    },
    load(id) {
      if (id !== virtual) return null;
      const full = readFileSync(webDir + 'node_modules/bootstrap-italia/dist/svg/sprites.svg', 'utf8');
      const words = sourceWords();
      const symbols = full.match(/<symbol\b[\s\S]*?<\/symbol>/g) ?? [];
      const kept = symbols.filter((sym) => {
        const id = /id="it-([^"]+)"/.exec(sym)?.[1];
        return id !== undefined && words.has(id);
      });
      const source = `<svg xmlns="http://www.w3.org/2000/svg">${kept.join('')}</svg>`;
      const ref = this.emitFile({ type: 'asset', name: 'sprites.svg', source });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}

/**
 * bootstrap-italia's stylesheet is 590 kB and every page ships it; the pages use a small part.
 * PurgeCSS (a maintained PostCSS plugin) keeps the rules whose class, id or element names appear
 * in our HTML and TypeScript sources. Classes our code builds from a prefix at run time
 * (`face-${score}`, `msg-${from}`, …) cannot be seen in the sources, so their prefixes are kept
 * whole; a new dynamic prefix goes in this list. docs/PERFORMANCE.md has the sizes.
 */
const purge = purgeCss({
  content: [webDir + '*.html', webDir + 'src/**/*.{ts,tsx}'],
  // Words of the sources, including class names inside template strings and `:` variants.
  // focus--mouse appears only inside bootstrap-italia's own `:focus:not(.focus--mouse)` focus ring.
  // Lower-cased too: JSX writes `tabIndex`, `readOnly`, the CSS selects `[tabindex]`, `[readonly]`.
  defaultExtractor: (content: string) => {
    const words = content.match(/[A-Za-z0-9_-]+/g) ?? [];
    return [...words, ...words.map((w) => w.toLowerCase())];
  },
  safelist: {
    standard: [/^focus--/, /^desk-class-/, /^face-/, /^msg-/, /^vbadge-/, /^alert-/, /^btn-/, /^bg-/, /^text-/, /^is-/, /^show$/, /^fade$/],
    greedy: [/^it-/],
  },
});

/**
 * PurgeCSS drops a selector made only of pseudo-classes, such as bootstrap-italia's focus ring
 * `:focus:not(.focus--mouse)` (the orange outline keyboard users follow). `*:focus…` means the
 * same and is kept, so such selectors get the `*` before purging.
 */
const keepPseudoOnly: import('postcss').AcceptedPlugin = {
  postcssPlugin: 'sportello-keep-pseudo-only-selectors',
  Once(root) {
    root.walkRules((rule) => {
      if (!rule.selector.includes(':focus')) return;
      rule.selectors = rule.selectors.map((s) => (s.startsWith(':focus') ? '*' + s : s));
    });
  },
};

/**
 * The Latin-1 files of the three Titillium weights every page uses are preloaded from the HTML,
 * so they arrive with the stylesheet instead of after it: the text is drawn in its font from the
 * first paint instead of swapping (and reflowing) a moment later on a slow network.
 */
function preloadFonts(): Plugin {
  const pagesWithPreload = /(offices|visit|booking|booking-manage|pratica|phone-ticket|home|login|servizi|scheda)\.html$/;
  const wanted = /titillium-web-v10-latin-ext_latin-(regular|600|700)\.latin-[^/]*\.woff2$/;
  return {
    name: 'sportello-preload-fonts',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // The pages in the Designers Italia layout (header, headings, buttons in Titillium);
        // the kiosk, widget, board and ticket machine draw little text and skip the preload.
        if (!ctx.bundle || !pagesWithPreload.test(ctx.filename)) return [];
        return Object.keys(ctx.bundle)
          .filter((f) => wanted.test(f))
          .sort()
          .map((f) => ({
            tag: 'link',
            attrs: { rel: 'preload', href: '/' + f, as: 'font', type: 'font/woff2', crossorigin: '' },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [svgDataUrlsToFiles(), leanSprite(), preloadFonts()],
  css: {
    // SPORTELLO_CSS_FULL=1 builds with the whole stylesheet, to compare pages before/after purging.
    postcss: { plugins: process.env.SPORTELLO_CSS_FULL ? [] : [keepPseudoOnly, purge] },
  },
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
