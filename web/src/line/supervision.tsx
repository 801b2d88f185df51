// The console's supervision view (supervisors and admins, "#/supervisione"): every operator at
// work with their open desk and the conversations they hold (GET /api/v1/supervision), and for
// each conversation "Affida a" a colleague or "Prendo io" (POST /api/v1/visits/{id}/assign).
// It reloads on every change of the offices' visits (office:{id}:staff, the supervisor serves
// every office of the ente) and every 30 s.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, enc, get, type Operator, type PublicOffice } from '../api';
import { apiMessage } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { formatTime } from '../format';
import { t } from '../i18n';
import { Realtime } from '../realtime';
import { label, type Visit, visitWho } from '../reception/console-model';
import { tw } from './i18n-workspace';
import type { Desk } from './desk-panel';

interface AtWork {
  id: string;
  display_name: string;
  role: string;
  presence: string;
  offices: string[];
  desk: Desk | null;
  visits: Visit[];
}

function Reassign({ visit, operators, me, onDone }: { visit: Visit; operators: AtWork[]; me: string; onDone: () => void }) {
  const others = operators.filter((o) => o.id !== visit.operator?.id && o.presence !== 'away');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `sup-${visit.id}`;
  const give = async (target: string) => {
    const op = operators.find((o) => o.id === target);
    if (!op) return;
    setBusy(true);
    setError(null);
    try {
      await api<Visit>('POST', `/api/v1/visits/${enc(visit.id)}/assign`, { operator_id: target });
      announce(tw('sup.done', { who: visitWho(visit), op: op.display_name }));
      onDone();
    } catch (e) {
      setError(apiMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="sup-actions">
      <form
        class="inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void give(to || others[0]?.id || '');
        }}
      >
        <div class="select-wrapper form-group-select mb-0 mt-0">
          <label for={`${id}-to`}>
            {tw('sup.reassign')}
            <span class="visually-hidden"> – {visitWho(visit)}</span>
          </label>
          <select id={`${id}-to`} value={to || others[0]?.id} onChange={(e) => setTo(e.currentTarget.value)}>
            {others.map((o) => (
              <option value={o.id}>{o.display_name}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-outline-primary btn-sm" disabled={busy || others.length === 0}>
          {tw('sup.reassignSubmit')}
        </button>
      </form>
      {visit.operator?.id !== me && (
        <button type="button" class="btn btn-primary btn-sm btn-take-over" disabled={busy} onClick={() => void give(me)}>
          {tw('sup.takeOver')}
          <span class="visually-hidden"> – {visitWho(visit)}</span>
        </button>
      )}
      {error && (
        <p class="alert alert-danger mt-2 mb-0" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function SupervisionPanel({ slug, operator, tz }: { slug: string; operator: Operator; tz: string }) {
  const [ops, setOps] = useState<AtWork[] | null>(null);
  const [at, setAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offices, setOffices] = useState<PublicOffice[]>([]);
  const realtime = useMemo(() => new Realtime(), []);
  const load = () =>
    get<{ operators: AtWork[]; at: string }>('/api/v1/supervision')
      .then((a) => {
        // The supervisor can take over: they are listed too, even while away.
        const list = a.operators.some((o) => o.id === operator.id)
          ? a.operators
          : [...a.operators, { id: operator.id, display_name: operator.display_name, role: operator.role, presence: operator.presence, offices: [], desk: null, visits: [] }];
        setOps(list);
        setAt(a.at);
        setError(null);
      })
      .catch((e) => setError(apiMessage(e)));
  useEffect(() => {
    void load();
    get<{ offices: PublicOffice[] }>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(a.offices))
      .catch(() => undefined);
    const timer = window.setInterval(() => void load(), 30_000);
    return () => {
      window.clearInterval(timer);
      realtime.close();
    };
  }, [slug]);
  const officeKey = offices.map((o) => o.id).join(',');
  useEffect(() => {
    let t = 0;
    const soon = () => {
      window.clearTimeout(t);
      t = window.setTimeout(() => void load(), 200);
    };
    const stops = offices.map((o) => realtime.subscribe(`office:${o.id}:staff`, { onEvent: soon, onResync: soon }));
    return () => stops.forEach((s) => s());
  }, [officeKey]);
  const officeName = (id: string) => offices.find((o) => o.id === id)?.name ?? id;

  return (
    <section class="panel" id="supervision" aria-labelledby="sup-title">
      <div class="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <h2 id="sup-title" class="h4 mb-0">
          {tw('sup.title')}
        </h2>
        <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => void load()}>
          {tw('sup.refresh')}
        </button>
      </div>
      <p class="mt-2">{tw('sup.intro')}</p>
      {at && (
        <p class="small" role="status">
          {tw('sup.updated', { time: formatTime(at, tz) })}
        </p>
      )}
      {error && (
        <div class="alert alert-danger" role="alert">
          {tw('sup.loadError', { message: error })}
        </div>
      )}
      {!ops && !error && <Loading />}
      {ops && ops.length === 0 && <p>{tw('sup.empty')}</p>}
      {ops && ops.length > 0 && (
        <ul class="list-unstyled sup-list" id="supervision-list">
          {ops.map((o) => (
            <li class="sup-operator" data-operator={o.id}>
              <h3 class="h6 mb-1">
                {o.display_name} <span class="badge bg-secondary">{t(`presence.${o.presence}` as Parameters<typeof t>[0])}</span>
              </h3>
              <p class="small mb-2">
                <span class="fw-semibold">{tw('sup.desk')}:</span>{' '}
                {o.desk ? (o.desk.counter ? o.desk.counter.name : `${tw('sup.remote')} · ${o.desk.offices.map(officeName).join(', ')}`) : tw('sup.noDesk')}
              </p>
              <p class="small fw-semibold mb-1">{tw('sup.contacts')}:</p>
              {o.visits.length === 0 ? (
                <p class="small">{tw('sup.noContacts')}</p>
              ) : (
                <ul class="list-unstyled mb-2">
                  {o.visits.map((v) => (
                    <li class="sup-visit" data-visit={v.id}>
                      <span class="fw-semibold">{visitWho(v)}</span> · {label('mode', v.mode)} · {v.office.name}
                      {v.admitted_at && ` · ${formatTime(v.admitted_at, tz)}`}
                      <Reassign visit={v} operators={ops} me={operator.id} onDone={() => void load()} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
