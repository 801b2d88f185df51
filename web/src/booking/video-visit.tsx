// The holder's video appointment on the booking page: "Entra nella videochiamata" asks the server
// for the appointment's reception visit (first in the office's line, reserved for the assigned
// operator) and then shows the same waiting room and conversation as the visit page. The visit
// and its token are kept in sessionStorage (as on the visit page), so a reload returns to the
// call; the server returns the same live visit when asked again.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Realtime } from '../realtime';
import { Announcer } from '../reception/ui';
import { sessionVisitStore, VisitClient, type Visit } from '../reception/visit-api';
import { VisitStage } from '../reception/visit-stage';
import { call, type Booking, type VideoVisitAnswer } from './booking-api';
import { tb } from './i18n-booking';
import '../reception/reception.css';

type Phase = { kind: 'idle' } | { kind: 'busy' } | { kind: 'visit'; client: VisitClient; visit: Visit; justKnocked: boolean };

export function VideoVisit(p: { slug: string; booking: Booking; path: string; secret: string; tz: string }) {
  const b = p.booking;
  const store = useRef(sessionVisitStore(p.slug, `booking-${b.code}`)).current;
  const realtime = useRef<Realtime | null>(null);
  if (!realtime.current) realtime.current = new Realtime();
  const [phase, setPhase] = useState<Phase>(store.load() ? { kind: 'busy' } : { kind: 'idle' });
  const [error, setError] = useState<string | null>(null);

  // A reload returns to the stored visit while it is still going on.
  useEffect(() => {
    const stored = store.load();
    if (stored) {
      const client = new VisitClient(stored.id, stored.token);
      client
        .get()
        .then((visit) => {
          const over = visit.state === 'left' || visit.state === 'rejected' || (visit.state === 'ended' && visit.rated);
          if (over) {
            store.clear();
            setPhase({ kind: 'idle' });
          } else setPhase({ kind: 'visit', client, visit, justKnocked: false });
        })
        .catch((e) => {
          if (e instanceof ApiError && e.status !== 0) store.clear();
          setPhase({ kind: 'idle' });
        });
    }
    return () => realtime.current?.close();
  }, []);

  const join = async () => {
    setPhase({ kind: 'busy' });
    setError(null);
    try {
      const a = await call<VideoVisitAnswer>('POST', `${p.path}/video-visit`, p.secret, {});
      store.save({ id: a.visit_id, token: a.token });
      const client = new VisitClient(a.visit_id, a.token);
      setPhase({ kind: 'visit', client, visit: await client.get(), justKnocked: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPhase({ kind: 'idle' });
    }
  };

  if (phase.kind === 'visit') {
    return (
      <section aria-labelledby="video-title" class="mb-4" data-testid="booking-video">
        <h2 id="video-title" class="h4">
          {tb('manage.videoTitle')}
        </h2>
        <Announcer>
          <div class="visit-flow">
            <VisitStage
              client={phase.client}
              initial={phase.visit}
              realtime={realtime.current}
              tz={p.tz}
              store={store}
              variant="page"
              justKnocked={phase.justKnocked}
              onTitle={() => undefined}
              onDone={() => {
                store.clear();
                setPhase({ kind: 'idle' });
              }}
            />
          </div>
        </Announcer>
      </section>
    );
  }
  return (
    <>
      <p>
        {b.video_open ? (
          <button type="button" class="btn btn-success" disabled={phase.kind === 'busy'} onClick={() => void join()}>
            {phase.kind === 'busy' ? tb('manage.videoJoining') : tb('manage.video')}
          </button>
        ) : (
          <span class="text-muted">{tb('manage.videoLater')}</span>
        )}
      </p>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
