// The workspace's right pane: the citizen of the conversation on screen — who they are, what
// they asked, when they arrived —, its booking when the contact is an appointment (the office's
// agenda of the day, the booking whose visit it is), the cases opened from this contact
// (GET …/cases?visit=) and those under the same name (…?citizen=), each a link to the console's
// case view, and the internal notes on the contact (GET/POST /api/v1/visits/{id}/notes: staff
// only, never shown to the citizen; a case opened from the contact takes them into its
// timeline). Canned answers are used in the conversation's own message box
// (../knowledge/suggestions' CannedPicker).

import { EarlierContacts } from '../citizens/earlier-contacts';
import { useEffect, useState } from 'preact/hooks';
import { api, enc, get } from '../api';
import { apiMessage } from '../components/forms';
import { announce } from '../components/layout';
import { formatTime } from '../format';
import { tw } from '../line/i18n-workspace';
import { label, type Visit, visitWho } from './console-model';

interface CaseRow {
  id: string;
  code: string;
  subject: string;
  state: string;
  office: { name: string };
  visit_id?: string | null;
}

interface Note {
  id: string;
  body: string;
  at: string;
  author: { id: string; display_name: string };
}

interface BookingRow {
  code: string;
  start_at: string;
  state: string;
  service: { name: string } | null;
  visit_id?: string | null;
  first_name: string;
  last_name: string;
}

function CaseList({ id, cases }: { id: string; cases: CaseRow[] }) {
  return (
    <ul class="list-unstyled small mb-2" id={id}>
      {cases.map((c) => (
        <li data-case={c.code}>
          <a href={`#/pratiche/${enc(c.id)}`}>{c.code}</a> · {c.subject} · {c.office.name}
        </li>
      ))}
    </ul>
  );
}

/** The contact's own cases and the others under the same name. */
function ContactCases({ slug, visit }: { slug: string; visit: Visit }) {
  const [own, setOwn] = useState<CaseRow[] | null>(null);
  const [named, setNamed] = useState<CaseRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = visit.name?.trim() ?? '';
  // A case opened from this contact in the conversation pane: read the lists again.
  const [opened, setOpened] = useState(0);
  useEffect(() => {
    const on = (e: Event) => {
      if ((e as CustomEvent<{ visit: string }>).detail?.visit === visit.id) setOpened((n) => n + 1);
    };
    window.addEventListener('sportello:case-opened', on);
    return () => window.removeEventListener('sportello:case-opened', on);
  }, [visit.id]);
  useEffect(() => {
    setOwn(null);
    setNamed(null);
    setError(null);
    const base = `/api/v1/enti/${enc(slug)}/cases`;
    get<{ cases: CaseRow[] }>(`${base}?visit=${encodeURIComponent(visit.id)}`)
      .then((a) => setOwn(a.cases))
      .catch((e) => setError(apiMessage(e)));
    if (name)
      get<{ cases: CaseRow[] }>(`${base}?citizen=${encodeURIComponent(name)}`)
        .then((a) => setNamed(a.cases.filter((c) => c.visit_id !== visit.id).slice(0, 10)))
        .catch((e) => setError(apiMessage(e)));
  }, [slug, visit.id, name, visit.state, opened]);
  return (
    <>
      <h3 class="h6">{tw('context.ownCases')}</h3>
      {error && <p class="small text-danger">{tw('context.loadError', { message: error })}</p>}
      {own && own.length === 0 && <p class="small">{tw('context.noOwnCases')}</p>}
      {own && own.length > 0 && <CaseList id="context-own-cases" cases={own} />}
      {name && (
        <>
          <h3 class="h6">{tw('context.cases')}</h3>
          {named && named.length === 0 && <p class="small">{tw('context.noCases')}</p>}
          {named && named.length > 0 && <CaseList id="context-cases" cases={named} />}
        </>
      )}
    </>
  );
}

/** The booking of an appointment's visit (the office's agenda of the day). */
function ContactBooking({ slug, visit, tz }: { slug: string; visit: Visit; tz: string }) {
  const [booking, setBooking] = useState<BookingRow | null | undefined>(undefined);
  useEffect(() => {
    setBooking(undefined);
    get<{ bookings: BookingRow[] }>(`/api/v1/enti/${enc(slug)}/offices/${enc(visit.office.id)}/agenda`)
      .then((a) => setBooking(a.bookings.find((b) => b.visit_id === visit.id) ?? null))
      .catch(() => setBooking(null));
  }, [slug, visit.id]);
  if (booking === undefined) return null;
  return (
    <>
      <h3 class="h6">{tw('context.booking')}</h3>
      {booking ? (
        <p class="small" id="context-booking" data-booking={booking.code}>
          {tw('context.bookingLine', {
            code: booking.code,
            time: formatTime(booking.start_at, tz),
            service: booking.service?.name ?? visit.office.name,
          })}
        </p>
      ) : (
        <p class="small">{tw('context.noBooking')}</p>
      )}
    </>
  );
}

/** Internal notes on the contact: staff only. */
function ContactNotes({ visit, tz }: { visit: Visit; tz: string }) {
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `notes-${visit.id}`;
  const load = () =>
    get<{ notes: Note[] }>(`/api/v1/visits/${enc(visit.id)}/notes`)
      .then((a) => setNotes(a.notes))
      .catch((e) => setError(apiMessage(e)));
  useEffect(() => {
    setNotes(null);
    setText('');
    setError(null);
    void load();
  }, [visit.id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) {
      setError(tw('notes.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const n = await api<Note>('POST', `/api/v1/visits/${enc(visit.id)}/notes`, { body: text });
      setNotes((list) => [...(list ?? []), n]);
      setText('');
      announce(tw('notes.saved'));
    } catch (err) {
      setError(apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="context-notes" aria-labelledby={`${id}-title`}>
      <h3 class="h6" id={`${id}-title`}>
        {tw('context.notes')}
      </h3>
      <p class="small mb-1">{tw('context.notesHint')}</p>
      {notes && notes.length === 0 && <p class="small">{tw('notes.none')}</p>}
      {notes && notes.length > 0 && (
        <ul class="list-unstyled small mb-2" id="context-notes">
          {notes.map((n) => (
            <li class="context-note" data-note={n.id}>
              <span class="fw-semibold">
                {n.author.display_name}, {formatTime(n.at, tz)}:
              </span>{' '}
              <span class="note-body">{n.body}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate>
        <div class="form-group mb-2 mt-2">
          <label for={`${id}-text`} class="active">
            {tw('notes.label')}
          </label>
          <textarea
            id={`${id}-text`}
            class={`form-control ${error ? 'is-invalid' : ''}`}
            rows={2}
            maxLength={2000}
            value={text}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {error && (
            <div class="invalid-feedback d-block" id={`${id}-error`} role="alert">
              {error}
            </div>
          )}
        </div>
        <button type="submit" class="btn btn-outline-primary btn-sm" disabled={busy}>
          {tw('notes.add')}
        </button>
      </form>
    </section>
  );
}

export function CitizenContext({ slug, visit, tz }: { slug: string; visit: Visit | null; tz: string }) {
  if (!visit) return <p class="small">{tw('context.none')}</p>;
  return (
    <div class="panel citizen-card" data-visit={visit.id}>
      <dl class="mb-2 small">
        <dt>{tw('context.who')}</dt>
        <dd>
          {visitWho(visit)} · {label('mode', visit.mode)}
        </dd>
        {visit.topic && (
          <>
            <dt>{tw('context.topic')}</dt>
            <dd>{visit.topic}</dd>
          </>
        )}
        <dt>{tw('context.office')}</dt>
        <dd>{visit.office.name}</dd>
        <dt>{tw('context.arrived')}</dt>
        <dd>{formatTime(visit.knocked_at, tz)}</dd>
      </dl>
      {visit.channel === 'appointment' && <ContactBooking slug={slug} visit={visit} tz={tz} />}
      <ContactCases slug={slug} visit={visit} />
      {/* A citizen signed in with SPID/CIE: their earlier contacts (nothing for the anonymous). */}
      <EarlierContacts slug={slug} visitId={visit.id} />
      <ContactNotes visit={visit} tz={tz} />
      <p class="small mt-2 mb-0">{tw('context.canned')}</p>
    </div>
  );
}
