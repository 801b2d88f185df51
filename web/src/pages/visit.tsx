// "/{slug}/visit/{office}" — the citizen knocks on an office's virtual door: the situation now,
// the knock form, the waiting room, the conversation (chat and video), the rating, and the
// "Lascia un messaggio" form when nobody can be reached.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ente } from '../api';
import { FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { t } from '../i18n';
import { loadEnte } from '../session';
import { tv } from '../reception/i18n-visit';
import { Realtime } from '../realtime';
import { Announcer } from '../reception/ui';
import { errorText, sessionVisitStore } from '../reception/visit-api';
import { VisitFlow } from '../reception/visit-flow';
import '../reception/reception.css';

/** The office's slug or id: /{slug}/visit/{office}. */
function officeFromPath(): string {
  return decodeURIComponent(location.pathname.split('/').filter(Boolean)[2] ?? '');
}

function VisitPage() {
  const slug = slugFromPath();
  const office = officeFromPath();
  const [ente, setEnte] = useState<Ente | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [officeName, setOfficeName] = useState<string | null>(null);
  // The heading waits for the office's name (or an error) so that it appears with the flow in
  // one frame: a heading that grows to two lines would push the whole page down (layout shift).
  const [settled, setSettled] = useState(false);
  const named = (name: string) => {
    setOfficeName(name);
    setSettled(true);
  };
  const [title, setTitle] = useState(tv('visit.title'));
  const realtime = useRef<Realtime | null>(null);
  if (!realtime.current) realtime.current = new Realtime();

  const load = () => {
    setError(null);
    loadEnte(slug)
      .then(setEnte)
      .catch((e) => setError(errorText(e)));
  };
  useEffect(() => {
    load();
    return () => realtime.current?.close();
  }, []);

  if (error || ente === null)
    return (
      <Page title={t('error.enteNotFound')} slug={ente === null ? null : slug}>
        <FatalError
          title={ente === null ? t('error.enteNotFound') : tv('visit.title')}
          message={error ?? t('error.enteNotFoundText')}
          onRetry={error ? load : undefined}
        />
      </Page>
    );

  // Page titles the document "<title> – <ente>": the stage's title (position, "È il tuo turno").
  return (
    <Page title={officeName ? `${title} – ${officeName}` : title} ente={ente} slug={slug} staffLink>
      <p class="mb-2">
        <a href={`/${encodeURIComponent(slug)}/`}>{tv('visit.back')}</a>
      </p>
      {!settled && ente !== undefined && (
        <p class="loading" role="status">
          {sessionVisitStore(slug, office).load() ? tv('visit.restoring') : t('loading')}
        </p>
      )}
      {settled && (
        <div class="visit-head">
          <h1>{officeName ? tv('visit.titleOffice', { office: officeName }) : tv('visit.title')}</h1>
          <p class="lead">{tv('visit.lead')}</p>
        </div>
      )}
      {ente === undefined ? (
        <Loading />
      ) : (
        <Announcer>
          <div class="visit-flow">
            <VisitFlow slug={slug} office={office} tz={ente.timezone} realtime={realtime.current} variant="page" onTitle={setTitle} onOfficeName={named} onFailed={() => setSettled(true)} pageShowsLoading />
          </div>
        </Announcer>
      )}
    </Page>
  );
}

mount(VisitPage);
