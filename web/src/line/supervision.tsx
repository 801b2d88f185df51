// The console's supervision view (supervisors and admins, "#/supervisione"), grown into the
// supervisors' live wall (issue 16; GET /api/v1/enti/{slug}/wall): per site (or every site) each
// office's line by channel — web knocks, tickets, appointments, callbacks — with its longest wait
// and an alert past the office's target wait, the operators by presence, the open desks and
// whom each serves; and for each conversation "Affida a" a colleague or "Prendo io" (POST
// /api/v1/visits/{id}/assign). A "Schermo intero" button puts the wall alone on a big screen.
// Live: it follows the supervisors' topic (ente:{slug}:supervision — desks; its `revoked` when
// the role is lost ends the view: every subscription is closed and the session read again), the
// ente's staff topic (presence), each office's staff and cases topics and each site's staff
// topic (knocks, tickets, callbacks), reloading the wall on each event; every 30 s too, so the
// waits grow and pass their target without an event.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, enc, get, type Operator, type PublicOffice } from '../api';
import { apiMessage } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { formatTime } from '../format';
import { elapsed, serverNow, setServerNow } from '../reception/console-model';
import { t } from '../i18n';
import { Realtime } from '../realtime';
import { label, type Visit, visitWho } from '../reception/console-model';
import { tw } from './i18n-workspace';
import type { Desk } from './desk-panel';

interface WallCount {
  waiting: number;
  oldest_at: string | null;
  longest_wait_ms: number | null;
}

interface WallOffice {
  id: string;
  name: string;
  site_id: string | null;
  waiting: { knocks: WallCount; tickets: WallCount; appointments: WallCount; callbacks: WallCount };
  total: number;
  longest_wait_ms: number | null;
  target_wait_minutes: number | null;
  over_target: boolean;
  desks_open: number;
}

interface Wall {
  sites: { id: string; name: string }[];
  site_id: string | null;
  offices: WallOffice[];
  operators: AtWork[];
  serving: { counter_id: string; code: string; state: string }[];
  presence: { available: number; busy: number; away: number };
  at: string;
}

const CHANNELS = ['knocks', 'tickets', 'appointments', 'callbacks'] as const;

interface AtWork {
  id: string;
  display_name: string;
  role: string;
  presence: string;
  offices: string[];
  desk: Desk | null;
  visits: Visit[];
}

function Reassign({ visit, operators, me, onDone }: { visit: Visit; operators: AtWork[]; me: string; onDone: () => void }) {
  const others = operators.filter((o) => o.id !== visit.operator?.id && o.presence !== 'away');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `sup-${visit.id}`;
  const give = async (target: string) => {
    const op = operators.find((o) => o.id === target);
    if (!op) return;
    setBusy(true);
    setError(null);
    try {
      await api<Visit>('POST', `/api/v1/visits/${enc(visit.id)}/assign`, { operator_id: target });
      announce(tw('sup.done', { who: visitWho(visit), op: op.display_name }));
      onDone();
    } catch (e) {
      setError(apiMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="sup-actions">
      <form
        class="inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void give(to || others[0]?.id || '');
        }}
      >
        <div class="select-wrapper form-group-select mb-0 mt-0">
          <label for={`${id}-to`}>
            {tw('sup.reassign')}
            <span class="visually-hidden"> – {visitWho(visit)}</span>
          </label>
          <select id={`${id}-to`} value={to || others[0]?.id} onChange={(e) => setTo(e.currentTarget.value)}>
            {others.map((o) => (
              <option value={o.id}>{o.display_name}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-outline-primary btn-sm" disabled={busy || others.length === 0}>
          {tw('sup.reassignSubmit')}
        </button>
      </form>
      {visit.operator?.id !== me && (
        <button type="button" class="btn btn-primary btn-sm btn-take-over" disabled={busy} onClick={() => void give(me)}>
          {tw('sup.takeOver')}
          <span class="visually-hidden"> – {visitWho(visit)}</span>
        </button>
      )}
      {error && (
        <p class="alert alert-danger mt-2 mb-0" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** "12 min" for a wait in ms (from the wall's read instant). */
function waitText(ms: number | null): string {
  if (ms == null) return '–';
  const now = serverNow();
  return elapsed(new Date(now - ms).toISOString(), now);
}

function OfficeTile({ o }: { o: WallOffice }) {
  const id = `wall-office-${o.id}`;
  return (
    <li class={`wall-office ${o.over_target ? 'wall-over' : ''}`} data-office={o.id}>
      <h4 class="h6 mb-1" id={`${id}-name`}>
        {o.name}
      </h4>
      <p class="wall-total mb-1">
        <span class="fw-semibold" data-total={o.total}>
          {tw('wall.total', { n: o.total })}
        </span>
      </p>
      <p class="small mb-1 wall-longest">
        {tw('wall.longestWait', { time: waitText(o.longest_wait_ms) })}
        {' · '}
        {o.target_wait_minutes ? tw('wall.target', { n: o.target_wait_minutes }) : tw('wall.noTarget')}
      </p>
      {o.over_target && <p class="wall-alert mb-1">{tw('wall.over')}</p>}
      <table class="table table-sm wall-channels mb-1">
        <caption class="visually-hidden">{o.name}</caption>
        <thead>
          <tr>
            <th scope="col">{tw('wall.channel')}</th>
            <th scope="col" class="text-end">
              {tw('wall.waiting')}
            </th>
            <th scope="col" class="text-end">
              {tw('wall.longest')}
            </th>
          </tr>
        </thead>
        <tbody>
          {CHANNELS.map((c) => (
            <tr data-channel={c}>
              <th scope="row">{tw(`wall.${c}`)}</th>
              <td class="text-end" data-count={o.waiting[c].waiting}>
                {o.waiting[c].waiting}
              </td>
              <td class="text-end">{waitText(o.waiting[c].longest_wait_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small mb-0">{tw('wall.desks', { n: o.desks_open })}</p>
    </li>
  );
}

export function SupervisionPanel({
  slug,
  operator,
  tz,
  onRevoked,
}: {
  slug: string;
  operator: Operator;
  tz: string;
  /** The supervisors' topic was revoked (the role is gone): read the session again. */
  onRevoked?: () => void;
}) {
  const [wall, setWall] = useState<Wall | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [site, setSite] = useState(() => sessionStorage.getItem('wall.site') ?? '');
  const [offices, setOffices] = useState<PublicOffice[]>([]);
  const [full, setFull] = useState(false);
  const [live, setLive] = useState(true);
  const realtime = useMemo(() => new Realtime(), []);
  const wallRef = useRef<HTMLDivElement>(null);
  const siteRef = useRef(site);
  siteRef.current = site;
  const load = () => {
    const s = siteRef.current;
    return get<Wall>(`/api/v1/enti/${enc(slug)}/wall${s ? `?site=${enc(s)}` : ''}`)
      .then((a) => {
        if (s !== siteRef.current) return;
        setServerNow(a.at);
        setWall(a);
        setError(null);
      })
      .catch((e) => setError(apiMessage(e)));
  };
  useEffect(() => {
    get<{ offices: PublicOffice[] }>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(a.offices))
      .catch(() => undefined);
    const timer = window.setInterval(() => void load(), 30_000);
    const onFull = () => setFull(document.fullscreenElement === wallRef.current && !!wallRef.current);
    document.addEventListener('fullscreenchange', onFull);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('fullscreenchange', onFull);
      realtime.close();
    };
  }, [slug]);
  useEffect(() => {
    sessionStorage.setItem('wall.site', site);
    void load();
  }, [site]);
  const siteIds = (wall?.sites ?? []).map((s) => s.id).join(',');
  const officeKey = offices.map((o) => o.id).join(',');
  useEffect(() => {
    if (revoked) return;
    let t = 0;
    const soon = () => {
      window.clearTimeout(t);
      t = window.setTimeout(() => void load(), 200);
    };
    const follow = { onEvent: soon, onResync: soon, onSubscribed: () => setLive(true), onError: () => setLive(false) };
    const stops = [
      realtime.subscribe(`ente:${slug}:supervision`, {
        ...follow,
        onRevoked: () => {
          // The role is gone: no more live updates, no more wall.
          setRevoked(true);
          realtime.close();
          setWall(null);
          announce(tw('wall.revoked'));
          onRevoked?.();
        },
      }),
      realtime.subscribe(`ente:${slug}:staff`, follow),
      ...offices.map((o) => realtime.subscribe(`office:${o.id}:staff`, follow)),
      ...offices.map((o) => realtime.subscribe(`office:${o.id}:cases`, follow)),
      ...siteIds
        .split(',')
        .filter(Boolean)
        .map((id) => realtime.subscribe(`site:${id}:staff`, follow)),
    ];
    return () => {
      window.clearTimeout(t);
      stops.forEach((s) => s());
    };
  }, [officeKey, siteIds, revoked]);

  if (revoked) {
    return (
      <section class="panel" id="supervision" aria-labelledby="sup-title">
        <h2 id="sup-title" class="h4">
          {tw('sup.title')}
        </h2>
        <div class="alert alert-warning" role="alert" id="supervision-revoked">
          {tw('wall.revoked')}
        </div>
      </section>
    );
  }

  const ops = wall
    ? wall.operators.some((o) => o.id === operator.id)
      ? wall.operators
      : // The supervisor can take over: they are listed too, even while away.
        [...wall.operators, { id: operator.id, display_name: operator.display_name, role: operator.role, presence: operator.presence, offices: [], desk: null, visits: [] }]
    : null;
  const officeName = (id: string) => offices.find((o) => o.id === id)?.name ?? id;
  const over = wall ? wall.offices.filter((o) => o.over_target) : [];
  const servingAt = (counter: string | undefined) => wall?.serving.find((s) => s.counter_id === counter);
  const toggleFull = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void wallRef.current?.requestFullscreen?.();
  };

  return (
    <section class="panel" id="supervision" aria-labelledby="sup-title">
      <div class="wall" id="wall" ref={wallRef}>
        <div class="wall-head">
          <h2 id="sup-title" class="h4 mb-0">
            {tw('wall.title')}
          </h2>
          <div class="wall-tools">
            {wall && wall.sites.length > 1 && (
              <div class="select-wrapper mb-0 mt-0">
                <label for="wall-site">{tw('wall.site')}</label>
                <select id="wall-site" value={site} onChange={(e) => setSite(e.currentTarget.value)}>
                  <option value="">{tw('wall.allSites')}</option>
                  {wall.sites.map((s) => (
                    <option value={s.id}>{s.name}</option>
                  ))}
                </select>
              </div>
            )}
            {document.fullscreenEnabled && (
              <button type="button" class="btn btn-outline-primary btn-sm" onClick={toggleFull} aria-pressed={full}>
                {full ? tw('wall.exitFullscreen') : tw('wall.fullscreen')}
              </button>
            )}
            <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => void load()}>
              {tw('sup.refresh')}
            </button>
          </div>
        </div>
        {wall && (
          <p class="small mb-2" id="wall-updated">
            {tw('sup.updated', { time: formatTime(wall.at, tz) })} {live ? `· ${tw('wall.live')}` : `· ${tw('wall.offline')}`}
          </p>
        )}
        {error && (
          <div class="alert alert-danger" role="alert">
            {tw('sup.loadError', { message: error })}
          </div>
        )}
        {!wall && !error && <Loading />}
        {wall && (
          <>
            <p class={`wall-alerts mb-2 ${over.length ? 'wall-alerts-on' : ''}`} role="status" id="wall-alerts">
              {over.length ? tw('wall.alerts', { offices: over.map((o) => o.name).join(', ') }) : tw('wall.noAlerts')}
            </p>
            <h3 class="h6">{tw('wall.presence')}</h3>
            <ul class="wall-presence list-unstyled" id="wall-presence">
              <li data-presence="available">
                <span class="wall-figure">{wall.presence.available}</span> {tw('wall.available')}
              </li>
              <li data-presence="busy">
                <span class="wall-figure">{wall.presence.busy}</span> {tw('wall.busy')}
              </li>
              <li data-presence="away">
                <span class="wall-figure">{wall.presence.away}</span> {tw('wall.away')}
              </li>
            </ul>
            <h3 class="h6">{tw('wall.offices')}</h3>
            {wall.offices.length === 0 ? (
              <p>{tw('wall.nobody')}</p>
            ) : (
              <ul class="wall-offices list-unstyled" id="wall-offices">
                {wall.offices.map((o) => (
                  <OfficeTile o={o} key={o.id} />
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      <h3 class="h5 mt-4">{tw('sup.title')}</h3>
      <p>{tw('sup.intro')}</p>
      {ops && ops.length === 0 && <p>{tw('sup.empty')}</p>}
      {ops && ops.length > 0 && (
        <ul class="list-unstyled sup-list" id="supervision-list">
          {ops.map((o) => {
            const serving = servingAt(o.desk?.counter?.id);
            return (
              <li class="sup-operator" data-operator={o.id}>
                <h4 class="h6 mb-1">
                  {o.display_name} <span class="badge bg-secondary">{t(`presence.${o.presence}` as Parameters<typeof t>[0])}</span>
                </h4>
                <p class="small mb-2">
                  <span class="fw-semibold">{tw('sup.desk')}:</span>{' '}
                  {o.desk ? (o.desk.counter ? o.desk.counter.name : `${tw('sup.remote')} · ${o.desk.offices.map(officeName).join(', ')}`) : tw('sup.noDesk')}
                  {serving && ` · ${tw('wall.serving', { code: serving.code })}`}
                </p>
                <p class="small fw-semibold mb-1">{tw('sup.contacts')}:</p>
                {o.visits.length === 0 ? (
                  <p class="small">{tw('sup.noContacts')}</p>
                ) : (
                  <ul class="list-unstyled mb-2">
                    {o.visits.map((v) => (
                      <li class="sup-visit" data-visit={v.id}>
                        <span class="fw-semibold">{visitWho(v)}</span> · {label('mode', v.mode)} · {v.office.name}
                        {v.admitted_at && ` · ${formatTime(v.admitted_at, tz)}`}
                        <Reassign visit={v} operators={ops} me={operator.id} onDone={() => void load()} />
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
