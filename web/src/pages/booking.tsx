// "/{slug}/prenota" — the citizen books an appointment, following Designers Italia's
// "Prenotazione appuntamento" model: a steps indicator and five steps, 1 place and office →
// 2 date and time (month view of free places, the day's free times) → 3 reason (the office's
// service) and details → 4 applicant (name, surname, email; phone optional) → 5 summary with
// "Modifica" per section → confirmation with the code, "Aggiungi al calendario" (.ics) and the
// email sent. ?office=…&service=… pre-fill step 1. Focus moves to each step's heading; errors
// are announced and tied to their fields.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, type Ente } from '../api';
import { announce, FatalError, Loading, mount, Page } from '../components/layout';
import { call, bookingBase, enteFromPath, icsUrl, manageUrl, type BookableOffice, type Booking, type PlanRef } from '../booking/booking-api';
import { tb } from '../booking/i18n-booking';
import { linkBooking, signedInPrefill } from '../citizens/signed-in';
import { formatDay, SlotPicker, type SlotChoice } from '../booking/slot-picker';
import '../booking/booking.css';

const slug = enteFromPath();
const params = new URLSearchParams(location.search);
const TOTAL = 5;

interface Applicant {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
}

const EMAIL_RE = /^[^\s@<>,;"\\]+@[^\s@<>,;"\\.]+(\.[^\s@<>,;"\\.]+)+$/;

function Steps({ step }: { step: number }) {
  return (
    <nav class="steppers booking-steps mb-4" aria-label={tb('steps.label')}>
      <ol class="steppers-header list-unstyled d-flex flex-wrap gap-2 m-0">
        {[1, 2, 3, 4, 5].map((n) => (
          <li class={`booking-step ${n < step ? 'confirmed' : ''} ${n === step ? 'active' : ''}`} aria-current={n === step ? 'step' : undefined}>
            <span class="step-num" aria-hidden="true">
              {n}
            </span>{' '}
            <span class="step-label">{tb(`step.${n}` as 'step.1')}</span>
            {n < step && <span class="visually-hidden"> ({tb('step.done')})</span>}
          </li>
        ))}
      </ol>
      <p class="visually-hidden">{tb('steps.current', { n: step, total: TOTAL })}</p>
    </nav>
  );
}

function FieldError({ id, msg }: { id: string; msg?: string | null }) {
  return msg ? (
    <div id={id} class="invalid-feedback d-block" role="alert">
      {msg}
    </div>
  ) : null;
}

function BookingPage() {
  const [ente, setEnte] = useState<Ente | null>(null);
  const [offices, setOffices] = useState<BookableOffice[] | null>(null);
  const [today, setToday] = useState<string>(new Date().toISOString().slice(0, 10));
  const [fatal, setFatal] = useState<string | null>(null);
  const [step, setStep] = useState(1);
  const [officeId, setOfficeId] = useState<string | null>(null);
  const [planId, setPlanId] = useState<string | null>(null);
  const [slot, setSlot] = useState<SlotChoice | null>(null);
  const [mode, setMode] = useState<'in_person' | 'video'>('in_person');
  const [notes, setNotes] = useState('');
  const [who, setWho] = useState<Applicant>({ first_name: '', last_name: '', email: '', phone: '' });
  const [privacy, setPrivacy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const [done, setDone] = useState<{ booking: Booking; secret: string } | null>(null);
  const [editing, setEditing] = useState(false);  // came from the summary's "Modifica"
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  // Signed in with SPID/CIE: the applicant's details come prefilled (issue 19).
  useEffect(() => {
    void signedInPrefill(slug).then((p) => p && setWho((w) => (w.first_name || w.last_name || w.email ? w : p)));
  }, [slug]);

  useEffect(() => {
    get<Ente>(`/api/v1/enti/${enc(slug)}`)
      .then(setEnte)
      .catch(() => undefined);
    call<{ offices: BookableOffice[]; today: string | null }>('GET', `${bookingBase(slug)}/booking/offices`, null)
      .then((a) => {
        if (a.today) setToday(a.today);
        setOffices(a.offices);
        const want = params.get('office');
        const o = a.offices.find((x) => x.id === want || x.slug === want) ?? (a.offices.length === 1 ? a.offices[0] : undefined);
        if (o) {
          setOfficeId(o.id);
          const ws = params.get('service');
          const p = o.plans.find((x) => x.service && x.service.id === ws) ?? (o.plans.length === 1 ? o.plans[0] : undefined);
          if (p) setPlanId(p.plan_id);
        }
      })
      .catch((e) => setFatal(e instanceof ApiError && e.status === 404 ? tb('manage.notFound') : e.message));
  }, []);

  // Each step change moves focus to its heading (not on first load).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step, done]);

  const office = offices?.find((o) => o.id === officeId) ?? null;
  const plan: PlanRef | null = office?.plans.find((p) => p.plan_id === planId) ?? null;
  const serviceName = (p: PlanRef | null) => (p?.service ? p.service.name : tb('service.general'));

  const fail = (errs: Record<string, string>) => {
    setErrors(errs);
    announce(tb('error.fix'));
    return false;
  };

  const validate = (n: number): boolean => {
    if (n === 1) {
      if (!office) return fail({ office: tb('office.required') });
      if (!plan) return fail({ service: tb('service.required') });
    }
    if (n === 2 && !slot) return fail({ slot: tb('slot.required') });
    if (n === 4) {
      const e: Record<string, string> = {};
      if (!who.first_name.trim()) e.first_name = tb('who.required');
      if (!who.last_name.trim()) e.last_name = tb('who.required');
      if (!who.email.trim()) e.email = tb('who.required');
      else if (!EMAIL_RE.test(who.email.trim())) e.email = tb('who.emailInvalid');
      if (!privacy) e.privacy_accepted = tb('who.privacyRequired');
      if (Object.keys(e).length) return fail(e);
    }
    setErrors({});
    return true;
  };

  const next = () => {
    if (!validate(step)) return;
    setStep(editing ? 5 : step + 1);
    setEditing(false);
  };
  const back = () => {
    setErrors({});
    setEditing(false);
    setStep(step - 1);
  };
  const edit = (n: number) => {
    setErrors({});
    setEditing(true);
    setStep(n);
  };

  const submit = async () => {
    if (!office || !plan || !slot) return;
    setBusy(true);
    setErrors({});
    try {
      const body: Record<string, unknown> = {
        office: office.id,
        service: plan.service ? plan.service.id : null,
        date: slot.date,
        start: slot.start,
        mode,
        first_name: who.first_name,
        last_name: who.last_name,
        email: who.email,
        phone: who.phone.trim() ? who.phone : null,
        notes: notes.trim() ? notes : null,
        lang: document.documentElement.lang === 'en' ? 'en' : 'it',
        privacy_accepted: privacy,
      };
      const r = await call<{ booking: Booking; secret: string }>('POST', `${bookingBase(slug)}/bookings`, null, body);
      setDone(r);
      void linkBooking(slug, r.booking.code, r.secret);
      announce(tb('done.title'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'slot_full') {
        setSlot(null);
        setReload(reload + 1);
        setErrors({ slot: tb('error.slotFull') });
        setStep(2);
        announce(tb('error.slotFull'));
      } else if (e instanceof ApiError && e.field) {
        const map: Record<string, number> = { office: 1, service: 1, date: 2, start: 2, mode: 3, notes: 3, first_name: 4, last_name: 4, email: 4, phone: 4, privacy_accepted: 4 };
        const f = e.field === 'date' || e.field === 'start' ? 'slot' : e.field;
        setErrors({ [f]: e.message });
        setStep(map[e.field] ?? 5);
        announce(e.message);
      } else {
        const msg = e instanceof ApiError && e.code === 'network' ? tb('error.network') : e instanceof Error ? e.message : String(e);
        setErrors({ submit: msg });
        announce(msg);
      }
    } finally {
      setBusy(false);
    }
  };

  const title = tb('book.title');
  if (fatal) {
    return (
      <Page title={title} ente={ente} slug={slug} staffLink>
        <FatalError title={title} message={fatal} />
      </Page>
    );
  }
  if (!offices) {
    return (
      <Page title={title} ente={ente} slug={slug} staffLink>
        <h1>{title}</h1>
        <Loading />
      </Page>
    );
  }

  if (done) {
    const b = done.booking;
    return (
      <Page title={tb('done.title')} ente={ente} slug={slug} staffLink>
        <h1 ref={heading} tabIndex={-1}>
          {tb('done.title')}
        </h1>
        <div class="alert alert-success" role="status">
          <p class="mb-1">
            {b.office.name}
            {b.service ? ` · ${b.service.name}` : ''}
          </p>
          <p class="mb-1 fw-semibold">{tb('done.when', { day: formatDay(b.date), time: b.start })}</p>
          <p class="mb-0">{tb('done.email', { email: b.email })}</p>
        </div>
        <p>
          {tb('done.code')}: <strong class="booking-code" data-testid="booking-code">{b.code}</strong>
        </p>
        <p class="d-flex flex-wrap gap-2">
          <a class="btn btn-primary" href={icsUrl(slug, b.code, done.secret)} download={`appuntamento-${b.code}.ics`}>
            {tb('done.ics')}
          </a>
          <a class="btn btn-outline-primary" href={manageUrl(slug, b.code, done.secret)}>
            {tb('done.manage')}
          </a>
        </p>
        <p class="text-muted">{tb('done.keep')}</p>
      </Page>
    );
  }

  const stepTitle = tb(`step.${step}` as 'step.1');
  const section = (n: number, label: string, rows: [string, string][]) => (
    <div class="card card-bg mb-3 booking-summary-card">
      <div class="card-body">
        <div class="d-flex justify-content-between align-items-start">
          <h3 class="h5">{label}</h3>
          <button type="button" class="btn btn-link p-0" aria-label={tb('summary.editSection', { section: label })} onClick={() => edit(n)}>
            {tb('summary.edit')}
          </button>
        </div>
        <dl class="row mb-0">
          {rows.map(([k, v]) => (
            <>
              <dt class="col-sm-4">{k}</dt>
              <dd class="col-sm-8">{v}</dd>
            </>
          ))}
        </dl>
      </div>
    </div>
  );

  return (
    <Page title={title} ente={ente} slug={slug} staffLink>
      <h1>{title}</h1>
      <p class="lead">{tb('book.lead')}</p>
      <Steps step={step} />
      <h2 ref={heading} tabIndex={-1} class="h3">
        {stepTitle}
      </h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step < TOTAL) next();
          else void submit();
        }}
      >
        {step === 1 && (
          <>
            {offices.length === 0 && <p>{tb('office.none')}</p>}
            <fieldset class="mb-4" aria-describedby={errors.office ? 'office-error' : undefined}>
              <legend class="h5">{tb('office.legend')}</legend>
              {offices.map((o) => (
                <div class="form-check">
                  <input
                    class="form-check-input"
                    type="radio"
                    name="office"
                    id={`office-${o.slug}`}
                    checked={o.id === officeId}
                    onChange={() => {
                      setOfficeId(o.id);
                      setPlanId(o.plans.length === 1 ? o.plans[0].plan_id : null);
                      setSlot(null);
                      setMode('in_person');
                    }}
                  />
                  <label class="form-check-label" for={`office-${o.slug}`}>
                    <span class="fw-semibold">{o.name}</span>
                    {o.site && (
                      <span class="d-block small text-muted">{tb('office.where', { place: `${o.site.name}, ${o.site.address}` })}</span>
                    )}
                  </label>
                </div>
              ))}
              <FieldError id="office-error" msg={errors.office} />
            </fieldset>
            {office && office.plans.length > 1 && (
              <fieldset class="mb-4" aria-describedby={errors.service ? 'service-error' : undefined}>
                <legend class="h5">{tb('service.legend')}</legend>
                {office.plans.map((p) => (
                  <div class="form-check">
                    <input
                      class="form-check-input"
                      type="radio"
                      name="service"
                      id={`plan-${p.plan_id}`}
                      checked={p.plan_id === planId}
                      onChange={() => {
                        setPlanId(p.plan_id);
                        setSlot(null);
                      }}
                    />
                    <label class="form-check-label" for={`plan-${p.plan_id}`}>
                      {serviceName(p)}
                    </label>
                  </div>
                ))}
                <FieldError id="service-error" msg={errors.service} />
              </fieldset>
            )}
          </>
        )}
        {step === 2 && office && plan && (
          <SlotPicker
            slug={slug}
            office={office.id}
            service={plan.service?.id ?? null}
            initialMonth={params.get('month') ?? today.slice(0, 7)}
            value={slot}
            onChange={(v) => {
              setSlot(v);
              if (v) setErrors({});
            }}
            reload={reload}
            error={errors.slot}
          />
        )}
        {step === 3 && plan && (
          <>
            <div class="mb-4">
              <h3 class="h5">{tb('reason.service')}</h3>
              <p class="mb-1">{serviceName(plan)}</p>
              {plan.service?.documents && <p class="small text-muted">{tb('reason.documents', { docs: plan.service.documents })}</p>}
            </div>
            {plan.video && (
              <fieldset class="mb-4">
                <legend class="h5">{tb('mode.legend')}</legend>
                {(['in_person', 'video'] as const).map((m) => (
                  <div class="form-check">
                    <input class="form-check-input" type="radio" name="mode" id={`mode-${m}`} checked={mode === m} onChange={() => setMode(m)} />
                    <label class="form-check-label" for={`mode-${m}`}>
                      {tb(`mode.${m}`)}
                    </label>
                  </div>
                ))}
              </fieldset>
            )}
            <div class="form-group mb-4">
              <label for="notes" class="active">
                {tb('details.notes')}
              </label>
              <textarea
                id="notes"
                class={`form-control ${errors.notes ? 'is-invalid' : ''}`}
                rows={3}
                maxLength={1000}
                aria-describedby="notes-hint"
                value={notes}
                onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)}
              />
              <small id="notes-hint" class="form-text">
                {tb('details.notesHint')}
              </small>
              <FieldError id="notes-error" msg={errors.notes} />
            </div>
          </>
        )}
        {step === 4 && (
          <div class="row">
            {(
              [
                ['first_name', tb('who.first'), 'given-name', 'text'],
                ['last_name', tb('who.last'), 'family-name', 'text'],
                ['email', tb('who.email'), 'email', 'email'],
                ['phone', tb('who.phone'), 'tel', 'tel'],
              ] as const
            ).map(([k, label, ac, type]) => (
              <div class="col-md-6 form-group mb-4">
                <label for={`who-${k}`} class="active">
                  {label}
                  {k !== 'phone' && <span aria-hidden="true"> *</span>}
                </label>
                <input
                  id={`who-${k}`}
                  type={type}
                  class={`form-control ${errors[k] ? 'is-invalid' : ''}`}
                  autoComplete={ac}
                  required={k !== 'phone'}
                  aria-required={k !== 'phone' ? 'true' : undefined}
                  aria-invalid={errors[k] ? 'true' : undefined}
                  aria-describedby={[errors[k] ? `${k}-error` : '', k === 'email' ? 'email-hint' : ''].filter(Boolean).join(' ') || undefined}
                  maxLength={k === 'email' ? 254 : k === 'phone' ? 30 : 80}
                  value={who[k]}
                  onInput={(e) => setWho({ ...who, [k]: (e.target as HTMLInputElement).value })}
                />
                {k === 'email' && (
                  <small id="email-hint" class="form-text">
                    {tb('who.emailHint')}
                  </small>
                )}
                <FieldError id={`${k}-error`} msg={errors[k]} />
              </div>
            ))}
            <div class="col-12 mb-4">
              <p id="privacy-notice" class="small">
                {tb('who.privacyNotice')}
              </p>
              <div class="form-check">
                <input
                  id="who-privacy"
                  class="form-check-input"
                  type="checkbox"
                  checked={privacy}
                  aria-required="true"
                  aria-invalid={errors.privacy_accepted ? 'true' : undefined}
                  aria-describedby={['privacy-notice', errors.privacy_accepted ? 'privacy_accepted-error' : ''].filter(Boolean).join(' ')}
                  onChange={(e) => setPrivacy((e.target as HTMLInputElement).checked)}
                />
                <label class="form-check-label" for="who-privacy">
                  {tb('who.privacy')}
                  <span aria-hidden="true"> *</span>
                </label>
              </div>
              <FieldError id="privacy_accepted-error" msg={errors.privacy_accepted} />
            </div>
          </div>
        )}
        {step === 5 && office && plan && slot && (
          <>
            {section(1, tb('step.1'), [
              [tb('summary.office'), office.name],
              [tb('summary.service'), serviceName(plan)],
            ])}
            {section(2, tb('step.2'), [[tb('summary.when'), tb('done.when', { day: formatDay(slot.date), time: slot.start })]])}
            {section(3, tb('step.3'), [
              [tb('summary.mode'), tb(`mode.${mode}`)],
              [tb('summary.notes'), notes.trim() || tb('summary.none')],
            ])}
            {section(4, tb('step.4'), [
              [tb('summary.name'), `${who.first_name} ${who.last_name}`],
              [tb('summary.email'), who.email],
              [tb('summary.phone'), who.phone.trim() || tb('summary.none')],
            ])}
            {errors.submit && (
              <div class="alert alert-danger" role="alert">
                {errors.submit}
              </div>
            )}
          </>
        )}
        <div class="d-flex gap-2 mt-4">
          {step > 1 && !editing && (
            <button type="button" class="btn btn-outline-primary" onClick={back}>
              {tb('nav.back')}
            </button>
          )}
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {step < TOTAL ? tb('nav.next') : busy ? tb('nav.sending') : tb('nav.confirm')}
          </button>
        </div>
      </form>
    </Page>
  );
}

mount(BookingPage);
