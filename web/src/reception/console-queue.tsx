// The console's waiting room: for each office of the operator, the citizens who knocked, in line
// order, with "Apri la porta" / "Rifiuta" per row and "Apri la porta al prossimo" per office.
// A 409 on admit means somebody else opened the door first: say so and reload the lists.
// A citizen whose page is disconnected keeps the place for 10 minutes but cannot be admitted:
// the row says so in words and its "Apri la porta" is disabled ("al prossimo" skips it).

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { apiMessage, FieldError } from '../components/forms';
import { t } from '../i18n';
import {
  disconnectedFor,
  elapsed,
  isDisconnected,
  label,
  receptionApi,
  type ReceptionOffice,
  type Visit,
  visitWho,
} from './console-model';
import { tc } from './i18n-console';

/** Re-renders the caller every `ms` (relative times). */
export function useTick(ms = 15_000): void {
  const [, setN] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => setN((n) => n + 1), ms);
    return () => window.clearInterval(id);
  }, [ms]);
}

/** Channel and mode of a visit as two small labelled badges. */
export function VisitBadges({ visit }: { visit: Pick<Visit, 'channel' | 'mode'> }) {
  return (
    <span class="visit-badges">
      <span class={`vbadge vbadge-channel`} data-channel={visit.channel}>
        <span class="visually-hidden">{tc('badge.channel')}: </span>
        {label('channel', visit.channel)}
      </span>
      <span class={`vbadge vbadge-mode-${visit.mode}`} data-mode={visit.mode}>
        <span class="visually-hidden">{tc('badge.mode')}: </span>
        {label('mode', visit.mode)}
      </span>
    </span>
  );
}

export interface QueueActions {
  admit: (v: Visit) => Promise<void>;
  admitNext: (office: ReceptionOffice) => Promise<void>;
  reject: (v: Visit, reason: string) => Promise<void>;
  reload: () => void;
}

function RejectForm({ visit, onDone, onCancel }: { visit: Visit; onDone: (reason: string) => Promise<void>; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const id = `reject-${visit.id}`;
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(t('form.required'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await onDone(reason.trim());
    } catch (err) {
      setError(apiMessage(err));
      setBusy(false);
    }
  };
  return (
    <form class="reject-form" onSubmit={submit} noValidate>
      <label for={id} class="form-label fw-semibold">
        {tc('queue.rejectReason')}
      </label>
      <textarea
        id={id}
        class="form-control"
        rows={2}
        maxLength={300}
        value={reason}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => setReason(e.currentTarget.value)}
        ref={input}
      />
      <FieldError id={id} error={error} />
      <div class="form-actions mt-2">
        <button type="submit" class="btn btn-danger btn-sm" disabled={busy}>
          {tc('queue.rejectConfirm')}
        </button>
        <button type="button" class="btn btn-outline-secondary btn-sm" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}

function VisitRow({ visit, actions, onError }: { visit: Visit; actions: QueueActions; onError: (e: unknown, v: Visit) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const who = visitWho(visit);
  const away = isDisconnected(visit);
  const awayId = `visit-${visit.id}-away`;
  const awayFor = disconnectedFor(visit);
  const admit = async () => {
    setBusy(true);
    try {
      await actions.admit(visit);
    } catch (e) {
      onError(e, visit);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="visit-row" data-visit={visit.id} data-knock={visit.knock_no} data-connected={away ? 'false' : 'true'}>
      <div class="visit-main">
        <span class="visit-who">{who}</span>
        <span class={`visit-topic ${visit.topic ? '' : 'empty-hint'}`}>{visit.topic || tc('queue.noTopic')}</span>
        <span class="visit-meta">
          <VisitBadges visit={visit} />
          <span class="visit-since">{tc('queue.since', { time: elapsed(visit.knocked_at) })}</span>
          {visit.channel === 'appointment' ? (
            visit.reserved_for && (
              <span class="visit-reserved" data-testid="visit-reserved">
                {tc('queue.reservedFor', { name: visit.reserved_for.display_name })}
              </span>
            )
          ) : (
            <span class="visit-knock">{tc('queue.knock', { n: visit.knock_no })}</span>
          )}
        </span>
        {away && (
          <span class="visit-away" id={awayId}>
            <span class="vbadge vbadge-disconnected">{visit.still_there_asked_at ? tc('queue.setAside') : tc('queue.disconnected')}</span>{' '}
            {awayFor ? tc('queue.disconnectedFor', { time: awayFor }) : tc('queue.disconnectedKeeps')}
            <span class="visually-hidden">. {tc('queue.admitWhenBack')}</span>
          </span>
        )}
        {visit.still_there_asked_at && (
          <span class="visit-asked" data-testid="visit-asked">
            {away ? tc('queue.unanswered') : tc('queue.asked')}
          </span>
        )}
      </div>
      <div class="visit-actions">
        <button
          type="button"
          class="btn btn-primary btn-sm btn-admit"
          disabled={busy || away}
          aria-describedby={away ? awayId : undefined}
          onClick={() => void admit()}
        >
          {tc('queue.admit')}
          <span class="visually-hidden"> – {who}</span>
        </button>
        <button
          type="button"
          class="btn btn-outline-danger btn-sm btn-reject"
          aria-expanded={rejecting ? 'true' : 'false'}
          onClick={() => setRejecting(!rejecting)}
        >
          {tc('queue.reject')}
          <span class="visually-hidden"> – {who}</span>
        </button>
      </div>
      {rejecting && (
        <RejectForm visit={visit} onDone={(reason) => actions.reject(visit, reason)} onCancel={() => setRejecting(false)} />
      )}
    </li>
  );
}

function OfficeQueue({ entry, actions }: { entry: ReceptionOffice; actions: QueueActions }) {
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const o = entry.office;
  const onError = async (e: unknown, visit?: Visit) => {
    if (e instanceof ApiError && e.status === 409) {
      // Either somebody else opened the door first, or (a video visit) the operator is already
      // in a video call: the visit, read again, tells which.
      const now = visit ? await receptionApi.visit(visit.id).catch(() => null) : null;
      setNotice(visit && now?.state !== 'waiting' ? tc('queue.conflict') : apiMessage(e));
      actions.reload();
    } else if (e instanceof ApiError && e.status === 404) {
      setNotice(tc('queue.nobody'));
      actions.reload();
    } else setNotice(apiMessage(e));
  };
  const next = async () => {
    setNotice(null);
    setBusy(true);
    try {
      await actions.admitNext(entry);
    } catch (e) {
      void onError(e);
    } finally {
      setBusy(false);
    }
  };
  const wrap: QueueActions = {
    ...actions,
    admit: (v) => {
      setNotice(null);
      return actions.admit(v);
    },
  };
  const titleId = `queue-${o.slug}-title`;
  // "Al prossimo" skips the disconnected: with nobody else there is nobody to let in.
  const allAway = entry.waiting.length > 0 && entry.waiting.every(isDisconnected);
  const allAwayId = `queue-${o.slug}-all-away`;
  return (
    <section class="office-queue" aria-labelledby={titleId} data-office={o.slug} id={`queue-${o.slug}`}>
      <div class="office-queue-head">
        <h3 class="h5 mb-0" id={titleId}>
          {o.name}
        </h3>
        <span class="queue-count">{tc('queue.count', { n: entry.waiting.length })}</span>
      </div>
      <p class="small mb-2 empty-hint">{tc('queue.operatorsAvailable', { n: entry.operators_available })}</p>
      {notice && (
        <div class="alert alert-warning queue-notice" role="alert">
          {notice}
        </div>
      )}
      {entry.waiting.length === 0 ? (
        <p class="mb-2">{t('console.waitingEmpty')}</p>
      ) : (
        <ol class="visit-list">
          {entry.waiting.map((v) => (
            <VisitRow key={v.id} visit={v} actions={wrap} onError={onError} />
          ))}
        </ol>
      )}
      <button
        type="button"
        class="btn btn-outline-primary btn-sm btn-admit-next"
        disabled={busy || entry.waiting.length === 0 || allAway}
        aria-describedby={allAway ? allAwayId : undefined}
        onClick={() => void next()}
      >
        {tc('queue.admitNext')}
        <span class="visually-hidden"> – {o.name}</span>
      </button>
      {allAway && (
        <p class="small mt-2 mb-0 queue-all-away" id={allAwayId}>
          {tc('queue.allDisconnected')}
        </p>
      )}
      {entry.active.some((v) => v.operator) && (
        <div class="mt-3">
          <h4 class="h6">{tc('queue.othersActive')}</h4>
          <ul class="list-unstyled small mb-0 active-list">
            {entry.active.map((v) => (
              <li data-visit={v.id}>
                {visitWho(v)} · {tc('queue.inProgress', { operator: v.operator?.display_name ?? '' })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** All the operator's offices' queues. */
export function WaitingRoom({ offices, actions }: { offices: ReceptionOffice[]; actions: QueueActions }) {
  useTick();
  return (
    <>
      {offices.map((entry) => (
        <OfficeQueue key={entry.office.id} entry={entry} actions={actions} />
      ))}
    </>
  );
}
