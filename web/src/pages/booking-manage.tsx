// "/{slug}/prenotazione/{code}#{secret}" — the citizen's booking: details, "Aggiungi al
// calendario" (.ics), cancel (with a confirmation) and move to another free time. The secret
// lives in the URL fragment, which browsers never send to the server; it goes in the
// X-Booking-Token header. A video appointment offers "Entra nella videochiamata" from 10 minutes
// before its start: the appointment's reception visit, shown here (booking/video-visit.tsx).

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, type Ente } from '../api';
import { announce, FatalError, Loading, mount, Page } from '../components/layout';
import { call, bookingBase, enteFromPath, icsUrl, type Booking } from '../booking/booking-api';
import { tb } from '../booking/i18n-booking';
import { formatDay, SlotPicker, type SlotChoice } from '../booking/slot-picker';
import { VideoVisit } from '../booking/video-visit';
import { ContactRating } from '../feedback/contact-rating';
import '../booking/booking.css';

const slug = enteFromPath();
const code = decodeURIComponent(location.pathname.split('/')[3] ?? '');
const secret = location.hash.slice(1);

function ManagePage() {
  const [ente, setEnte] = useState<Ente | null>(null);
  const [b, setB] = useState<Booking | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [moving, setMoving] = useState(false);
  const [slot, setSlot] = useState<SlotChoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);
  const path = `${bookingBase(slug)}/bookings/${enc(code)}`;

  const load = () =>
    call<Booking>('GET', path, secret)
      .then(setB)
      .catch((e) => setFatal(e instanceof ApiError && e.status === 404 ? tb('manage.notFound') : e.message));

  useEffect(() => {
    get<Ente>(`/api/v1/enti/${enc(slug)}`)
      .then(setEnte)
      .catch(() => undefined);
    if (!secret) setFatal(tb('manage.notFound'));
    else void load();
    // The video button appears on its own at the booked time.
    const timer = window.setInterval(() => secret && void load(), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      setB(await call<Booking>('POST', `${path}/cancel`, secret, {}));
      setConfirming(false);
      setNotice(tb('manage.cancelled'));
      announce(tb('manage.cancelled'));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const move = async () => {
    if (!slot) {
      setError(tb('slot.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const nb = await call<Booking>('POST', `${path}/reschedule`, secret, slot);
      setB(nb);
      setMoving(false);
      setSlot(null);
      const msg = tb('manage.moved', { day: formatDay(nb.date), time: nb.start });
      setNotice(msg);
      announce(msg);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'slot_full') {
        setSlot(null);
        setReload(reload + 1);
        setError(tb('error.slotFull'));
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const title = tb('manage.title');
  if (fatal) {
    return (
      <Page title={title} ente={ente} slug={slug} staffLink>
        <FatalError title={title} message={fatal} />
      </Page>
    );
  }
  if (!b) {
    return (
      <Page title={title} ente={ente} slug={slug} staffLink>
        <h1>{title}</h1>
        <Loading />
      </Page>
    );
  }
  return (
    <Page title={title} ente={ente} slug={slug} staffLink>
      <h1>{title}</h1>
      {notice && (
        <div class="alert alert-success" role="status" tabIndex={-1} ref={noticeRef}>
          {notice}
        </div>
      )}
      <div class="card card-bg mb-4">
        <div class="card-body">
          <dl class="row mb-0">
            <dt class="col-sm-4">{tb('done.code')}</dt>
            <dd class="col-sm-8">
              <strong class="booking-code">{b.code}</strong>
            </dd>
            <dt class="col-sm-4">{tb('manage.state')}</dt>
            <dd class="col-sm-8" data-testid="booking-state">
              {tb(`state.${b.state}`)}
            </dd>
            <dt class="col-sm-4">{tb('summary.office')}</dt>
            <dd class="col-sm-8">{b.office.name}</dd>
            {b.service && (
              <>
                <dt class="col-sm-4">{tb('summary.service')}</dt>
                <dd class="col-sm-8">{b.service.name}</dd>
              </>
            )}
            <dt class="col-sm-4">{tb('summary.when')}</dt>
            <dd class="col-sm-8" data-testid="booking-when">
              {tb('done.when', { day: formatDay(b.date), time: b.start })}
            </dd>
            <dt class="col-sm-4">{tb('summary.mode')}</dt>
            <dd class="col-sm-8">{tb(`mode.${b.mode}`)}</dd>
            {b.mode === 'in_person' && b.site && (
              <>
                <dt class="col-sm-4">{tb('office.legend')}</dt>
                <dd class="col-sm-8">
                  {b.site.name}, {b.site.address}
                </dd>
              </>
            )}
            {b.operator && b.state === 'booked' && (
              <>
                <dt class="col-sm-4">{tb('manage.receivedBy')}</dt>
                <dd class="col-sm-8" data-testid="booking-operator">
                  {b.operator.display_name}
                </dd>
              </>
            )}
            <dt class="col-sm-4">{tb('summary.name')}</dt>
            <dd class="col-sm-8">
              {b.first_name} {b.last_name}
            </dd>
          </dl>
        </div>
      </div>
      {b.mode === 'video' && b.state === 'booked' && (
        <VideoVisit slug={slug} booking={b} path={path} secret={secret} tz={ente?.timezone ?? 'Europe/Rome'} />
      )}
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {b.state !== 'cancelled' && (
        <p class="d-flex flex-wrap gap-2">
          <a class="btn btn-outline-primary" href={icsUrl(slug, b.code, secret)} download={`appuntamento-${b.code}.ics`}>
            {tb('done.ics')}
          </a>
          {b.can_change && !moving && !confirming && (
            <>
              <button type="button" class="btn btn-outline-primary" onClick={() => setMoving(true)}>
                {tb('manage.move')}
              </button>
              <button type="button" class="btn btn-outline-danger" onClick={() => setConfirming(true)}>
                {tb('manage.cancel')}
              </button>
            </>
          )}
        </p>
      )}
      <ContactRating slug={slug} channel="appointment" contact={b.code} token={secret} over={b.state === 'done'} />
      {confirming && (
        <div class="alert alert-warning" role="alertdialog" aria-labelledby="cancel-q">
          <p id="cancel-q">{tb('manage.cancelConfirm')}</p>
          <div class="d-flex gap-2">
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void cancel()}>
              {tb('manage.cancelYes')}
            </button>
            <button type="button" class="btn btn-outline-primary" onClick={() => setConfirming(false)}>
              {tb('manage.cancelNo')}
            </button>
          </div>
        </div>
      )}
      {moving && (
        <section aria-labelledby="move-title" class="mb-4">
          <h2 id="move-title" class="h4">
            {tb('manage.move')}
          </h2>
          <SlotPicker slug={slug} office={b.office.id} service={b.service?.id ?? null} initialMonth={b.date.slice(0, 7)} value={slot} onChange={setSlot} reload={reload} />
          <div class="d-flex gap-2 mt-3">
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void move()}>
              {tb('manage.moveConfirm')}
            </button>
            <button type="button" class="btn btn-outline-primary" onClick={() => setMoving(false)}>
              {tb('manage.moveCancel')}
            </button>
          </div>
        </section>
      )}
    </Page>
  );
}

mount(ManagePage);
