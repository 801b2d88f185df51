/*
 * Sportello widget: a "Linea diretta con l'URP" button for any Comune website.
 *
 *   <script src="https://SERVER/widget.js" data-ente="esempio" data-office="urp" async></script>
 *
 * Optional: data-label (button text), data-lang ("it" | "en"), data-position ("bottom-right",
 * the default, "bottom-left", "top-right", "top-left": where the Comune wants the button), and
 * several offices in data-office ("urp,anagrafe"): the panel then asks which one first.
 * The button says whether the office is open now (GET SERVER/api/v1/enti/{ente}/widget, public).
 * It opens a panel holding an iframe of SERVER/{ente}/widget/{office}; the server lets only the
 * origins in the ente's embed_origins frame it, so on any other site the button opens the visit
 * page in a new tab instead of a frame the browser would refuse. While the server cannot be
 * reached the button is not shown. Plain JavaScript, no build, no external assets; styles are
 * set through element.style (the host page's CSP is not ours).
 */
(function () {
  'use strict';

  var script =
    document.currentScript || document.querySelector('script[data-ente][src*="widget.js"]');
  if (!script || script.getAttribute('data-sportello-widget') === 'loaded') return;
  script.setAttribute('data-sportello-widget', 'loaded');

  var ente = script.getAttribute('data-ente');
  var officeRefs = (script.getAttribute('data-office') || 'urp')
    .split(',')
    .map(function (o) { return o.trim(); })
    .filter(Boolean)
    .slice(0, 10);
  var position = script.getAttribute('data-position') || 'bottom-right';
  var atTop = position.indexOf('top') === 0;
  var atLeft = /left$/.test(position);
  if (!ente) {
    console.warn('Sportello widget: data-ente is missing');
    return;
  }
  var lang = script.getAttribute('data-lang') === 'en' ? 'en' : 'it';
  var label =
    script.getAttribute('data-label') ||
    (lang === 'en' ? 'Direct line to the URP' : 'Linea diretta con l\u2019URP');
  var en = lang === 'en';
  var words = {
    close: en ? 'Close' : 'Chiudi',
    back: en ? 'Other office' : 'Cambia ufficio',
    choose: en ? 'Which office do you want to talk to?' : 'Con quale ufficio vuoi parlare?',
    open: en ? 'Open now' : 'Aperto ora',
    closed: en ? 'Closed now: you can leave a message' : 'Chiuso ora: puoi lasciare un messaggio',
    newTab: en ? '(opens in a new tab)' : '(si apre in una nuova scheda)'
  };
  var server = new URL(script.src, location.href).origin;
  var query = en ? '?lang=en' : '';
  function panelUrl(office) {
    return server + '/' + encodeURIComponent(ente) + '/widget/' + encodeURIComponent(office) + query;
  }
  function pageUrl(office) {
    return server + '/' + encodeURIComponent(ente) + '/visit/' + encodeURIComponent(office) + query;
  }
  var statusUrl =
    server + '/api/v1/enti/' + encodeURIComponent(ente) + '/widget?offices=' +
    encodeURIComponent(officeRefs.join(','));
  // The last answer of statusUrl: { offices: [{ office: {id, slug, name}, open, can_knock }], framing }.
  var status = null;
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
    zIndex: '2147483000',
    display: 'none',
    flexDirection: atTop ? 'column-reverse' : 'column',
    alignItems: atLeft ? 'flex-start' : 'flex-end',
    gap: '0.5rem',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
  });
  root.className = 'sportello-widget';
  root.style[atTop ? 'top' : 'bottom'] = '1rem';
  root.style[atLeft ? 'left' : 'right'] = '1rem';

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
    justifyContent: 'space-between',
    background: RED,
    padding: '0.25rem'
  });
  function barButton(text) {
    var b = css(document.createElement('button'), {
      background: 'transparent',
      color: '#fff',
      border: '2px solid #fff',
      borderRadius: '4px',
      padding: '0.125rem 0.75rem',
      font: 'inherit',
      fontSize: '0.875rem',
      cursor: 'pointer'
    });
    b.type = 'button';
    b.textContent = text;
    return b;
  }
  var back = barButton(words.back);
  back.style.visibility = 'hidden';
  var close = barButton(words.close);
  bar.appendChild(back);
  bar.appendChild(close);
  panel.appendChild(bar);

  // With several offices: the list to choose from (name and whether it is open now).
  var chooser = css(document.createElement('div'), { padding: '1rem', overflowY: 'auto', color: '#1a1a1a' });
  var chooserTitle = css(document.createElement('p'), { margin: '0 0 0.75rem', fontWeight: '700', fontSize: '1.125rem' });
  chooserTitle.id = uid + '-choose';
  chooserTitle.textContent = words.choose;
  var chooserList = css(document.createElement('ul'), { listStyle: 'none', margin: '0', padding: '0' });
  chooserList.setAttribute('aria-labelledby', chooserTitle.id);
  chooser.appendChild(chooserTitle);
  chooser.appendChild(chooserList);

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
  var buttonLabel = document.createElement('span');
  buttonLabel.textContent = label;
  var buttonState = css(document.createElement('span'), { display: 'block', fontWeight: '400', fontSize: '0.875rem' });
  button.appendChild(buttonLabel);
  button.appendChild(document.createTextNode(' '));
  button.appendChild(buttonState);

  function statusWords(o) {
    return o.can_knock || o.open ? words.open : words.closed;
  }
  function newTab() {
    return !!status && !status.framing;
  }
  // The button shows the state of the one office (or of the first open one among several).
  function paint() {
    var offices = status.offices;
    var any = offices.filter(function (o) { return o.can_knock || o.open; })[0] || offices[0];
    buttonState.textContent = offices.length > 1 && !(any.can_knock || any.open) ? words.closed : statusWords(any);
    button.setAttribute('data-open', any.can_knock || any.open ? 'true' : 'false');
    if (newTab() && offices.length === 1) {
      button.removeAttribute('aria-expanded');
      button.removeAttribute('aria-controls');
      buttonState.textContent += ' ' + words.newTab;
    } else {
      button.setAttribute('aria-expanded', panel.style.display === 'none' ? 'false' : 'true');
      button.setAttribute('aria-controls', panel.id);
    }
    chooserList.textContent = '';
    offices.forEach(function (o) {
      var li = css(document.createElement('li'), { margin: '0 0 0.5rem' });
      var b = css(document.createElement('button'), {
        display: 'block',
        width: '100%',
        textAlign: 'left',
        background: '#fff',
        color: '#1a1a1a',
        border: '2px solid #5c6f82',
        borderRadius: '6px',
        padding: '0.5rem 0.75rem',
        font: 'inherit',
        cursor: 'pointer'
      });
      b.type = 'button';
      b.setAttribute('data-office', o.office.slug);
      var name = css(document.createElement('span'), { display: 'block', fontWeight: '700' });
      name.textContent = o.office.name;
      var st = css(document.createElement('span'), { display: 'block', fontSize: '0.875rem' });
      st.textContent = statusWords(o) + (newTab() ? ' ' + words.newTab : '');
      b.appendChild(name);
      b.appendChild(document.createTextNode(' '));
      b.appendChild(st);
      b.addEventListener('click', function () { choose(o.office.slug); });
      ring(b);
      li.appendChild(b);
      chooserList.appendChild(li);
    });
  }

  // A visible focus ring whatever the host page's styles do to outlines.
  function ring(b) {
    b.addEventListener('focus', function () {
      css(b, { outline: '3px solid #1a1a1a', outlineOffset: '2px' });
    });
    b.addEventListener('blur', function () {
      css(b, { outline: 'none' });
    });
  }
  [button, close, back].forEach(ring);

  var frame = null;
  var frameOffice = null;

  // The conversation with one office: in the panel's frame, or in a new tab where this site may
  // not frame it.
  function choose(office) {
    if (newTab()) {
      window.open(pageUrl(office), '_blank', 'noopener');
      return;
    }
    if (!frame || frameOffice !== office) {
      // Loaded on first use only: a page view costs the Comune's server nothing.
      if (frame) panel.removeChild(frame);
      frame = css(document.createElement('iframe'), { flex: '1', width: '100%', border: '0' });
      frame.src = panelUrl(office);
      frame.title = label;
      frame.setAttribute('allow', 'camera; microphone; autoplay');
      panel.appendChild(frame);
      frameOffice = office;
    }
    chooser.style.display = 'none';
    frame.style.display = 'block';
    back.style.visibility = status.offices.length > 1 ? 'visible' : 'hidden';
    frame.focus();
  }

  function showChooser() {
    if (frame) frame.style.display = 'none';
    back.style.visibility = 'hidden';
    chooser.style.display = 'block';
    var first = chooserList.querySelector('button');
    if (first) first.focus();
  }

  function open() {
    if (status.offices.length === 1 && newTab()) {
      choose(status.offices[0].office.slug);
      return;
    }
    panel.style.display = 'flex';
    button.setAttribute('aria-expanded', 'true');
    if (status.offices.length > 1 && !frame) showChooser();
    else if (status.offices.length > 1 && frame.style.display === 'none') showChooser();
    else choose(frameOffice || status.offices[0].office.slug);
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
  back.addEventListener('click', showChooser);
  panel.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') hide();
  });
  window.addEventListener('message', function (ev) {
    if (frame && ev.source === frame.contentWindow && ev.origin === server && ev.data === CLOSE_MESSAGE) hide();
  });

  panel.appendChild(chooser);
  root.appendChild(panel);
  root.appendChild(button);

  // The office's state, now and every minute: the button appears once the server answered (a
  // button that cannot work is never shown); a later failure keeps the last state shown.
  var REFRESH_MS = 60000;
  function refresh() {
    fetch(statusUrl, { credentials: 'omit' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (s) {
        if (!s || !s.offices || !s.offices.length) throw new Error('no office');
        var first = !status;
        if (!first && JSON.stringify(s) === JSON.stringify(status)) return;
        status = s;
        paint();
        if (first && !s.framing) {
          console.warn('Sportello widget: ' + location.origin + ' is not in the embed_origins of "' + ente +
            '"; the button opens the visit page in a new tab.');
        }
        if (first) root.style.display = 'flex';
      })
      .catch(function (e) {
        if (!status) root.style.display = 'none';
        console.warn('Sportello widget: cannot reach ' + server + ' (' + e.message + ')');
      })
      .then(function () {
        window.setTimeout(refresh, REFRESH_MS);
      });
  }

  function mount() {
    document.body.appendChild(root);
    refresh();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
