// "/{slug}/pass#<token>" — the visitor's pass on their phone (issue 18): opened from the QR or
// the link on the info point's badge screen. The pass token stays in the URL's fragment, which
// browsers never send to a server (nor into its logs); the page posts it to
// POST /api/v1/visitor-pass and shows what the printed badge shows — first name, destination,
// the pass's QR, large, for the turnstile — plus the validity window and the state (valid,
// expired, revoked, inside). Nothing else of the visitor; guarded by the token only.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Loading, mount, Page, slugFromPath } from '../components/layout';
import { locale } from '../i18n';
import { tp, type PassKey } from '../visitors/i18n-pass';
import type { PassView } from '../visitors/visitors-api';
import '../visitors/visitors.css';

const slug = slugFromPath();
const passToken = () => decodeURIComponent(location.hash.replace(/^#/, '').trim());
/** The time at the ente (the visitor's phone may be set elsewhere). */
const time = (iso: string, timeZone: string) =>
  new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', timeZone });

function PassPage() {
  const [token, setToken] = useState(passToken());
  const [pass, setPass] = useState<PassView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    if (!token) return;
    setBusy(true);
    try {
      setPass(await api<PassView>('POST', '/api/v1/visitor-pass', { token }));
      setError(null);
    } catch (e) {
      setPass(null);
      setError(e instanceof ApiError && e.status === 404 ? tp('pass.notFound') : tp('pass.error', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
    // Back to the page (after the turnstile, the next morning): the state may have changed.
    const onShow = () => document.visibilityState === 'visible' && void load();
    const onHash = () => setToken(passToken());
    document.addEventListener('visibilitychange', onShow);
    window.addEventListener('hashchange', onHash);
    return () => {
      document.removeEventListener('visibilitychange', onShow);
      window.removeEventListener('hashchange', onHash);
    };
  }, [token]);

  let body;
  if (!token) body = <p class="alert alert-info">{tp('pass.noToken')}</p>;
  else if (error)
    body = (
      <>
        <p class="alert alert-danger" role="alert">{error}</p>
        <button type="button" class="btn btn-primary" onClick={() => void load()}>{tp('pass.retry')}</button>
      </>
    );
  else if (!pass) body = <Loading />;
  else {
    const ok = pass.state === 'valid' || pass.state === 'inside';
    body = (
      <>
        <p class={`pass-state ${ok ? 'pass-ok' : 'pass-ko'}`} role="status" data-testid="pass-state" data-state={pass.state}>
          {tp(`pass.state.${pass.state}` as PassKey, { area: pass.inside_area ?? '' })}
        </p>
        <div class="pass-card">
          <p class="pass-name">{pass.first_name}</p>
          <p class="pass-dest">
            <span class="visually-hidden">{tp('pass.destination')}: </span>
            {pass.destination}
          </p>
          <img class="pass-qr" data-testid="pass-qr" src={`data:image/svg+xml;base64,${btoa(pass.qr_svg)}`} alt={tp('pass.qrAlt')} width={300} height={300} />
        </div>
        <p class="small">{tp('pass.show')}</p>
        <dl class="pass-facts">
          <dt>{tp('pass.window')}</dt>
          <dd>{tp('pass.windowText', { from: time(pass.valid_from, pass.ente.timezone), until: time(pass.valid_until, pass.ente.timezone) })}</dd>
          <dt>{tp('pass.state')}</dt>
          <dd>{tp(`pass.state.${pass.state}` as PassKey, { area: pass.inside_area ?? '' })}</dd>
        </dl>
        <button type="button" class="btn btn-outline-primary" disabled={busy} onClick={() => void load()}>{tp('pass.refresh')}</button>
        <p class="small mt-3">{tp('pass.privacy')}</p>
      </>
    );
  }
  return (
    <Page title={tp('pass.title')} slug={slug}>
      <h1>{tp('pass.title')}</h1>
      {pass && <p class="lead">{pass.ente.name}</p>}
      {body}
    </Page>
  );
}

mount(PassPage);
