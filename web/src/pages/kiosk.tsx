// "/kiosk/{id}" — the video totem (e.g. in a shopping centre): one huge "Parla con un operatore"
// button, then the waiting room, the video call (accepted automatically), "Termina", the three
// faces, and back to the start.
// The device token arrives once in the URL fragment (#token=…), is kept in localStorage and
// removed from the address. The visit's token is kept in memory only, and every reset reloads
// the page, so nothing of the previous person remains in the browser.

import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get, type DayHours, type OfficesAnswer } from '../api';
import { applyBranding, mount } from '../components/layout';
import { formatDayHours, formatWeekday } from '../format';
import { t } from '../i18n';
import { tv } from '../reception/i18n-visit';
import { refusalReason, nextOpening } from '../reception/knock';
import { Realtime } from '../realtime';
import { Announcer, ClosedNotice } from '../reception/ui';
import {
  errorText,
  memoryVisitStore,
  request,
  VisitApiError,
  VisitClient,
  type KnockAnswer,
  type OfficeRef,
  type Reception,
  type Visit,
} from '../reception/visit-api';
import { VisitStage } from '../reception/visit-stage';
import '../reception/reception.css';

interface KioskAnswer {
  kiosk: { id: string; name: string };
  ente: { slug: string; name: string; timezone: string; primary_color?: string | null; logo_url?: string | null };
  office: OfficeRef;
  reception: Reception;
}

const DEFAULT_IDLE_S = 120;
/** After the visit: back to the start once rated (short), or after this at most. */
const AFTER_VISIT_S = 30;
const AFTER_RATING_S = 5;
const STATUS_REFRESH_MS = 30_000;

const kioskId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const storageKey = `sportello.kiosk.${kioskId}`;

/** Takes #token=… into localStorage once and removes it from the address bar and history. */
function deviceToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  try {
    if (m) {
      localStorage.setItem(storageKey, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return localStorage.getItem(storageKey);
  } catch {
    return m ? decodeURIComponent(m[1]) : null;
  }
}

function idleSeconds(): number {
  const v = Number(new URLSearchParams(location.search).get('idle'));
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_IDLE_S;
}

/** Back to the start screen: a reload, so that no state of the last person survives. */
function reset(): void {
  location.reload();
}

type Phase =
  | { kind: 'start' }
  | { kind: 'knocking' }
  | { kind: 'refused'; reason: 'closed' | 'unstaffed'; message?: string; next: string | null }
  | { kind: 'visit'; client: VisitClient; visit: Visit };

function Kiosk() {
  const token = useRef(deviceToken()).current;
  const idle = useRef(idleSeconds()).current;
  const [info, setInfo] = useState<KioskAnswer | null>(null);
  const [week, setWeek] = useState<DayHours[] | null>(null);
  const [error, setError] = useState<string | null>(token ? null : tv('kiosk.noToken'));
  const [phase, setPhase] = useState<Phase>({ kind: 'start' });
  const [title, setTitle] = useState(tv('kiosk.title'));
  const realtime = useRef<Realtime | null>(null);
  if (!realtime.current) realtime.current = new Realtime();
  const store = useRef(memoryVisitStore()).current;
  const lastInput = useRef(Date.now());
  const resetTimer = useRef<number>();

  const loadInfo = async () => {
    if (!token) return;
    try {
      const a = await request<KioskAnswer>('GET', '/api/v1/kiosk', { deviceToken: token });
      setInfo(a);
      setError(null);
      applyBranding({ primary_color: a.ente.primary_color ?? null });
      // This week's hours of the office (video hours when it has its own), for the closed screen.
      const offices = await get<OfficesAnswer>(`/api/v1/enti/${enc(a.ente.slug)}/offices`);
      const o = offices.offices.find((x) => x.id === a.office.id);
      setWeek(o ? (o.channel_hours?.video?.week ?? o.week) : null);
    } catch (e) {
      setError(e instanceof VisitApiError && (e.status === 401 || e.status === 403) ? tv('kiosk.badToken') : errorText(e));
    }
  };

  useEffect(() => {
    document.documentElement.classList.add('kiosk-root');
    // A new token typed into the address of an open kiosk: start over with it.
    const onHash = () => /token=/.test(location.hash) && location.reload();
    window.addEventListener('hashchange', onHash);
    void loadInfo();
    const refresh = window.setInterval(() => void loadInfo(), STATUS_REFRESH_MS);
    return () => {
      window.clearInterval(refresh);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  useEffect(() => {
    document.title = info ? `${title} – ${info.office.name}` : title;
  }, [title, info]);

  // Idle: any touch or key counts as activity. Nobody is sent away while waiting or talking.
  useEffect(() => {
    const touch = () => (lastInput.current = Date.now());
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    events.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    const timer = window.setInterval(() => {
      const busy = phase.kind === 'visit' && (phase.visit.state === 'waiting' || phase.visit.state === 'admitted');
      if (phase.kind !== 'start' && !busy && Date.now() - lastInput.current > idle * 1000) reset();
    }, 1000);
    return () => {
      events.forEach((e) => window.removeEventListener(e, touch));
      window.clearInterval(timer);
    };
  }, [phase]);

  const resetIn = (seconds: number) => {
    window.clearTimeout(resetTimer.current);
    resetTimer.current = window.setTimeout(reset, Math.min(seconds, idle) * 1000);
  };

  const talk = async () => {
    if (!token) return;
    setPhase({ kind: 'knocking' });
    try {
      const a = await request<KnockAnswer>('POST', '/api/v1/kiosk/visits', { deviceToken: token }, {});
      store.save({ id: a.visit.id, token: a.token });
      setPhase({ kind: 'visit', client: new VisitClient(a.visit.id, a.token), visit: a.visit });
    } catch (e) {
      if (e instanceof VisitApiError && e.status === 409 && (e.code === 'closed' || e.code === 'unstaffed')) {
        const next = typeof e.details.next_opens_at === 'string' ? e.details.next_opens_at : null;
        setPhase({ kind: 'refused', reason: e.code, message: e.message, next });
      } else {
        setError(errorText(e));
        setPhase({ kind: 'start' });
      }
    }
  };

  const tz = info?.ente.timezone ?? 'Europe/Rome';
  const r = info?.reception;
  const canTalk = !!r?.can_knock.video;

  let body;
  if (error && phase.kind === 'start') {
    body = (
      <div class="alert alert-danger kiosk-alert" role="alert" id="kiosk-error">
        {error}
      </div>
    );
  } else if (!info) {
    body = (
      <p class="loading" role="status">
        {t('loading')}
      </p>
    );
  } else if (phase.kind === 'visit') {
    body = (
      <VisitStage
        client={phase.client}
        initial={phase.visit}
        realtime={realtime.current}
        tz={tz}
        store={store}
        variant="kiosk"
        justKnocked
        onTitle={setTitle}
        onDone={reset}
        onFinished={() => resetIn(AFTER_VISIT_S)}
        onRated={() => resetIn(AFTER_RATING_S)}
      />
    );
  } else if (phase.kind === 'refused') {
    body = (
      <>
        <ClosedNotice reason={phase.reason} message={phase.message} nextOpensAt={phase.next} tz={tz} />
        <button type="button" class="btn btn-outline-primary btn-lg" onClick={reset}>
          {tv('rating.skip')}
        </button>
      </>
    );
  } else if (!canTalk) {
    body = (
      <>
        <ClosedNotice reason={r ? refusalReason(r) : 'closed'} nextOpensAt={r ? nextOpening(r) : null} tz={tz} />
        {week && <KioskHours week={week} />}
      </>
    );
  } else {
    body = (
      <div class="kiosk-start">
        <p class="kiosk-hint" id="kiosk-hint">
          {tv('kiosk.talkHint')}
        </p>
        <button type="button" class="btn btn-primary kiosk-talk" id="kiosk-talk" aria-describedby="kiosk-hint" disabled={phase.kind === 'knocking'} onClick={() => void talk()}>
          {phase.kind === 'knocking' ? tv('kiosk.calling') : tv('kiosk.talk')}
        </button>
      </div>
    );
  }

  return (
    <Announcer>
      <main id="main" class="kiosk" data-phase={phase.kind}>
        <header class="kiosk-header">
          <p class="kiosk-ente mb-0">{info?.ente.name ?? ''}</p>
          <h1 class="kiosk-office">{info?.office.name ?? tv('kiosk.title')}</h1>
        </header>
        {body}
      </main>
    </Announcer>
  );
}

function KioskHours({ week }: { week: DayHours[] }) {
  return (
    <section class="kiosk-hours" aria-labelledby="kiosk-hours-title">
      <h2 id="kiosk-hours-title">{tv('kiosk.hours')}</h2>
      <dl>
        {week.map((d) => (
          <div class="kiosk-hours-row">
            <dt>{formatWeekday(d.date)}</dt>
            <dd>{formatDayHours(d)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

mount(Kiosk);
