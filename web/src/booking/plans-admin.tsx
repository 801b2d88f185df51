// Administration of appointment plans (docs/API.md, "Appointments"): per office and service
// (or the office itself) the weekly periods and breaks, slot length, places per slot, booking
// window, video, and dated exceptions (a closed day, or the day's own hours). Saved as a whole
// with PUT /api/v1/enti/{slug}/booking/plans; deleted only when no booking is still to come.

import { useEffect, useState } from 'preact/hooks';
import { api, enc, listOf } from '../api';
import { apiMessage, FormMessages } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { t, type I18nKey } from '../i18n';
import { tb } from './i18n-booking';

interface Office {
  id: string;
  slug: string;
  name: string;
}
interface Service {
  id: string;
  name: string;
  office_id: string | null;
}
interface Range {
  weekday?: number;
  start: string;
  end: string;
}
interface Exception {
  date: string;
  closed?: boolean;
  periods?: Range[];
  note?: string;
}
interface Plan {
  id: string;
  office: string;
  service: string | null;
  slot_minutes: number;
  capacity: number;
  min_notice_minutes: number;
  max_days_ahead: number;
  video: boolean;
  periods: Range[];
  breaks: Range[];
  exceptions: Exception[];
}

const EMPTY = (office: string, service: string | null): Plan => ({
  id: '',
  office,
  service,
  slot_minutes: 30,
  capacity: 1,
  min_notice_minutes: 120,
  max_days_ahead: 60,
  video: false,
  periods: [],
  breaks: [],
  exceptions: [],
});

const weekdayName = (n: number) => t(`weekday.${n}` as I18nKey);

function RangeRows({ id, label, rows, onChange }: { id: string; label: string; rows: Range[]; onChange: (r: Range[]) => void }) {
  const set = (i: number, patch: Partial<Range>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset class="mb-4" id={id}>
      <legend class="h6">{label}</legend>
      {rows.length === 0 && <p class="text-muted small">{tb('plans.none')}</p>}
      {rows.map((r, i) => (
        <div class="d-flex flex-wrap gap-2 align-items-end mb-2" data-row={i}>
          <div>
            <label for={`${id}-${i}-weekday`} class="form-label small">
              {tb('plans.weekday')}
            </label>
            <select id={`${id}-${i}-weekday`} class="form-select" value={String(r.weekday ?? 1)} onChange={(e) => set(i, { weekday: Number(e.currentTarget.value) })}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option value={String(d)}>{weekdayName(d)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for={`${id}-${i}-start`} class="form-label small">
              {tb('plans.from')}
            </label>
            <input id={`${id}-${i}-start`} type="time" class="form-control" value={r.start} onInput={(e) => set(i, { start: e.currentTarget.value })} />
          </div>
          <div>
            <label for={`${id}-${i}-end`} class="form-label small">
              {tb('plans.to')}
            </label>
            <input id={`${id}-${i}-end`} type="time" class="form-control" value={r.end} onInput={(e) => set(i, { end: e.currentTarget.value })} />
          </div>
          <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
            {tb('plans.remove')}
            <span class="visually-hidden">
              {' '}
              {label} {i + 1}
            </span>
          </button>
        </div>
      ))}
      <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => onChange([...rows, { weekday: 1, start: '09:00', end: '12:00' }])}>
        {tb('plans.add')}
        <span class="visually-hidden"> ({label})</span>
      </button>
    </fieldset>
  );
}

export function PlansAdmin({ slug }: { slug: string }) {
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [services, setServices] = useState<Service[]>([]);
  const [plans, setPlans] = useState<Plan[]>([]);
  const [office, setOffice] = useState('');
  const [service, setService] = useState('');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [success, setSuccess] = useState<string | undefined>();
  const base = `/api/v1/enti/${enc(slug)}`;

  const loadPlans = async () => setPlans(await api<Plan[]>('GET', `${base}/booking/plans`));

  useEffect(() => {
    Promise.all([api<unknown>('GET', `${base}/offices`), api<unknown>('GET', `${base}/services`), loadPlans()])
      .then(([o, s]) => {
        const os = listOf<Office>(o, 'offices');
        setOffices(os);
        setServices(listOf<Service>(s, 'services'));
        if (os[0]) setOffice(os[0].id);
      })
      .catch((e) => setError(apiMessage(e)));
  }, []);

  // The plan being edited follows the chosen office and service.
  useEffect(() => {
    if (!office) return;
    const found = plans.find((p) => p.office === office && (p.service ?? '') === service);
    setPlan(found ? structuredClone(found) : EMPTY(office, service || null));
  }, [office, service, plans]);

  if (!offices) return error ? <FormMessages error={error} /> : <Loading />;
  const officeServices = services.filter((s) => s.office_id === office);
  const nameOf = (p: Plan) => {
    const o = offices.find((x) => x.id === p.office)?.name ?? p.office;
    const s = p.service ? services.find((x) => x.id === p.service)?.name ?? p.service : tb('service.general');
    return `${o} · ${s}`;
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!plan) return;
    setError(undefined);
    setSuccess(undefined);
    try {
      const p = plan;
      await api('PUT', `${base}/booking/plans`, {
        office: p.office,
        service: p.service || null,
        slot_minutes: p.slot_minutes,
        capacity: p.capacity,
        min_notice_minutes: p.min_notice_minutes,
        max_days_ahead: p.max_days_ahead,
        video: p.video,
        periods: p.periods,
        breaks: p.breaks,
        exceptions: p.exceptions,
      });
      await loadPlans();
      setSuccess(tb('plans.saved'));
      announce(tb('plans.saved'));
    } catch (err) {
      setError(apiMessage(err));
    }
  };
  const remove = async () => {
    if (!plan?.id) return;
    setError(undefined);
    setSuccess(undefined);
    try {
      await api('DELETE', `${base}/booking/plans/${enc(plan.id)}`);
      await loadPlans();
      setSuccess(tb('plans.deleted'));
      announce(tb('plans.deleted'));
    } catch (err) {
      setError(apiMessage(err));
    }
  };
  const num = (k: 'slot_minutes' | 'capacity' | 'min_notice_minutes' | 'max_days_ahead', label: string, min: number, max: number) => (
    <div class="col-sm-6 col-lg-3 mb-3">
      <label for={`plan-${k}`} class="form-label">
        {label}
      </label>
      <input
        id={`plan-${k}`}
        type="number"
        class="form-control"
        min={min}
        max={max}
        value={String(plan?.[k] ?? '')}
        onInput={(e) => plan && setPlan({ ...plan, [k]: Number(e.currentTarget.value) })}
      />
    </div>
  );

  return (
    <div id="plans-admin">
      <p>{tb('plans.lead')}</p>
      {plans.length > 0 && (
        <ul id="plans-list" class="mb-4">
          {plans.map((p) => (
            <li>
              {nameOf(p)}: {tb('plans.summary', { slot: p.slot_minutes, cap: p.capacity })}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} noValidate>
        <div class="row">
          <div class="col-sm-6 mb-3">
            <label for="plan-office" class="form-label">
              {tb('office.legend')}
            </label>
            <select
              id="plan-office"
              class="form-select"
              value={office}
              onChange={(e) => {
                setOffice(e.currentTarget.value);
                setService('');
              }}
            >
              {offices.map((o) => (
                <option value={o.id}>{o.name}</option>
              ))}
            </select>
          </div>
          <div class="col-sm-6 mb-3">
            <label for="plan-service" class="form-label">
              {tb('service.legend')}
            </label>
            <select id="plan-service" class="form-select" value={service} onChange={(e) => setService(e.currentTarget.value)}>
              <option value="">{tb('plans.noService')}</option>
              {officeServices.map((s) => (
                <option value={s.id}>{s.name}</option>
              ))}
            </select>
          </div>
        </div>
        {plan && (
          <>
            <div class="row">
              {num('slot_minutes', tb('plans.slot'), 5, 480)}
              {num('capacity', tb('plans.capacity'), 1, 100)}
              {num('min_notice_minutes', tb('plans.notice'), 0, 527040)}
              {num('max_days_ahead', tb('plans.ahead'), 1, 366)}
            </div>
            <div class="form-check mb-4">
              <input id="plan-video" class="form-check-input" type="checkbox" checked={plan.video} onChange={(e) => setPlan({ ...plan, video: e.currentTarget.checked })} />
              <label for="plan-video" class="form-check-label">
                {tb('plans.video')}
              </label>
            </div>
            <RangeRows id="plan-periods" label={tb('plans.periods')} rows={plan.periods} onChange={(r) => setPlan({ ...plan, periods: r })} />
            <RangeRows id="plan-breaks" label={tb('plans.breaks')} rows={plan.breaks} onChange={(r) => setPlan({ ...plan, breaks: r })} />
            <fieldset class="mb-4" id="plan-exceptions">
              <legend class="h6">{tb('plans.exceptions')}</legend>
              {plan.exceptions.map((x, i) => {
                const set = (patch: Partial<Exception>) => setPlan({ ...plan, exceptions: plan.exceptions.map((y, k) => (k === i ? { ...y, ...patch } : y)) });
                const r = x.periods?.[0] ?? { start: '09:00', end: '12:00' };
                return (
                  <div class="d-flex flex-wrap gap-2 align-items-end mb-2">
                    <div>
                      <label for={`exc-${i}-date`} class="form-label small">
                        {tb('plans.date')}
                      </label>
                      <input id={`exc-${i}-date`} type="date" class="form-control" value={x.date} onInput={(e) => set({ date: e.currentTarget.value })} />
                    </div>
                    <div class="form-check">
                      <input id={`exc-${i}-closed`} class="form-check-input" type="checkbox" checked={!!x.closed} onChange={(e) => set({ closed: e.currentTarget.checked, periods: e.currentTarget.checked ? [] : [r] })} />
                      <label for={`exc-${i}-closed`} class="form-check-label">
                        {tb('plans.closed')}
                      </label>
                    </div>
                    {!x.closed && (
                      <>
                        <div>
                          <label for={`exc-${i}-start`} class="form-label small">
                            {tb('plans.from')}
                          </label>
                          <input id={`exc-${i}-start`} type="time" class="form-control" value={r.start} onInput={(e) => set({ periods: [{ start: e.currentTarget.value, end: r.end }] })} />
                        </div>
                        <div>
                          <label for={`exc-${i}-end`} class="form-label small">
                            {tb('plans.to')}
                          </label>
                          <input id={`exc-${i}-end`} type="time" class="form-control" value={r.end} onInput={(e) => set({ periods: [{ start: r.start, end: e.currentTarget.value }] })} />
                        </div>
                      </>
                    )}
                    <div>
                      <label for={`exc-${i}-note`} class="form-label small">
                        {tb('plans.note')}
                      </label>
                      <input id={`exc-${i}-note`} type="text" class="form-control" maxLength={200} value={x.note ?? ''} onInput={(e) => set({ note: e.currentTarget.value })} />
                    </div>
                    <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => setPlan({ ...plan, exceptions: plan.exceptions.filter((_, k) => k !== i) })}>
                      {tb('plans.remove')}
                      <span class="visually-hidden">
                        {' '}
                        {tb('plans.exceptions')} {i + 1}
                      </span>
                    </button>
                  </div>
                );
              })}
              <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => setPlan({ ...plan, exceptions: [...plan.exceptions, { date: '', closed: true, periods: [], note: '' }] })}>
                {tb('plans.add')}
                <span class="visually-hidden"> ({tb('plans.exceptions')})</span>
              </button>
            </fieldset>
            <FormMessages error={error} success={success} />
            <div class="d-flex gap-2">
              <button type="submit" class="btn btn-primary">
                {tb('plans.save')}
              </button>
              {plan.id && (
                <button type="button" class="btn btn-outline-danger" onClick={() => void remove()}>
                  {tb('plans.delete')}
                </button>
              )}
            </div>
          </>
        )}
      </form>
    </div>
  );
}
