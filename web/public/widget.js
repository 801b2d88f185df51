/*
 * Sportello widget: a "Linea diretta con l'URP" button for any Comune website.
 *
 *   <script src="https://SERVER/widget.js" data-ente="esempio" data-office="urp" async></script>
 *
 * Optional: data-label (button text), data-lang ("it" | "en").
 * The button opens a panel holding an iframe of SERVER/{ente}/widget/{office}; the server lets
 * only the origins in the ente's embed_origins frame it. Plain JavaScript, no build, no external
 * assets; styles are set through element.style (the host page's CSP is not ours).
 */
(function () {
  'use strict';

  var script =
    document.currentScript || document.querySelector('script[data-ente][src*="widget.js"]');
  if (!script || script.getAttribute('data-sportello-widget') === 'loaded') return;
  script.setAttribute('data-sportello-widget', 'loaded');

  var ente = script.getAttribute('data-ente');
  var office = script.getAttribute('data-office') || 'urp';
  if (!ente) {
    console.warn('Sportello widget: data-ente is missing');
    return;
  }
  var lang = script.getAttribute('data-lang') === 'en' ? 'en' : 'it';
  var label =
    script.getAttribute('data-label') ||
    (lang === 'en' ? 'Direct line to the URP' : 'Linea diretta con l\u2019URP');
  var closeLabel = lang === 'en' ? 'Close' : 'Chiudi';
  var server = new URL(script.src, location.href).origin;
  var panelUrl =
    server + '/' + encodeURIComponent(ente) + '/widget/' + encodeURIComponent(office) +
    (lang === 'en' ? '?lang=en' : '');
  // Sent by the widget page when Escape is pressed inside the frame (keys never reach us).
  var CLOSE_MESSAGE = 'sportello-widget:close';
  var RED = '#b71918'; // 6.3:1 against white text
  var uid = 'sportello-widget-' + Math.random().toString(36).slice(2, 8);

  function css(el, styles) {
    for (var k in styles) if (Object.prototype.hasOwnProperty.call(styles, k)) el.style[k] = styles[k];
    return el;
  }

  var root = css(document.createElement('div'), {
    position: 'fixed',
    right: '1rem',
    bottom: '1rem',
    zIndex: '2147483000',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-end',
    gap: '0.5rem',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
  });
  root.className = 'sportello-widget';

  var panel = css(document.createElement('div'), {
    display: 'none',
    flexDirection: 'column',
    width: 'min(400px, calc(100vw - 2rem))',
    height: 'min(620px, calc(100vh - 6rem))',
    background: '#fff',
    border: '1px solid #5c6f82',
    borderRadius: '8px',
    boxShadow: '0 8px 32px rgba(0, 0, 0, 0.3)',
    overflow: 'hidden'
  });
  panel.id = uid + '-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', label);

  var bar = css(document.createElement('div'), {
    display: 'flex',
    justifyContent: 'flex-end',
    background: RED,
    padding: '0.25rem'
  });
  var close = css(document.createElement('button'), {
    background: 'transparent',
    color: '#fff',
    border: '2px solid #fff',
    borderRadius: '4px',
    padding: '0.125rem 0.75rem',
    font: 'inherit',
    fontSize: '0.875rem',
    cursor: 'pointer'
  });
  close.type = 'button';
  close.textContent = closeLabel;
  bar.appendChild(close);
  panel.appendChild(bar);

  var button = css(document.createElement('button'), {
    background: RED,
    color: '#fff',
    border: '2px solid #fff',
    borderRadius: '999px',
    padding: '0.75rem 1.25rem',
    font: 'inherit',
    fontSize: '1rem',
    fontWeight: '700',
    cursor: 'pointer',
    boxShadow: '0 4px 16px rgba(0, 0, 0, 0.3)'
  });
  button.type = 'button';
  button.id = uid + '-button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panel.id);

  // A visible focus ring whatever the host page's styles do to outlines.
  [button, close].forEach(function (b) {
    b.addEventListener('focus', function () {
      css(b, { outline: '3px solid #1a1a1a', outlineOffset: '2px' });
    });
    b.addEventListener('blur', function () {
      css(b, { outline: 'none' });
    });
  });

  var frame = null;

  function open() {
    if (!frame) {
      // Loaded on first use only: a page view costs the Comune's server nothing.
      frame = css(document.createElement('iframe'), { flex: '1', width: '100%', border: '0' });
      frame.src = panelUrl;
      frame.title = label;
      frame.setAttribute('allow', 'camera; microphone; autoplay');
      panel.appendChild(frame);
    }
    panel.style.display = 'flex';
    button.setAttribute('aria-expanded', 'true');
    frame.focus();
  }

  function hide() {
    if (panel.style.display === 'none') return;
    panel.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }

  button.addEventListener('click', function () {
    if (button.getAttribute('aria-expanded') === 'true') hide();
    else open();
  });
  close.addEventListener('click', hide);
  panel.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') hide();
  });
  window.addEventListener('message', function (ev) {
    if (frame && ev.source === frame.contentWindow && ev.origin === server && ev.data === CLOSE_MESSAGE) hide();
  });

  root.appendChild(panel);
  root.appendChild(button);

  function mount() {
    document.body.appendChild(root);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
