// "/" — the enti served by this installation; with a single ente, a prominent link to it.

import { useEffect, useState } from 'preact/hooks';
import { get, listOf, type EnteSummary } from '../api';
import { apiMessage } from '../components/forms';
import { FatalError, Icon, Loading, mount, Page } from '../components/layout';
import { t } from '../i18n';

function Home() {
  const [enti, setEnti] = useState<EnteSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setError(null);
    get<unknown>('/api/v1/enti')
      .then((a) => setEnti(listOf<EnteSummary>(a, 'enti')))
      .catch((e) => setError(apiMessage(e)));
  };
  useEffect(load, []);

  if (error) {
    return (
      <Page title={t('home.title')}>
        <FatalError title={t('home.title')} message={error} onRetry={load} />
      </Page>
    );
  }
  const only = enti && enti.length === 1 ? enti[0] : null;
  return (
    <Page title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('home.lead')}</p>
      {!enti && <Loading />}
      {enti && enti.length === 0 && <p>{t('home.none')}</p>}
      {only && (
        <p class="my-4">
          <a class="btn btn-primary btn-lg" href={`/${encodeURIComponent(only.slug)}/`}>
            {t('home.enter', { name: only.name })}
            <Icon name="arrow-right" className="icon-white ms-2" />
          </a>
        </p>
      )}
      {enti && enti.length > 1 && (
        <section aria-labelledby="enti-title">
          <h2 id="enti-title" class="h3">
            {t('home.listTitle')}
          </h2>
          <ul class="office-grid list-unstyled">
            {enti.map((e) => (
              <li>
                <div class="office-card card">
                  <div class="card-body">
                    <h3 class="card-title h5">{e.name}</h3>
                    <a class="btn btn-outline-primary" href={`/${encodeURIComponent(e.slug)}/`}>
                      {t('home.open')}
                      <span class="visually-hidden">: {e.name}</span>
                    </a>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

mount(Home);
