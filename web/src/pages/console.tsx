// "/{slug}/console" — the operator's console: who is signed in, presence, their desk on the one
// line (../line/desk-panel: open a desk, "Chiama il prossimo" across every channel), the virtual reception
// (waiting room, conversations, messages left, today's ended visits: ../reception/console-*),
// the queue-ticket counter (../queue/counter-panel), their offices with open/closed status, change password, sign out.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, enc, get, type OfficesAnswer, type Operator, type Presence } from '../api';
import { apiMessage, FormMessages, SelectField, TextField, useSubmit, type Errors } from '../components/forms';
import { announce, FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { StatusBadge } from '../components/office';
import { t } from '../i18n';
import { LogoutButton, roleName, useStaffSession } from '../components/staff';
import { tk as tkb } from '../knowledge/i18n-kb';
import { ReceptionPanel } from '../reception/console-reception';
import { CounterPanel } from '../queue/counter-panel';
import { AgendaPanel } from '../booking/agenda-panel';
import { QueueStatsPanel } from '../queue/stats-panel';
import { CasesPanel } from '../cases/console-cases';
import { DeskPanel, type Desk } from '../line/desk-panel';
import { InfoPointLink } from '../visitors/console-link';

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

function Console() {
  const slug = slugFromPath();
  const { session, setSession, error } = useStaffSession(slug);
  const [desk, setDesk] = useState<Desk | null>(null);

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
  return (
    <Page title={t('console.title')} ente={session.ente} slug={slug} headerActions={<><InfoPointLink slug={slug} /><LogoutButton slug={slug} /></>}>
      <h1>{t('console.title')}</h1>
      <DeskPanel slug={slug} operator={op} tz={session.ente.timezone} onDesk={setDesk} />
      <ReceptionPanel
        slug={slug}
        operator={op}
        tz={session.ente.timezone}
        aside={account}
        onPresence={(presence) =>
          setSession((s) => (s && s.operator.presence !== presence ? { ...s, operator: { ...s.operator, presence } } : s))
        }
      />
      <CounterPanel slug={slug} tz={session.ente.timezone} counterId={desk?.counter?.id} />
      <AgendaPanel slug={slug} operator={op} tz={session.ente.timezone} />
      <CasesPanel slug={slug} operator={op} />
      <QueueStatsPanel slug={slug} tz={session.ente.timezone} />
      <div class="console-grid">
        <MyOffices slug={slug} operator={op} />
        <ChangePassword />
      </div>
    </Page>
  );
}

mount(Console);
