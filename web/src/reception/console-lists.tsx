// Two smaller lists of the console's reception panel: the messages citizens left while an
// office was closed (callback requests, "Segna come gestito"), and today's ended visits with
// the rating the citizen gave.

import { useEffect, useState } from 'preact/hooks';
import { apiMessage } from '../components/forms';
import { Loading } from '../components/layout';
import { formatTime, localDate } from '../format';
import { t } from '../i18n';
import {
  type CallbackRequest,
  label,
  type OfficeRef,
  receptionApi,
  serverNow,
  type Visit,
  visitWho,
} from './console-model';
import { tc } from './i18n-console';

function CallbackItem({ cb, tz, onDone }: { cb: CallbackRequest; tz: string; onDone: (note: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteId = `cb-note-${cb.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onDone(note.trim());
    } catch (err) {
      setError(apiMessage(err));
      setBusy(false);
    }
  };
  return (
    <li class="callback-item" data-callback={cb.id} data-code={cb.code}>
      <p class="mb-1">
        <span class="fw-semibold">{cb.name}</span> · <span class="small">{formatTime(cb.created_at, tz)}</span>
        <span class="small empty-hint"> · {tc('callbacks.code')} {cb.code}</span>
      </p>
      <p class="mb-1 small">
        {tc('callbacks.contact')}: {cb.contact}
      </p>
      <p class="mb-2 callback-message">{cb.message}</p>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {!open ? (
        <button type="button" class="btn btn-outline-primary btn-sm" aria-expanded="false" onClick={() => setOpen(true)}>
          {tc('callbacks.done')}
          <span class="visually-hidden"> – {cb.name}</span>
        </button>
      ) : (
        <form onSubmit={submit} noValidate class="callback-form">
          <label for={noteId} class="form-label fw-semibold">
            {tc('callbacks.note')}
          </label>
          <textarea
            id={noteId}
            class="form-control"
            rows={2}
            maxLength={500}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <div class="form-actions mt-2">
            <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
              {tc('callbacks.confirm')}
              <span class="visually-hidden"> – {tc('callbacks.done')}</span>
            </button>
            <button type="button" class="btn btn-outline-secondary btn-sm" onClick={() => setOpen(false)}>
              {t('form.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

export function CallbackLists({
  offices,
  callbacks,
  tz,
  onDone,
}: {
  offices: OfficeRef[];
  callbacks: Record<string, CallbackRequest[] | undefined>;
  tz: string;
  onDone: (cb: CallbackRequest, note: string) => Promise<void>;
}) {
  return (
    <section class="panel" aria-labelledby="callbacks-title" id="callbacks">
      <h2 id="callbacks-title" class="h4">
        {tc('callbacks.title')}
      </h2>
      {offices.map((o) => {
        const list = callbacks[o.id];
        return (
          <section class="mb-3" aria-labelledby={`cb-${o.slug}-title`} data-office={o.slug}>
            <h3 class="h6" id={`cb-${o.slug}-title`}>
              {o.name}
            </h3>
            {!list ? (
              <Loading />
            ) : list.length === 0 ? (
              <p class="small mb-0">{tc('callbacks.empty')}</p>
            ) : (
              <ul class="list-unstyled mb-0">
                {list.map((cb) => (
                  <CallbackItem key={cb.id} cb={cb} tz={tz} onDone={(note) => onDone(cb, note)} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </section>
  );
}

/** Today's ended visits of the operator's offices, newest first, reloaded when `reloadKey` changes. */
export function EndedToday({ slug, offices, tz, reloadKey }: { slug: string; offices: OfficeRef[]; tz: string; reloadKey: number }) {
  const [visits, setVisits] = useState<Visit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [manual, setManual] = useState(0);
  const officeKey = offices.map((o) => o.id).join(',');
  useEffect(() => {
    let live = true;
    const today = localDate(new Date(serverNow()), tz);
    Promise.all(offices.map((o) => receptionApi.ended(slug, o.id)))
      .then((answers) => {
        if (!live) return;
        const all = answers
          .flatMap((a) => a.visits)
          .filter((v) => v.ended_at && localDate(v.ended_at, tz) === today)
          .sort((a, b) => (b.ended_at ?? '').localeCompare(a.ended_at ?? ''));
        setVisits(all);
        setError(null);
      })
      .catch((e) => live && setError(apiMessage(e)));
    return () => {
      live = false;
    };
  }, [slug, officeKey, tz, reloadKey, manual]);

  return (
    <section class="panel" aria-labelledby="ended-title" id="ended-today">
      <div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
        <h2 id="ended-title" class="h4 mb-0">
          {tc('ended.title')}
        </h2>
        <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => setManual((n) => n + 1)}>
          {tc('ended.refresh')}
          <span class="visually-hidden"> – {tc('ended.title')}</span>
        </button>
      </div>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {!visits && !error && <Loading />}
      {visits && visits.length === 0 && <p class="mb-0">{tc('ended.empty')}</p>}
      {visits && visits.length > 0 && (
        <div class="table-responsive" tabIndex={0} role="region" aria-labelledby="ended-title">
          <table class="table table-sm ended-table">
            <caption class="visually-hidden">{tc('ended.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{tc('ended.who')}</th>
                <th scope="col">{tc('ended.office')}</th>
                <th scope="col">{tc('ended.at')}</th>
                <th scope="col">{tc('ended.outcome')}</th>
                <th scope="col">{tc('ended.rating')}</th>
              </tr>
            </thead>
            <tbody>
              {visits.map((v) => (
                <tr data-visit={v.id}>
                  <th scope="row">{visitWho(v)}</th>
                  <td>{v.office.name}</td>
                  <td>{v.ended_at ? formatTime(v.ended_at, tz) : ''}</td>
                  <td>{v.outcome ? label('outcome', v.outcome) : label('state', v.state)}</td>
                  <td class="ended-rating" data-score={v.rating?.score ?? ''}>
                    {v.rating ? label('rating', v.rating.score) : tc('ended.noRating')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
