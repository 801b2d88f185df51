// "/turnstile/{id}" — a tablet at a door (or beside a turnstile), registered as a turnstile
// device (issue 18): it scans a pass's QR code with the camera (jsQR), asks the server
// (POST /api/v1/turnstile/check with the device token) and shows a big green or red answer
// with the reason. The device token arrives once in the URL fragment (#token=…), is kept in
// localStorage and removed from the address, as for kiosks. `?direction=out` for an exit door;
// the direction can also be switched on the page. A pass code can be typed when there is no
// camera.

import { useEffect, useRef, useState } from 'preact/hooks';
import jsQR from 'jsqr';
import { apiMessage } from '../components/forms';
import { announce, FatalError, Loading, mount, Page } from '../components/layout';
import { tv } from '../visitors/i18n-visitors';
import { turnstileCheck, turnstileHome, type CheckAnswer, type TurnstileHome } from '../visitors/visitors-api';
import '../visitors/visitors.css';

const deviceId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const storageKey = `sportello.turnstile.${deviceId}`;
/** How long an answer stays on screen, and a same code read again is ignored. */
const SHOW_MS = 4000;
const SCAN_EVERY_MS = 150;

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

function reasonText(a: CheckAnswer): string {
  const key = `ts.reason.${a.reason}`;
  return tv.has(key) ? tv(key) : a.reason;
}

function Answer({ a }: { a: CheckAnswer }) {
  return (
    <div class={`ts-answer ${a.allowed ? 'ts-allowed' : 'ts-denied'}`} data-testid="ts-answer" data-allowed={String(a.allowed)} data-reason={a.reason}>
      <p class="ts-big">{a.allowed ? `✓ ${tv('ts.allowed')}` : `✕ ${tv('ts.denied')}`}</p>
      <p>{reasonText(a)}</p>
      {a.allowed && a.first_name && <p>{tv('ts.welcome', { name: a.first_name, destination: a.destination ?? '' })}</p>}
    </div>
  );
}

function Turnstile() {
  const token = useRef(deviceToken()).current;
  const [home, setHome] = useState<TurnstileHome | null>(null);
  const [fatal, setFatal] = useState<string | null>(token ? null : tv('ts.notRegistered'));
  const [direction, setDirection] = useState<'in' | 'out'>(
    new URLSearchParams(location.search).get('direction') === 'out' ? 'out' : 'in',
  );
  const [answer, setAnswer] = useState<CheckAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [camera, setCamera] = useState<'starting' | 'on' | 'off'>('starting');
  const [manual, setManual] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  const last = useRef<{ code: string; at: number }>({ code: '', at: 0 });
  const busy = useRef(false);
  const dirRef = useRef(direction);
  dirRef.current = direction;

  useEffect(() => {
    if (!token) return;
    turnstileHome(token)
      .then(setHome)
      .catch((e) => setFatal(e?.status === 401 ? tv('ts.notRegistered') : apiMessage(e)));
  }, []);

  const check = async (code: string) => {
    if (!token || busy.current) return;
    const now = Date.now();
    if (code === last.current.code && now - last.current.at < SHOW_MS) return;
    last.current = { code, at: now };
    busy.current = true;
    try {
      const a = await turnstileCheck(token, code, dirRef.current);
      setAnswer(a);
      setError(null);
      announce(`${a.allowed ? tv('ts.allowed') : tv('ts.denied')}. ${reasonText(a)}`);
      window.setTimeout(() => setAnswer((cur) => (cur === a ? null : cur)), SHOW_MS);
    } catch (e) {
      setError(apiMessage(e) || tv('ts.error'));
    } finally {
      busy.current = false;
    }
  };

  useEffect(() => {
    if (!home) return;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const scan = () => {
      const v = video.current;
      if (v && ctx && v.readyState >= 2 && v.videoWidth > 0) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        ctx.drawImage(v, 0, 0);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const qr = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        if (qr && qr.data) void check(qr.data.trim());
      }
      timer = window.setTimeout(scan, SCAN_EVERY_MS);
    };
    if (!navigator.mediaDevices?.getUserMedia) {
      setCamera('off');
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().catch(() => undefined);
        }
        setCamera('on');
        scan();
      })
      .catch(() => setCamera('off'));
    return () => {
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [home]);

  const title = tv('ts.title');
  let body;
  if (fatal) body = <FatalError title={title} message={fatal} />;
  else if (!home) body = <Loading />;
  else {
    body = (
      <>
        <h1>{`${title}: ${home.turnstile.name}`}</h1>
        <p class="lead">{tv('ts.area', { area: home.turnstile.area_name })}</p>
        <fieldset class="mb-3">
          <legend class="h6">{tv('ts.direction')}</legend>
          <div class="btn-group" role="group">
            {(['in', 'out'] as const).map((d) => (
              <button key={d} type="button" class={`btn ${direction === d ? 'btn-primary' : 'btn-outline-primary'}`}
                aria-pressed={direction === d} onClick={() => setDirection(d)}>
                {d === 'in' ? tv('ts.entry') : tv('ts.exit')}
              </button>
            ))}
          </div>
        </fieldset>
        <div aria-live="assertive">{answer && <Answer a={answer} />}</div>
        {error && <div class="alert alert-danger" role="alert">{error}</div>}
        <p>{camera === 'off' ? tv('ts.noCamera') : tv('ts.scan')}</p>
        {camera !== 'off' && <video ref={video} class="ts-video" muted playsInline aria-label={tv('ts.camera')} />}
        <form class="mt-3" onSubmit={(e) => { e.preventDefault(); if (manual.trim()) { last.current = { code: '', at: 0 }; void check(manual.trim()); setManual(''); } }}>
          <div class="form-group">
            <label for="ts-manual" class="active">{tv('ts.manual')}</label>
            <input id="ts-manual" class="form-control" autoComplete="off" spellcheck={false} value={manual} onInput={(e) => setManual(e.currentTarget.value)} />
          </div>
          <button type="submit" class="btn btn-outline-primary">{tv('ts.check')}</button>
        </form>
      </>
    );
  }
  return (
    <Page title={title} ente={home ? { slug: home.ente.slug, name: home.ente.name, logo_url: null, primary_color: null } : null}>
      {body}
    </Page>
  );
}

mount(Turnstile);
