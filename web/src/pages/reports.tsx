// "/{slug}/reports" — the front office's reports for supervisors and admins (issue 16): figures
// over a chosen period as charts with their tables, CSV / JSON downloads, printable.

import { FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { LogoutButton, useStaffSession } from '../components/staff';
import { tr } from '../feedback/i18n-reports';
import { Reports } from '../feedback/reports';
import '../feedback/reports.css';

function App() {
  const slug = slugFromPath();
  const { session, error } = useStaffSession(slug);
  const actions = (
    <>
      <a class="header-link" href={`/${encodeURIComponent(slug)}/console`}>
        {tr('reports.console')}
      </a>
      <LogoutButton slug={slug} />
    </>
  );
  return (
    <Page title={tr('reports.title')} ente={session?.ente ?? null} slug={slug} headerActions={session ? actions : undefined}>
      <h1 class="mb-3">{tr('reports.title')}</h1>
      {error ? <FatalError title={tr('reports.title')} message={error} /> : !session ? <Loading /> : <Reports slug={slug} />}
    </Page>
  );
}

mount(App);
