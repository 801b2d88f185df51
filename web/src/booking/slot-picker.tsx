// The month view of free places and the day's free times (step 2 of the booking flow, and
// "move" on the manage page). Days are buttons in a 7-column table (Monday first); a day without
// free places is disabled; the chosen day's times are radio buttons. Dates are the ente's local
// dates ("YYYY-MM-DD") formatted without time-zone shifts.

import { useEffect, useState } from 'preact/hooks';
import { locale } from '../i18n';
import { addMonths, call, bookingBase, type Availability, type FreeSlot } from './booking-api';
import { tb } from './i18n-booking';

const utcNoon = (day: string) => new Date(`${day}T12:00:00Z`);

export function formatDay(day: string, withWeekday = true): string {
  return utcNoon(day).toLocaleDateString(locale(), {
    timeZone: 'UTC',
    weekday: withWeekday ? 'long' : undefined,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

function monthName(month: string): string {
  return utcNoon(`${month}-15`).toLocaleDateString(locale(), { timeZone: 'UTC', month: 'long', year: 'numeric' });
}

export interface SlotChoice {
  date: string;
  start: string;
}

interface Props {
  slug: string;
  office: string;
  service: string | null;
  initialMonth: string;
  value: SlotChoice | null;
  onChange: (v: SlotChoice | null) => void;
  /** Bumped by the parent to reload (e.g. after "slot just taken"). */
  reload?: number;
  error?: string | null;
}

export function SlotPicker({ slug, office, service, initialMonth, value, onChange, reload = 0, error }: Props) {
  const [month, setMonth] = useState(value ? value.date.slice(0, 7) : initialMonth);
  const [data, setData] = useState<Availability | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [day, setDay] = useState<string | null>(value?.date ?? null);

  useEffect(() => {
    let live = true;
    setData(null);
    const q = service ? `&service=${encodeURIComponent(service)}` : '';
    call<Availability>('GET', `${bookingBase(slug)}/offices/${encodeURIComponent(office)}/availability?month=${month}${q}`, null)
      .then((a) => {
        if (!live) return;
        setData(a);
        setLoadError(null);
      })
      .catch((e) => live && setLoadError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [slug, office, service, month, reload]);

  const first = utcNoon(`${month}-01`);
  const lead = (first.getUTCDay() + 6) % 7;  // Monday first
  const days = data?.days ?? [];
  const cells: (typeof days[number] | null)[] = [...Array(lead).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks: (typeof cells)[] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((i) =>
    new Date(Date.UTC(2024, 0, i)).toLocaleDateString(locale(), { timeZone: 'UTC', weekday: 'short' }),
  );
  const weekdaysLong = [1, 2, 3, 4, 5, 6, 7].map((i) =>
    new Date(Date.UTC(2024, 0, i)).toLocaleDateString(locale(), { timeZone: 'UTC', weekday: 'long' }),
  );
  const slots: FreeSlot[] = (data?.slots ?? []).filter((s) => s.date === day);
  const anyFree = days.some((d) => d.free > 0);

  return (
    <div class="slot-picker">
      <div class="d-flex align-items-center justify-content-between mb-2 gap-2">
        <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => setMonth(addMonths(month, -1))}>
          ‹ <span>{tb('cal.prev')}</span>
        </button>
        <h3 class="h5 m-0 text-capitalize" id="cal-month" aria-live="polite">
          {monthName(month)}
        </h3>
        <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => setMonth(addMonths(month, 1))}>
          <span>{tb('cal.next')}</span> ›
        </button>
      </div>
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {!data && !loadError && <p role="status">…</p>}
      {data && (
        <table class="table table-sm booking-calendar" aria-labelledby="cal-month">
          <thead>
            <tr>
              {weekdays.map((w, i) => (
                <th scope="col">
                  <abbr title={weekdaysLong[i]}>{w}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr>
                {w.map((d) =>
                  d ? (
                    <td>
                      <button
                        type="button"
                        class={`btn btn-sm cal-day ${d.date === day ? 'btn-primary' : d.free > 0 ? 'btn-outline-primary' : 'btn-light'}`}
                        disabled={d.free === 0}
                        aria-pressed={d.date === day ? 'true' : 'false'}
                        aria-label={`${formatDay(d.date)}, ${d.free > 0 ? tb('cal.free', { n: d.free }) : d.slots > 0 ? tb('cal.full') : tb('cal.none')}`}
                        data-date={d.date}
                        onClick={() => {
                          setDay(d.date);
                          onChange(null);
                        }}
                      >
                        {Number(d.date.slice(8))}
                      </button>
                    </td>
                  ) : (
                    <td />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && !anyFree && <p class="text-muted">{tb('cal.noneMonth')}</p>}
      {data && day && (
        <fieldset class="mt-3" aria-describedby={error ? 'slot-error' : undefined}>
          <legend class="h6">{tb('slot.legend', { day: formatDay(day) })}</legend>
          <div class="slot-list">
            {slots.map((s) => {
              const id = `slot-${s.date}-${s.start.replace(':', '')}`;
              return (
                <div class="form-check form-check-inline slot">
                  <input
                    class="form-check-input"
                    type="radio"
                    name="slot"
                    id={id}
                    value={s.start}
                    disabled={s.free === 0}
                    checked={value?.date === s.date && value?.start === s.start}
                    onChange={() => onChange({ date: s.date, start: s.start })}
                  />
                  <label class="form-check-label" for={id}>
                    {s.start}{' '}
                    <span class="text-muted small">({s.free > 0 ? tb('slot.free', { n: s.free }) : tb('slot.full')})</span>
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      )}
      {data && !day && <p class="text-muted">{tb('slot.pickDay')}</p>}
      {error && (
        <div id="slot-error" class="alert alert-danger mt-2" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
