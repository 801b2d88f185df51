// "/{slug}/pratica" and "/{slug}/pratica/{code}#secret" — the citizen follows a case (pratica):
// enter the tracking code and the secret (or arrive from the email's link, which carries the
// secret in the fragment, never sent to the server in a URL), then see the state, the office
// handling it, the expected completion date and the public replies (internal notes never reach
// this page); add information or attach a document (PDF/PNG/JPEG, ≤ 5 MB).

import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { FormMessages, TextArea, TextField, apiMessage } from '../components/forms';
import { announce, Loading, mount, Page, slugFromPath } from '../components/layout';
import { getLang, locale } from '../i18n';
import { citizenCall, trackPath, type TrackAnswer } from '../cases/case-api';
import { tc, type CasesKey } from '../cases/i18n-cases';
import { ContactRating } from '../feedback/contact-rating';
import { linkCase } from '../citizens/signed-in';

const slug = slugFromPath();

function codeFromPath(): string {
  const parts = location.pathname.split('/').filter(Boolean);
  return parts.length >= 3 ? decodeURIComponent(parts[2]) : '';
}

function fmt(iso: string, withTime = true): string {
  const d = new Date(iso);
  return withTime
    ? d.toLocaleString(locale(), { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' })
    : d.toLocaleDateString(locale(), { dateStyle: 'long', timeZone: 'Europe/Rome' });
}

function stateLabel(s: string): string {
  return tc(`state.${s}` as CasesKey);
}

function Lookup({ onFound }: { onFound: (code: string, secret: string, data: TrackAnswer) => void }) {
  const [code, setCode] = useState(codeFromPath());
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const data = await citizenCall<TrackAnswer>('GET', trackPath(slug, code.trim()), secret.trim());
      onFound(code.trim(), secret.trim(), data);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? tc('track.notFound') : apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate id="track-form" class="mt-4">
      <FormMessages error={error} />
      <TextField id="code" label={tc('track.code')} hint={tc('track.codeHint')} value={code} onInput={setCode} required autoComplete="off" />
      {/* Visible while typed: 28 characters copied from a sheet of paper are checked by eye. */}
      <TextField id="secret" label={tc('track.secret')} hint={tc('track.secretHint')} value={secret} onInput={setSecret} required autoComplete="off" spellCheck={false} autoCapitalize="characters" />
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {tc('track.submit')}
      </button>
    </form>
  );
}

function entryTitle(e: TrackAnswer['timeline'][number]): string {
  switch (e.kind) {
    case 'state':
      return tc('track.kind.state', { state: stateLabel(e.state ?? '') });
    case 'reply_public':
      return `${tc('track.kind.reply_public')}${e.channel ? ` (${tc(`track.via.${e.channel}` as CasesKey)})` : ''}`;
    case 'created':
    case 'citizen_info':
    case 'attachment':
      return tc(`track.kind.${e.kind}` as CasesKey);
    default:
      return e.kind;
  }
}

function CaseView({ code, secret, data, onChange }: { code: string; secret: string; data: TrackAnswer; onChange: (d: TrackAnswer) => void }) {
  const [info, setInfo] = useState('');
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const [file, setFile] = useState<File | null>(null);
  const [fileMsg, setFileMsg] = useState<{ error?: string; success?: string }>({});
  const path = trackPath(slug, code);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!info.trim()) return;
    try {
      const d = await citizenCall<TrackAnswer>('POST', `${path}/info`, secret, { body: info });
      setInfo('');
      setMsg({ success: tc('track.added') });
      onChange(d);
    } catch (err) {
      setMsg({ error: apiMessage(err) });
    }
  };
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const a = await citizenCall<{ filename: string }>('POST', `${path}/attachments`, secret, { filename: file.name, content_base64: btoa(bin) });
      setFileMsg({ success: tc('track.attached', { name: a.filename }) });
      setFile(null);
      onChange(await citizenCall<TrackAnswer>('GET', path, secret));
    } catch (err) {
      setFileMsg({ error: apiMessage(err) });
    }
  };
  const lang = getLang();
  return (
    <div id="case-view">
      <dl class="row" aria-live="polite">
        <dt class="col-sm-4">{tc('track.code')}</dt>
        <dd class="col-sm-8" id="case-code">{data.code}</dd>
        <dt class="col-sm-4">{tc('track.subject')}</dt>
        <dd class="col-sm-8">{data.subject}</dd>
        <dt class="col-sm-4">{tc('track.state')}</dt>
        <dd class="col-sm-8" id="case-state">{data.state_label[lang] ?? data.state_label.it}</dd>
        <dt class="col-sm-4">{tc('track.office')}</dt>
        <dd class="col-sm-8" id="case-office">{data.office.name}</dd>
        <dt class="col-sm-4">{tc('track.due')}</dt>
        <dd class="col-sm-8">{fmt(data.due_at, false)}</dd>
        <dt class="col-sm-4">{tc('track.updated')}</dt>
        <dd class="col-sm-8">{fmt(data.updated_at)}</dd>
      </dl>
      <ContactRating slug={slug} channel="case" contact={code} token={secret} over={data.state === 'resolved' || data.state === 'closed'} />
      <h2 class="h4">{tc('track.history')}</h2>
      {data.timeline.length === 0 && <p>{tc('track.none')}</p>}
      <ol class="list-unstyled" id="case-timeline">
        {data.timeline.map((e) => (
          <li class="mb-3 border-start ps-3" data-kind={e.kind}>
            <p class="mb-1">
              <strong>{entryTitle(e)}</strong> · <time dateTime={e.at}>{fmt(e.at)}</time>
            </p>
            {e.body && <p class="mb-0 case-body">{e.body}</p>}
          </li>
        ))}
      </ol>
      {data.attachments.length > 0 && (
        <>
          <h2 class="h4">{tc('track.attachments')}</h2>
          <ul>
            {data.attachments.map((a) => (
              <li>{a.filename} ({Math.ceil(a.size / 1024)} KB)</li>
            ))}
          </ul>
        </>
      )}
      {!data.can_add_info && <p class="alert alert-info">{tc('track.closed')}</p>}
      {data.can_add_info && (
        <div class="row">
          <section class="col-lg-6" aria-labelledby="add-title">
            <h2 id="add-title" class="h4">{tc('track.add')}</h2>
            <form onSubmit={send} noValidate>
              <FormMessages error={msg.error} success={msg.success} />
              <TextArea id="info" label={tc('track.addLabel')} value={info} onInput={setInfo} rows={4} required />
              <button type="submit" class="btn btn-primary">{tc('track.addSubmit')}</button>
            </form>
          </section>
          <section class="col-lg-6" aria-labelledby="attach-title">
            <h2 id="attach-title" class="h4">{tc('track.attach')}</h2>
            <form onSubmit={upload} noValidate>
              <FormMessages error={fileMsg.error} success={fileMsg.success} />
              <div class="form-group">
                <label for="file" class="active">{tc('track.attachLabel')}</label>
                <input id="file" type="file" class="form-control" accept="application/pdf,image/png,image/jpeg"
                  onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
              </div>
              <button type="submit" class="btn btn-outline-primary">{tc('track.attachSubmit')}</button>
            </form>
          </section>
        </div>
      )}
    </div>
  );
}

function Tracking() {
  const [found, setFound] = useState<{ code: string; secret: string; data: TrackAnswer } | null>(null);
  const [auto, setAuto] = useState<boolean>(() => !!codeFromPath() && location.hash.length > 1);
  // Signed in with SPID/CIE: the case opened here goes to the personal area (issue 19).
  useEffect(() => void (found && linkCase(slug, found.code, found.secret)), [found?.code]);
  useEffect(() => {
    // The link from the email: /{slug}/pratica/{code}#secret. Read the secret, then drop it from
    // the address bar (and the history) so it is not left on screen or shared by copy-paste.
    const code = codeFromPath();
    const secret = decodeURIComponent(location.hash.slice(1));
    if (!code || !secret) return;
    history.replaceState(null, '', location.pathname + location.search);
    citizenCall<TrackAnswer>('GET', trackPath(slug, code), secret)
      .then((data) => setFound({ code, secret, data }))
      .catch(() => undefined)
      .finally(() => setAuto(false));
  }, []);
  return (
    <Page title={tc('track.title')} slug={slug}>
      <h1>{tc('track.title')}</h1>
      {auto && <Loading />}
      {!auto && !found && (
        <>
          <p class="lead">{tc('track.lead')}</p>
          <Lookup onFound={(code, secret, data) => { setFound({ code, secret, data }); announce(data.state_label[getLang()]); }} />
        </>
      )}
      {found && (
        <>
          <CaseView code={found.code} secret={found.secret} data={found.data} onChange={(d) => setFound({ ...found, data: d })} />
          <p class="mt-4">
            <button type="button" class="btn btn-link px-0" onClick={() => setFound(null)}>{tc('track.other')}</button>
          </p>
        </>
      )}
    </Page>
  );
}

mount(Tracking);
