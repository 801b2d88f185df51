// Administration of an office's reception hours: weekly rules (one row per time slot) and
// dated exceptions; saved as a whole with PUT /api/v1/enti/{slug}/offices/{id}/schedule.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, CHANNELS, enc, listOf, type Schedule, type TimeRange } from '../api';
import { t } from '../i18n';
import { apiMessage, Checkbox, FieldError, FormMessages, SelectField, TextField, useSubmit, type Errors } from './forms';
import { announce, Loading } from './layout';
import { channelName } from './office';

interface OfficeRef {
  id: string;
  slug: string;
  name: string;
}

let uid = 0;
const nextKey = () => `k${++uid}`;

interface RuleRow {
  key: string;
  weekday: string;
  start: string;
  end: string;
  channel: string;
}
interface IntervalRow {
  key: string;
  start: string;
  end: string;
}
interface ExceptionRow {
  key: string;
  date: string;
  closed: boolean;
  intervals: IntervalRow[];
  channel: string;
  note: string;
}

// <input type=time> cannot hold "24:00": the end of the day is shown as 00:00 (an end at or
// before the start means "ends the next day", so both mean midnight) and sent back as 24:00.
const endIn = (s: string) => (s === '24:00' ? '00:00' : s);
const endOut = (s: string) => (s === '00:00' ? '24:00' : s);

function toRows(s: Schedule): { rules: RuleRow[]; exceptions: ExceptionRow[] } {
  return {
    rules: (s.rules ?? []).map((r) => ({
      key: nextKey(),
      weekday: String(r.weekday),
      start: r.start,
      end: endIn(r.end),
      channel: r.channel ?? '',
    })),
    exceptions: (s.exceptions ?? []).map((x) => ({
      key: nextKey(),
      date: x.date,
      closed: x.closed,
      intervals: (x.intervals ?? []).map((i: TimeRange) => ({ key: nextKey(), start: i.start, end: endIn(i.end) })),
      channel: x.channel ?? '',
      note: x.note ?? '',
    })),
  };
}

function fromRows(rules: RuleRow[], exceptions: ExceptionRow[]): Schedule {
  return {
    rules: rules.map((r) => ({
      weekday: Number(r.weekday),
      start: r.start,
      end: endOut(r.end),
      channel: r.channel === '' ? null : r.channel,
    })),
    exceptions: exceptions.map((x) => ({
      date: x.date,
      closed: x.closed,
      intervals: x.closed ? [] : x.intervals.map((i) => ({ start: i.start, end: endOut(i.end) })),
      channel: x.channel === '' ? null : x.channel,
      note: x.note.trim(),
    })),
  };
}

function MiniInput(p: {
  id: string;
  label: string;
  type: 'time' | 'text' | 'date';
  value: string;
  onInput: (v: string) => void;
  error?: string;
  visibleLabel?: boolean;
}) {
  return (
    <div class="mini-field">
      <label for={p.id} class={p.visibleLabel ? '' : 'visually-hidden'}>
        {p.label}
      </label>
      <input
        id={p.id}
        type={p.type}
        class={`form-control ${p.error ? 'field-invalid' : ''}`}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? `${p.id}-error` : undefined}
        required
      />
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

function MiniSelect(p: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string;
}) {
  return (
    <div class="mini-field">
      <label for={p.id} class="visually-hidden">
        {p.label}
      </label>
      <select
        id={p.id}
        value={p.value}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        class={p.error ? 'field-invalid' : ''}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? `${p.id}-error` : undefined}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

export function ScheduleEditor({ slug }: { slug: string }) {
  const [offices, setOffices] = useState<OfficeRef[] | null>(null);
  const [officeId, setOfficeId] = useState('');
  const [rules, setRules] = useState<RuleRow[]>([]);
  const [exceptions, setExceptions] = useState<ExceptionRow[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { state, run, setState } = useSubmit((f) => /^(rules|exceptions)(\.|$)/.test(f));
  const addRuleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    api<unknown>('GET', `/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => {
        const list = listOf<OfficeRef>(a, 'offices');
        setOffices(list);
        // #schedule/urp opens that office directly.
        const wanted = decodeURIComponent(location.hash.split('/')[1] ?? '');
        const pick = list.find((o) => o.slug === wanted || o.id === wanted);
        if (pick) setOfficeId(pick.id);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  }, [slug]);

  const path = (id: string) => `/api/v1/enti/${enc(slug)}/offices/${enc(id)}/schedule`;

  useEffect(() => {
    setLoaded(false);
    setState({ errors: {}, busy: false });
    if (!officeId) return;
    api<Schedule>('GET', path(officeId))
      .then((s) => {
        const rows = toRows(s);
        setRules(rows.rules);
        setExceptions(rows.exceptions);
        setLoaded(true);
        setLoadError(null);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  }, [officeId]);

  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: t(`weekday.${d}` as 'weekday.1') }));
  const channels = [{ value: '', label: t('channel.all') }, ...CHANNELS.map((c) => ({ value: c, label: channelName(c) }))];
  const office = offices?.find((o) => o.id === officeId);

  const setRule = (i: number, patch: Partial<RuleRow>) =>
    setRules((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setExc = (i: number, patch: Partial<ExceptionRow>) =>
    setExceptions((xs) => xs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const setInterval_ = (i: number, k: number, patch: Partial<IntervalRow>) =>
    setExc(i, { intervals: exceptions[i].intervals.map((iv, j) => (j === k ? { ...iv, ...patch } : iv)) });

  const save = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    rules.forEach((r, i) => {
      if (!r.start) local[`rules.${i}.start`] = t('form.required');
      if (!r.end) local[`rules.${i}.end`] = t('form.required');
    });
    exceptions.forEach((x, i) => {
      if (!x.date) local[`exceptions.${i}.date`] = t('form.required');
      if (!x.closed)
        x.intervals.forEach((iv, k) => {
          if (!iv.start) local[`exceptions.${i}.intervals.${k}.start`] = t('form.required');
          if (!iv.end) local[`exceptions.${i}.intervals.${k}.end`] = t('form.required');
        });
    });
    await run(async () => {
      const saved = await api<Schedule | undefined>('PUT', path(officeId), fromRows(rules, exceptions));
      if (saved && Array.isArray(saved.rules)) {
        const rows = toRows(saved);
        setRules(rows.rules);
        setExceptions(rows.exceptions);
      }
      const msg = t('schedule.saved', { office: office?.name ?? '' });
      announce(msg);
      return msg;
    }, local);
  };

  const err = state.errors;
  // An error on a whole row ("rules.2") or on the list ("rules") is shown with the list.
  const listError = (prefix: string, i?: number) =>
    i === undefined ? err[prefix] : err[`${prefix}.${i}`];

  return (
    <div id="schedule-editor">
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {!offices && !loadError && <Loading />}
      {offices && (
        <SelectField
          id="schedule-office"
          label={t('schedule.office')}
          value={officeId}
          onChange={setOfficeId}
          options={[{ value: '', label: t('schedule.choose') }, ...offices.map((o) => ({ value: o.id, label: o.name }))]}
        />
      )}
      {offices && !officeId && (
        <p class="empty-hint" id="schedule-pick-hint">
          {t('schedule.pickHint')}
        </p>
      )}
      {officeId && !loaded && !loadError && <Loading />}
      {officeId && loaded && (
        <form onSubmit={save} noValidate id="schedule-form">
          <h3 class="h4" id="rules-title">
            {t('schedule.rules')}
          </h3>
          <p id="rules-help">{t('schedule.rulesHelp')}</p>
          <FieldError id="rules" error={listError('rules')} />
          {rules.length === 0 ? (
            <p>{t('schedule.noRules')}</p>
          ) : (
            <div class="table-responsive">
              <table class="table table-form" id="rules-table" aria-describedby="rules-help">
                <caption class="visually-hidden">{t('schedule.rules')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('schedule.weekday')}</th>
                    <th scope="col">{t('schedule.start')}</th>
                    <th scope="col">{t('schedule.end')}</th>
                    <th scope="col">{t('schedule.channel')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('form.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rules.map((r, i) => {
                    const n = i + 1;
                    const lbl = (field: string) => t('schedule.rowLabel', { field, n });
                    return (
                      <tr key={r.key} data-rule-index={i} data-weekday={r.weekday} data-channel={r.channel}>
                        <td>
                          <MiniSelect
                            id={`rules-${i}-weekday`}
                            label={lbl(t('schedule.weekday'))}
                            value={r.weekday}
                            onChange={(v) => setRule(i, { weekday: v })}
                            options={weekdays}
                            error={err[`rules.${i}.weekday`]}
                          />
                        </td>
                        <td>
                          <MiniInput
                            id={`rules-${i}-start`}
                            type="time"
                            label={lbl(t('schedule.start'))}
                            value={r.start}
                            onInput={(v) => setRule(i, { start: v })}
                            error={err[`rules.${i}.start`]}
                          />
                        </td>
                        <td>
                          <MiniInput
                            id={`rules-${i}-end`}
                            type="time"
                            label={lbl(t('schedule.end'))}
                            value={r.end}
                            onInput={(v) => setRule(i, { end: v })}
                            error={err[`rules.${i}.end`]}
                          />
                        </td>
                        <td>
                          <MiniSelect
                            id={`rules-${i}-channel`}
                            label={lbl(t('schedule.channel'))}
                            value={r.channel}
                            onChange={(v) => setRule(i, { channel: v })}
                            options={channels}
                            error={err[`rules.${i}.channel`]}
                          />
                        </td>
                        <td>
                          <button
                            type="button"
                            class="btn btn-outline-danger btn-sm"
                            onClick={() => {
                              setRules((rs) => rs.filter((_, j) => j !== i));
                              addRuleRef.current?.focus();
                            }}
                          >
                            {t('form.delete')}
                            <span class="visually-hidden"> – {t('schedule.removeRule', { n })}</span>
                          </button>
                          <FieldError id={`rules-${i}`} error={listError('rules', i)} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <button
            type="button"
            class="btn btn-outline-primary mb-5"
            ref={addRuleRef}
            onClick={() => {
              const last = rules[rules.length - 1];
              setRules([
                ...rules,
                {
                  key: nextKey(),
                  weekday: last ? String((Number(last.weekday) % 7) + 1) : '1',
                  start: last?.start ?? '09:00',
                  end: last?.end ?? '12:00',
                  channel: '',
                },
              ]);
              window.setTimeout(() => document.getElementById(`rules-${rules.length}-weekday`)?.focus(), 0);
            }}
          >
            {t('schedule.addRule')}
          </button>

          <h3 class="h4" id="exceptions-title">
            {t('schedule.exceptions')}
          </h3>
          <p>{t('schedule.exceptionsHelp')}</p>
          <FieldError id="exceptions" error={listError('exceptions')} />
          {exceptions.length === 0 && <p>{t('schedule.noExceptions')}</p>}
          {exceptions.map((x, i) => {
            const n = i + 1;
            return (
              <fieldset class="exception-block" key={x.key} id={`exceptions-${i}`}>
                <legend>{t('schedule.exceptionN', { n })}</legend>
                <FieldError id={`exceptions-${i}`} error={listError('exceptions', i)} />
                <div class="exception-grid">
                  <TextField
                    id={`exceptions-${i}-date`}
                    type="date"
                    label={t('schedule.date')}
                    value={x.date}
                    onInput={(v) => setExc(i, { date: v })}
                    required
                    error={err[`exceptions.${i}.date`]}
                  />
                  <SelectField
                    id={`exceptions-${i}-channel`}
                    label={t('schedule.channel')}
                    value={x.channel}
                    onChange={(v) => setExc(i, { channel: v })}
                    options={channels}
                    error={err[`exceptions.${i}.channel`]}
                  />
                  <TextField
                    id={`exceptions-${i}-note`}
                    label={t('schedule.note')}
                    value={x.note}
                    onInput={(v) => setExc(i, { note: v })}
                    error={err[`exceptions.${i}.note`]}
                  />
                </div>
                <Checkbox
                  id={`exceptions-${i}-closed`}
                  label={t('schedule.closedDay')}
                  checked={x.closed}
                  onChange={(v) => setExc(i, { closed: v })}
                  error={err[`exceptions.${i}.closed`]}
                />
                {!x.closed && (
                  <div class="mt-3">
                    <p class="fw-semibold mb-2">{t('schedule.intervals')}</p>
                    <FieldError id={`exceptions-${i}-intervals`} error={err[`exceptions.${i}.intervals`]} />
                    {x.intervals.map((iv, k) => {
                      const m = k + 1;
                      const lbl = (field: string) => t('schedule.intervalLabel', { field, m, n });
                      return (
                        <div class="interval-row" key={iv.key}>
                          <MiniInput
                            id={`exceptions-${i}-intervals-${k}-start`}
                            type="time"
                            label={lbl(t('schedule.start'))}
                            value={iv.start}
                            onInput={(v) => setInterval_(i, k, { start: v })}
                            error={err[`exceptions.${i}.intervals.${k}.start`] ?? err[`exceptions.${i}.intervals.${k}`]}
                          />
                          <MiniInput
                            id={`exceptions-${i}-intervals-${k}-end`}
                            type="time"
                            label={lbl(t('schedule.end'))}
                            value={iv.end}
                            onInput={(v) => setInterval_(i, k, { end: v })}
                            error={err[`exceptions.${i}.intervals.${k}.end`]}
                          />
                          <button
                            type="button"
                            class="btn btn-outline-danger btn-sm"
                            onClick={() => setExc(i, { intervals: x.intervals.filter((_, j) => j !== k) })}
                          >
                            {t('form.delete')}
                            <span class="visually-hidden"> – {t('schedule.removeInterval', { m, n })}</span>
                          </button>
                        </div>
                      );
                    })}
                    <button
                      type="button"
                      class="btn btn-outline-primary btn-sm mb-3"
                      onClick={() =>
                        setExc(i, { intervals: [...x.intervals, { key: nextKey(), start: '09:00', end: '12:00' }] })
                      }
                    >
                      {t('schedule.addInterval')}
                      <span class="visually-hidden"> – {t('schedule.exceptionN', { n })}</span>
                    </button>
                  </div>
                )}
                <div>
                  <button
                    type="button"
                    class="btn btn-outline-danger btn-sm mb-2"
                    onClick={() => setExceptions((xs) => xs.filter((_, j) => j !== i))}
                  >
                    {t('schedule.removeException', { n })}
                  </button>
                </div>
              </fieldset>
            );
          })}
          <button
            type="button"
            class="btn btn-outline-primary mb-5"
            onClick={() => {
              setExceptions([
                ...exceptions,
                { key: nextKey(), date: '', closed: true, intervals: [], channel: '', note: '' },
              ]);
              window.setTimeout(() => document.getElementById(`exceptions-${exceptions.length}-date`)?.focus(), 0);
            }}
          >
            {t('schedule.addException')}
          </button>

          <FormMessages error={state.formError} success={state.success} />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={state.busy} id="schedule-save">
              {t('schedule.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
