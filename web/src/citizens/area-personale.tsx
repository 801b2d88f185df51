// "/{slug}/area-personale" — the citizen's personal area (issue 19): sign in with the Comune's
// SPID / CIE providers (one button each), who is signed in (the attributes Sportello keeps),
// sign out (also at the provider when it offers it). Signing in is never required: the page
// says so and links the services.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, enc, get, type OfficesAnswer } from '../api';
import { apiMessage } from '../components/forms';
import { FatalError, Loading, mount, Page, slugFromPath } from '../components/layout';
import { getLang, t } from '../i18n';
import { area, claimBooking, currentCitizen, loginUrl, parseBookingLink, providers, signOut, type AreaAppointment, type CitizenSession, type SignInProvider } from './citizens-api';
import { tc } from './i18n-citizens';

interface Data {
  offices: OfficesAnswer;
  providers: SignInProvider[];
  session: CitizenSession | null;
}

function SignIn({ slug, list }: { slug: string; list: SignInProvider[] }) {
  const failed = new URLSearchParams(location.search).has('errore_accesso');
  return (
    <section aria-labelledby="area-signin-title">
      <h2 id="area-signin-title" class="h3">
        {tc('area.signIn')}
      </h2>
      {failed && (
        <div class="alert alert-danger" role="alert">
          {tc('area.error')}
        </div>
      )}
      {list.length === 0 ? (
        <p>{tc('area.noProviders')}</p>
      ) : (
        <ul class="list-unstyled d-flex flex-wrap gap-2">
          {list.map((p) => (
            <li>
              <a class="btn btn-primary" href={loginUrl(slug, p.key, `/${slug}/area-personale`)} data-provider={p.key}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Identity({ slug, s, onOut }: { slug: string; s: CitizenSession; onOut: () => void }) {
  const c = s.citizen;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const out = async () => {
    setBusy(true);
    try {
      const end = await signOut(slug);
      if (end) location.assign(end);
      else onOut();
    } catch (e) {
      setError(apiMessage(e));
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="area-identity-title">
      <p class="lead" id="area-welcome">
        {tc('area.welcome', { name: c.given_name || c.family_name })}
      </p>
      <h2 id="area-identity-title" class="h3">
        {tc('area.identity')}
      </h2>
      <p>
        <span class="badge bg-success" data-testid="verified">
          {tc('area.verified')}
        </span>
      </p>
      <dl class="row">
        <dt class="col-sm-3">{tc('area.name')}</dt>
        <dd class="col-sm-9">{`${c.given_name} ${c.family_name}`.trim()}</dd>
        <dt class="col-sm-3">{tc('area.fiscalNumber')}</dt>
        <dd class="col-sm-9" data-testid="fiscal-number">
          {c.fiscal_number}
        </dd>
        {c.email && (
          <>
            <dt class="col-sm-3">{tc('area.email')}</dt>
            <dd class="col-sm-9">{c.email}</dd>
          </>
        )}
        {c.phone && (
          <>
            <dt class="col-sm-3">{tc('area.phone')}</dt>
            <dd class="col-sm-9">{c.phone}</dd>
          </>
        )}
      </dl>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <button type="button" class="btn btn-outline-primary" onClick={() => void out()} disabled={busy}>
        {tc('area.signOut')}
      </button>
    </section>
  );
}

function Appointments({ slug }: { slug: string }) {
  const [list, setList] = useState<AreaAppointment[] | null>(null);
  const [link, setLink] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const load = () => area(slug).then((a) => setList(a.appointments));
  useEffect(() => {
    void load().catch((e) => setMsg({ ok: false, text: apiMessage(e) }));
  }, [slug]);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const parsed = parseBookingLink(link);
    if (!parsed) {
      setMsg({ ok: false, text: tc('area.claimBad') });
      return;
    }
    try {
      const r = await claimBooking(slug, parsed.code, parsed.token);
      setMsg({ ok: true, text: tc('area.claimed', { code: r.ref }) });
      setLink('');
      await load();
    } catch (e) {
      setMsg({ ok: false, text: apiMessage(e) });
    }
  };
  const stateText = (s: string) =>
    s === 'booked' ? tc('area.state.booked') : s === 'cancelled' ? tc('area.state.cancelled') : tc('area.state.other');
  return (
    <section aria-labelledby="area-appointments-title" class="mt-4">
      <h2 id="area-appointments-title" class="h3">
        {tc('area.appointments')}
      </h2>
      {!list && <Loading />}
      {list && list.length === 0 && <p>{tc('area.noAppointments')}</p>}
      {list && list.length > 0 && (
        <ul class="list-unstyled" id="area-appointments">
          {list.map((a) => (
            <li class="mb-2" data-code={a.code}>
              <strong>{tc('area.appointment', { date: a.date, start: a.start, office: a.office })}</strong>
              <br />
              <span>{tc('area.code', { code: a.code })}</span> · <span>{stateText(a.state)}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void submit(e)} class="mt-3">
        <h3 class="h5 mb-4">{tc('area.claimTitle')}</h3>
        <div class="form-group">
          <label for="area-claim-link" class="active">
            {tc('area.claimLabel')}
          </label>
          <input
            id="area-claim-link"
            type="url"
            class="form-control"
            value={link}
            aria-describedby="area-claim-hint"
            onInput={(e) => setLink((e.target as HTMLInputElement).value)}
            required
          />
          <small id="area-claim-hint" class="form-text">
            {tc('area.claimHint')}
          </small>
        </div>
        <button type="submit" class="btn btn-primary">
          {tc('area.claimButton')}
        </button>
      </form>
      {msg && (
        <div class={`alert mt-3 ${msg.ok ? 'alert-success' : 'alert-danger'}`} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </div>
      )}
    </section>
  );
}

function AreaPersonale() {
  const slug = slugFromPath();
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  const load = () =>
    Promise.all([get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`), providers(slug), currentCitizen(slug)])
      .then(([offices, p, session]) => {
        setError(null);
        setData({ offices, providers: p.providers, session });
      })
      .catch((e) => setError({ status: e instanceof ApiError ? e.status : 0, message: apiMessage(e) }));
  useEffect(() => {
    void load();
  }, [slug, getLang()]);

  if (error) {
    const notFound = error.status === 404;
    return (
      <Page title={notFound ? t('error.enteNotFound') : tc('area.title')} slug={notFound ? null : slug}>
        <FatalError
          title={notFound ? t('error.enteNotFound') : tc('area.title')}
          message={notFound ? t('error.enteNotFoundText') : tc('area.loadError')}
          onRetry={notFound ? undefined : () => void load()}
        />
      </Page>
    );
  }
  return (
    <Page title={tc('area.title')} ente={data?.offices.ente} slug={slug} staffLink>
      <h1>{tc('area.title')}</h1>
      {!data && <Loading />}
      {data && !data.session && <p>{tc('area.lead')}</p>}
      {signedOut && (
        <div class="alert alert-success" role="status">
          {tc('area.signedOut')}
        </div>
      )}
      {data && data.session && (
        <Identity
          slug={slug}
          s={data.session}
          onOut={() => {
            setSignedOut(true);
            setData({ ...data, session: null });
          }}
        />
      )}
      {data && data.session && <Appointments slug={slug} />}
      {data && !data.session && <SignIn slug={slug} list={data.providers} />}
      {data && (
        <nav aria-label={tc('area.services')} class="mt-4">
          <ul class="list-unstyled">
            <li>
              <a href={`/${enc(slug)}/servizi`}>{tc('area.services')}</a>
            </li>
            <li>
              <a href={`/${enc(slug)}/`}>{tc('area.offices')}</a>
            </li>
          </ul>
        </nav>
      )}
    </Page>
  );
}

mount(AreaPersonale);
