// "/{slug}/widget/{office}" — the virtual reception in a compact panel, framed by /widget.js on
// a Comune's website (only origins in the ente's embed_origins may frame it). Chat first; when
// nobody can be reached it shows the message form at once. Escape asks the host page (through
// postMessage) to close the panel, since key presses inside the frame never reach the host.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ente } from '../api';
import { applyBranding, mount, slugFromPath } from '../components/layout';
import { t } from '../i18n';
import { loadEnte } from '../session';
import { tv } from '../reception/i18n-visit';
import { Realtime } from '../realtime';
import { Announcer } from '../reception/ui';
import { errorText } from '../reception/visit-api';
import { VisitFlow } from '../reception/visit-flow';
import '../reception/reception.css';

/** The message widget.js listens for (from its own iframe only). */
const CLOSE_MESSAGE = 'sportello-widget:close';

function officeFromPath(): string {
  return decodeURIComponent(location.pathname.split('/').filter(Boolean)[2] ?? '');
}

function Widget() {
  const slug = slugFromPath();
  const office = officeFromPath();
  const [ente, setEnte] = useState<Ente | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [officeName, setOfficeName] = useState<string | null>(null);
  const realtime = useRef<Realtime | null>(null);
  if (!realtime.current) realtime.current = new Realtime();

  useEffect(() => {
    document.documentElement.classList.add('widget-root');
    loadEnte(slug)
      .then((e) => {
        setEnte(e);
        applyBranding(e);
      })
      .catch((e) => setError(errorText(e)));
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape' && window.parent !== window) window.parent.postMessage(CLOSE_MESSAGE, '*');
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      realtime.current?.close();
    };
  }, []);

  const [title, setTitle] = useState(tv('visit.title'));
  useEffect(() => {
    document.title = [title, officeName, ente?.name].filter(Boolean).join(' – ');
  }, [title, officeName, ente]);

  return (
    <div class="widget-panel">
      <header class="widget-header">
        <h1 class="h6 mb-0">{officeName ?? tv('visit.title')}</h1>
        {ente && <p class="mb-0 small">{ente.name}</p>}
      </header>
      <main id="main" class="widget-body">
        {error || ente === null ? (
          <div class="alert alert-danger" role="alert">
            {error ?? t('error.enteNotFoundText')}
          </div>
        ) : ente === undefined ? (
          <p class="loading" role="status">
            {t('loading')}
          </p>
        ) : (
          <Announcer>
            <VisitFlow slug={slug} office={office} tz={ente.timezone} realtime={realtime.current} variant="widget" onTitle={setTitle} onOfficeName={setOfficeName} />
          </Announcer>
        )}
      </main>
    </div>
  );
}

mount(Widget);
