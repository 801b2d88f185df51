// "/{slug}/console" — the operator's workspace (issue 13), built around the one line. Views with
// their own URL (hash routes, so a reload stays where it was): "#/" the workspace in three panes —
// the line and my contacts (../line/desk-panel, the open conversations, the waiting room) | the
// current contact (conversation with video, the counter's called ticket, "da richiamare", a case
// from a visit) | the citizen's context (../reception/console-context) —; "#/agenda",
// "#/pratiche", "#/postazione" (the hall counter), "#/statistiche", "#/supervisione"
// (supervisors: the live wall of the line per site and office, who serves whom, reassign, take
// over), "#/impostazioni" (supervisors: the conversation cap, automatic assignment and target
// wait of the ente and its offices) and "#/profilo" (offices, password). A view a role may not
// see falls back to the workspace: when a supervisor's role goes, the wall's revoked topic reads
// the session again and the view with it.
// The workspace stays mounted under every view (its conversations, alerts and live topics go on).
// Keyboard shortcuts with Alt+Shift (listed on the page); browser notifications on request; the
// tab title counts who waits and unread messages.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, enc, get, type OfficesAnswer, type Operator, type Presence } from '../api';
import { apiMessage, FormMessages, SelectField, TextField, useSubmit, type Errors } from '../components/forms';
import { announce, FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { StatusBadge } from '../components/office';
import { t } from '../i18n';
import { LogoutButton, roleName, useStaffSession } from '../components/staff';
import { tr } from '../feedback/i18n-reports';
import { tk as tkb } from '../knowledge/i18n-kb';
import { ReceptionPanel } from '../reception/console-reception';
import { CounterPanel } from '../queue/counter-panel';
import { AgendaPanel } from '../booking/agenda-panel';
import { QueueStatsPanel } from '../queue/stats-panel';
import { CasesPanel } from '../cases/console-cases';
import { DeskPanel, type Desk } from '../line/desk-panel';
import { InfoPointLink } from '../visitors/console-link';
import { SupervisionPanel } from '../line/supervision';
import { tw, type WorkspaceKey } from '../line/i18n-workspace';
import { askNotifications, notificationsOn, notificationsSupported } from '../reception/console-notify';
import { ContactSettingsPanel } from '../reception/console-settings';
import { goToLogin, loadSession } from '../session';

const PRESENCES: Presence[] = ['available', 'busy', 'away'];

function PresenceSelect({ operator, onSaved }: { operator: Operator; onSaved: (o: Operator) => void }) {
  const [value, setValue] = useState<Presence>(operator.presence);
  const [error, setError] = useState<string | undefined>();
  // The server may change it by itself (the console's connection came and went): show its word.
  useEffect(() => setValue(operator.presence), [operator.presence]);
  const change = async (v: string) => {
    const p = v as Presence;
    const before = value;
    setValue(p);
    setError(undefined);
    try {
      const op = await api<Operator | undefined>('PUT', '/api/v1/session/presence', { presence: p });
      if (op && op.id) onSaved(op);
      announce(t('console.presenceSaved', { presence: t(`presence.${p}`) }));
    } catch (e) {
      setValue(before);
      setError(apiMessage(e));
    }
  };
  return (
    <SelectField
      id="presence"
      label={t('console.presence')}
      value={value}
      onChange={change}
      error={error}
      options={PRESENCES.map((p) => ({ value: p, label: t(`presence.${p}`) }))}
    />
  );
}

function MyOffices({ slug, operator }: { slug: string; operator: Operator }) {
  const [data, setData] = useState<OfficesAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`)
        .then((d) => {
          setData(d);
          setError(null);
        })
        .catch((e) => setError(apiMessage(e)));
    void load();
    const timer = window.setInterval(() => void load(), 60_000);
    return () => window.clearInterval(timer);
  }, [slug]);

  const mine = new Set((operator.offices ?? []).map((o) => o.id));
  const offices = data ? data.offices.filter((o) => mine.has(o.id)) : [];
  return (
    <section class="panel" aria-labelledby="my-offices-title">
      <h2 id="my-offices-title" class="h4">
        {t('console.offices')}
      </h2>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <Loading />}
      {data && offices.length === 0 && <p>{t('console.noOffices')}</p>}
      {data && offices.length > 0 && (
        <ul class="list-unstyled mb-0" id="my-offices">
          {offices.map((o) => (
            <li class="mb-3" data-office={o.slug}>
              <span class="d-block fw-semibold">{o.name}</span>
              <StatusBadge status={o.status} now={data.now} tz={data.ente.timezone} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const fields = new Set(['current_password', 'new_password', 'confirm_password']);
  const { state, run } = useSubmit((f) => fields.has(f));

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Errors = {};
    if (!current) errs.current_password = t('form.required');
    if (next.length < 10) errs.new_password = t('console.passwordShort');
    if (next !== confirm) errs.confirm_password = t('console.passwordMismatch');
    const ok = await run(async () => {
      try {
        await api<void>('POST', '/api/v1/session/password', { current_password: current, new_password: next });
      } catch (err) {
        // A wrong current password is the current-password field's error.
        if (err instanceof ApiError && err.status === 401 && !err.field)
          throw new ApiError(err.status, err.code, err.message, 'current_password');
        throw err;
      }
      return t('console.passwordSaved');
    }, errs);
    if (ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
    }
  };
  return (
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title" class="h4">
        {t('console.password')}
      </h2>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={submit} noValidate class="mt-4">
        <TextField
          id="current_password"
          type="password"
          label={t('console.currentPassword')}
          value={current}
          onInput={setCurrent}
          autoComplete="current-password"
          required
          error={state.errors.current_password}
        />
        <TextField
          id="new_password"
          type="password"
          label={t('console.newPassword')}
          hint={t('console.passwordHint')}
          value={next}
          onInput={setNext}
          autoComplete="new-password"
          required
          error={state.errors.new_password}
        />
        <TextField
          id="confirm_password"
          type="password"
          label={t('console.confirmPassword')}
          value={confirm}
          onInput={setConfirm}
          autoComplete="new-password"
          required
          error={state.errors.confirm_password}
        />
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {t('console.passwordSave')}
        </button>
      </form>
    </section>
  );
}

// ---- views (hash routes) -----------------------------------------------------------------

type ViewId = 'workspace' | 'agenda' | 'cases' | 'counter' | 'stats' | 'supervision' | 'settings' | 'account';

/** The console's views: hash, label, who sees it. Add a view with one line here. */
const VIEWS: { id: ViewId; hash: string; label: WorkspaceKey; supervisors?: boolean }[] = [
  { id: 'workspace', hash: '#/', label: 'view.workspace' },
  { id: 'agenda', hash: '#/agenda', label: 'view.agenda' },
  { id: 'cases', hash: '#/pratiche', label: 'view.cases' },
  { id: 'counter', hash: '#/postazione', label: 'view.counter' },
  { id: 'stats', hash: '#/statistiche', label: 'view.stats' },
  { id: 'supervision', hash: '#/supervisione', label: 'view.supervision', supervisors: true },
  { id: 'settings', hash: '#/impostazioni', label: 'view.settings', supervisors: true },
  { id: 'account', hash: '#/profilo', label: 'view.account' },
];

/**
 * Other staff pages (their own HTML pages), one link each in the console's navigation: the
 * helpers that add a page (info point, reports, …) add one entry here.
 */
const STAFF_PAGES: { href: (slug: string) => string; label: () => string; roles?: Operator['role'][] }[] = [
  { href: (slug) => `/${encodeURIComponent(slug)}/admin`, label: () => tw('view.admin'), roles: ['admin'] },
  { href: (slug) => `/${encodeURIComponent(slug)}/admin#kb`, label: () => tkb('admin.tab'), roles: ['supervisor'] },
  { href: (slug) => `/${encodeURIComponent(slug)}/reports`, label: () => tr('reports.title'), roles: ['supervisor', 'admin'] },
];

interface Route {
  view: ViewId;
  /** What follows the view's hash: a case id for "#/pratiche/{id}". */
  rest: string;
}

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [head, ...rest] = path.split('/');
  const found = VIEWS.find((v) => v.hash === `#/${head}`);
  return { view: found && head ? found.id : 'workspace', rest: decodeURIComponent(rest.join('/')) };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

function ConsoleNav({ slug, operator, view }: { slug: string; operator: Operator; view: ViewId }) {
  const views = VIEWS.filter((v) => !v.supervisors || operator.role !== 'operator');
  const pages = STAFF_PAGES.filter((p) => !p.roles || p.roles.includes(operator.role));
  return (
    <nav class="ws-nav" aria-label={tw('nav.label')}>
      <ul class="nav nav-tabs ws-views">
        {views.map((v) => (
          <li class="nav-item">
            <a class={`nav-link ${v.id === view ? 'active' : ''}`} href={v.hash} aria-current={v.id === view ? 'page' : undefined} data-view={v.id}>
              {tw(v.label)}
            </a>
          </li>
        ))}
      </ul>
      {pages.length > 0 && (
        <ul class="ws-pages list-inline mb-0">
          <li class="list-inline-item visually-hidden">{tw('nav.staffPages')}:</li>
          {pages.map((p) => (
            <li class="list-inline-item">
              <a href={p.href(slug)}>{p.label()}</a>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

function NotifyToggle() {
  const [on, setOn] = useState(notificationsOn());
  const [denied, setDenied] = useState(notificationsSupported() && Notification.permission === 'denied');
  if (!notificationsSupported()) return null;
  if (on) return <p class="small mb-0">{tw('notify.on')}</p>;
  if (denied) return <p class="small mb-0">{tw('notify.denied')}</p>;
  return (
    <button
      type="button"
      class="btn btn-outline-primary btn-sm"
      onClick={() =>
        void askNotifications().then((ok) => {
          setOn(ok);
          setDenied(!ok && Notification.permission === 'denied');
        })
      }
    >
      {tw('notify.enable')}
    </button>
  );
}

function Shortcuts() {
  // The list is in the page only while open (a closed <details> still lays its text out).
  const [open, setOpen] = useState(false);
  return (
    <details class="ws-keys" id="shortcuts" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{tw('keys.title')}</summary>
      {open && (
        <>
      <p class="small mb-1">{tw('keys.intro')}</p>
      <ul class="small mb-0">
        <li>{tw('keys.next')}</li>
        <li>{tw('keys.accept')}</li>
        <li>{tw('keys.end')}</li>
        <li>{tw('keys.transfer')}</li>
        <li>{tw('keys.switch')}</li>
        <li>{tw('keys.views')}</li>
      </ul>
        </>
      )}
    </details>
  );
}

/** The shortcuts that act on the line (call next, accept); the conversations' own are in ReceptionPanel. */
function useLineKeys(go: (hash: string) => void) {
  useEffect(() => {
    /** Clicks the first enabled button matching `sel` (the first office with someone waiting). */
    const click = (sel: string) => {
      const el = [...document.querySelectorAll<HTMLButtonElement>(sel)].find((b) => !b.disabled);
      if (!el) return false;
      el.click();
      return true;
    };
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
      if (e.code === 'Digit0') {
        e.preventDefault();
        go('#/');
      } else if (e.code === 'KeyN') {
        e.preventDefault();
        go('#/');
        if (!click('#desk-next')) click('#waiting-room .btn-admit-next');
      } else if (e.code === 'KeyA') {
        e.preventDefault();
        go('#/');
        click('#waiting-room .btn-admit-next');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function Console() {
  const slug = slugFromPath();
  const { session, setSession, error } = useStaffSession(slug);
  const [desk, setDesk] = useState<Desk | null>(null);
  const route = useRoute();
  const [counts, setCounts] = useState({ waiting: 0, unread: 0 });
  const [rightsNotice, setRightsNotice] = useState(false);
  const go = (hash: string) => {
    if (location.hash !== hash && !(hash === '#/' && parseRoute(location.hash).view === 'workspace')) location.hash = hash;
  };
  useLineKeys(go);

  if (error) {
    return (
      <Page title={t('console.title')} slug={slug}>
        <FatalError title={t('console.title')} message={error} onRetry={() => location.reload()} />
      </Page>
    );
  }
  if (!session) {
    return (
      <Page title={t('console.title')} slug={slug}>
        <h1>{t('console.title')}</h1>
        <Loading />
      </Page>
    );
  }
  const op = session.operator;
  const tz = session.ente.timezone;
  const view = VIEWS.find((v) => v.id === route.view)?.supervisors && op.role === 'operator' ? 'workspace' : route.view;
  const account = (
    <section class="panel" aria-labelledby="account-title">
      <h2 id="account-title" class="h4">
        {t('console.account')}
      </h2>
      <dl class="mb-4">
        <dt>{t('console.loggedAs')}</dt>
        <dd id="operator-name">{op.display_name}</dd>
        <dt>{t('console.role')}</dt>
        <dd id="operator-role">{roleName(op.role)}</dd>
      </dl>
      <PresenceSelect operator={op} onSaved={(o) => setSession({ ...session, operator: { ...op, ...o } })} />
      <div class="mt-3">
        <NotifyToggle />
      </div>
      {op.role === 'admin' && (
        <p class="mt-3 mb-0">
          <a class="btn btn-outline-primary" href={`/${encodeURIComponent(slug)}/admin`}>
            {t('console.admin')}
          </a>
        </p>
      )}
      {op.role === 'supervisor' && (
        <p class="mt-3 mb-0">
          <a class="btn btn-outline-primary" href={`/${encodeURIComponent(slug)}/admin#kb`}>
            {tkb('admin.tab')}
          </a>
        </p>
      )}
    </section>
  );
  const n = counts.waiting + counts.unread;
  const viewLabel = tw(VIEWS.find((v) => v.id === view)!.label);
  const title = n > 0 ? tw('title.count', { n, title: t('console.title') }) : t('console.title');
  return (
    <Page title={title} ente={session.ente} slug={slug} headerActions={<><InfoPointLink slug={slug} /><LogoutButton slug={slug} /></>}>
      <div class="ws-top">
        <h1 class="h2 mb-0">
          {t('console.title')}
          {view !== 'workspace' && <span class="visually-hidden"> – {viewLabel}</span>}
        </h1>
        <Shortcuts />
      </div>
      <ConsoleNav slug={slug} operator={op} view={view} />
      {op.role === 'operator' && (rightsNotice || VIEWS.find((v) => v.id === route.view)?.supervisors) && (
        <div class="alert alert-warning" role="alert" id="rights-notice">
          {rightsNotice ? tw('wall.revoked') : tw('wall.noAccess')}
        </div>
      )}
      <div hidden={view !== 'workspace'} class="ws-view" data-view="workspace">
        <ReceptionPanel
          slug={slug}
          operator={op}
          tz={tz}
          aside={account}
          linePane={<DeskPanel slug={slug} operator={op} tz={tz} onDesk={setDesk} />}
          currentPane={
            view === 'workspace' && desk?.counter ? <CounterPanel slug={slug} tz={tz} counterId={desk.counter.id} /> : null
          }
          onCounts={(waiting, unread) => setCounts((c) => (c.waiting === waiting && c.unread === unread ? c : { waiting, unread }))}
          onPresence={(presence) =>
            setSession((s) => (s && s.operator.presence !== presence ? { ...s, operator: { ...s.operator, presence } } : s))
          }
        />
      </div>
      {view === 'agenda' && <AgendaPanel slug={slug} operator={op} tz={tz} />}
      {view === 'cases' && <CasesPanel slug={slug} operator={op} initialOpen={route.rest || undefined} key={route.rest} />}
      {view === 'counter' && <CounterPanel slug={slug} tz={tz} counterId={desk?.counter?.id} />}
      {view === 'stats' && <QueueStatsPanel slug={slug} tz={tz} />}
      {view === 'supervision' && (
        <SupervisionPanel
          slug={slug}
          operator={op}
          tz={tz}
          onRevoked={() => {
            setRightsNotice(true);
            void loadSession().then((s) => (s && s.ente?.slug === slug ? setSession(s) : goToLogin(slug)), () => goToLogin(slug));
          }}
        />
      )}
      {view === 'settings' && <ContactSettingsPanel slug={slug} operator={op} />}
      {view === 'account' && (
        <div class="console-grid">
          <MyOffices slug={slug} operator={op} />
          <ChangePassword />
        </div>
      )}
    </Page>
  );
}

mount(Console);
