// The console's "Pratiche" panel (docs/API.md, "Cases"): log a phone call as a case (the 020202
// quick form: caller, number, topic, answer given, resolved now?), the list with filters (code,
// citizen, text, office, state, overdue), a case's detail with its timeline and actions (state,
// internal note, public reply by email / phone / post with canned answers, transfer, escalate,
// callback), the overdue callbacks and each office's first-contact-resolution rate.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, enc, get, type OfficesAnswer, type Operator } from '../api';
import { apiMessage, Checkbox, FormMessages, SelectField, TextArea, TextField } from '../components/forms';
import { announce } from '../components/layout';
import { Realtime } from '../realtime';
import { locale } from '../i18n';
import { tc, type CasesKey } from './i18n-cases';
import { appendText, Suggestions } from '../knowledge/suggestions';
import { VerifiedIdentity } from '../citizens/verified-identity';

interface CaseRow {
  id: string;
  code: string;
  subject: string;
  state: string;
  office: { id: string; name: string };
  level: number;
  priority: string;
  channel: string;
  due_at: string;
  overdue: boolean;
  first_contact_resolved: boolean;
  citizen: { name: string; email: string; phone: string };
  allowed_states: string[];
}

interface Entry {
  id: string;
  kind: string;
  public: boolean;
  operator: string | null;
  body: string;
  data: Record<string, any>;
  at: string;
}

interface CaseDetailData extends CaseRow {
  timeline: Entry[];
  callbacks: { id: string; due_at: string; done_at: string | null; outcome: string | null; note: string }[];
  attachments: { id: string; filename: string; size: number }[];
}

interface Canned {
  id: string;
  title: string;
  body: string;
}

const STATES = ['new', 'in_progress', 'waiting_citizen', 'waiting_office', 'resolved', 'closed'];
const stateLabel = (s: string) => tc(`state.${s}` as CasesKey);
const when = (iso: string) =>
  new Date(iso).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Rome' });

function PhoneCall({ slug, operator, onCreated }: { slug: string; operator: Operator; onCreated: () => void }) {
  const offices = operator.offices ?? [];
  const [office, setOffice] = useState(offices[0]?.id ?? '');
  const [caller, setCaller] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [topic, setTopic] = useState('');
  const [answer, setAnswer] = useState('');
  const [resolved, setResolved] = useState(false);
  const [inLine, setInLine] = useState(false);
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api<{ case: CaseRow; secret: string }>('POST', `/api/v1/enti/${enc(slug)}/cases`, {
        office,
        channel: 'phone',
        subject: topic,
        answer,
        resolved_now: resolved,
        wait_in_line: inLine && !resolved,
        citizen: { name: caller, phone, email },
      });
      const created = tc('phone.created', { code: r.case.code, secret: r.secret });
      setMsg({ success: inLine && !resolved ? `${created} ${tc('phone.inLineDone')}` : created });
      setCaller(''); setPhone(''); setEmail(''); setTopic(''); setAnswer(''); setResolved(false); setInLine(false);
      onCreated();
    } catch (err) {
      setMsg({ error: apiMessage(err) });
    }
  };
  return (
    <form onSubmit={submit} noValidate id="phone-call-form" aria-labelledby="phone-title">
      <h3 id="phone-title" class="h5">{tc('phone.title')}</h3>
      <FormMessages error={msg.error} success={msg.success} />
      <SelectField id="pc-office" label={tc('phone.office')} value={office} onChange={setOffice}
        options={offices.map((o) => ({ value: o.id, label: o.name }))} />
      <TextField id="pc-caller" label={tc('phone.caller')} value={caller} onInput={setCaller} autoComplete="off" />
      <TextField id="pc-phone" type="tel" label={tc('phone.number')} value={phone} onInput={setPhone} autoComplete="off" />
      <TextField id="pc-email" type="email" label={tc('phone.email')} value={email} onInput={setEmail} autoComplete="off" />
      <TextField id="pc-topic" label={tc('phone.topic')} value={topic} onInput={setTopic} required />
      <TextArea id="pc-answer" label={tc('phone.answer')} value={answer} onInput={setAnswer} rows={3} />
      <Checkbox id="pc-resolved" label={tc('phone.resolved')} checked={resolved} onChange={setResolved} />
      {!resolved && <Checkbox id="pc-in-line" label={tc('phone.inLine')} checked={inLine} onChange={setInLine} />}
      <button type="submit" class="btn btn-primary">{tc('phone.submit')}</button>
    </form>
  );
}

function Detail({ slug, id, offices, onClose }: { slug: string; id: string; offices: { id: string; name: string }[]; onClose: () => void }) {
  const [c, setC] = useState<CaseDetailData | null>(null);
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const [state, setState] = useState('');
  const [stateNote, setStateNote] = useState('');
  const [note, setNote] = useState('');
  const [reply, setReply] = useState('');
  const [channel, setChannel] = useState('phone');
  const [canned, setCanned] = useState<Canned[]>([]);
  const [cannedId, setCannedId] = useState('');
  const [toOffice, setToOffice] = useState('');
  const [toLevel, setToLevel] = useState('');
  const [transferNote, setTransferNote] = useState('');
  const [reason, setReason] = useState('');
  const [due, setDue] = useState('');
  const load = async () => {
    try {
      const d = await get<CaseDetailData>(`/api/v1/cases/${enc(id)}`);
      setC(d);
      setState(d.allowed_states[0] ?? '');
      if (d.citizen.email) setChannel('email');
      const ca = await get<{ canned_answers: Canned[] }>(`/api/v1/enti/${enc(slug)}/offices/${enc(d.office.id)}/canned-answers`);
      setCanned(ca.canned_answers);
    } catch (err) {
      setMsg({ error: apiMessage(err) });
    }
  };
  useEffect(() => { void load(); }, [id]);
  // `said`: what happened, from the answer (default "Fatto."); `refused`: a clearer message for
  // a refusal, else the server's.
  const act = async (
    path: string,
    body: unknown,
    reset?: () => void,
    said?: (d: CaseDetailData) => string,
    refused?: (err: unknown) => string | undefined,
  ) => {
    try {
      const d = await api<CaseDetailData>('POST', `/api/v1/cases/${enc(id)}/${path}`, body);
      if (d && d.timeline) setC(d); else await load();
      reset?.();
      const text = d && d.timeline && said ? said(d) : tc('detail.saved');
      setMsg({ success: text });
      announce(text);
    } catch (err) {
      const text = refused?.(err) ?? apiMessage(err);
      setMsg({ error: text });
      announce(text);
    }
  };
  // Escalation says where the case went (the last escalation entry), or why it did not move.
  const escalated = (d: CaseDetailData) => {
    const e = [...d.timeline].reverse().find((x) => x.kind === 'escalation');
    return tc('detail.escalated', { level: e?.data.level_name ?? '', office: d.office.name });
  };
  const escalationRefused = (err: unknown) => {
    if (!(err instanceof ApiError) || err.status !== 409 || !c) return undefined;
    if (err.code === 'top') return tc('detail.escalateTop', { office: c.office.name });
    if (err.code === 'no_chain') return tc('detail.escalateNoChain');
    return undefined;
  };
  if (!c) return <FormMessages error={msg.error} />;
  return (
    <section id="case-detail" aria-labelledby="case-detail-title" class="mt-3">
      <h3 id="case-detail-title" class="h5">{tc('detail.title', { code: c.code })}</h3>
      <VerifiedIdentity slug={slug} kind="case" refId={id} />
      <button type="button" class="btn btn-link px-0" onClick={onClose}>{tc('detail.close')}</button>
      <FormMessages error={msg.error} success={msg.success} />
      <dl class="row">
        <dt class="col-sm-4">{tc('track.subject')}</dt><dd class="col-sm-8">{c.subject}</dd>
        <dt class="col-sm-4">{tc('track.state')}</dt><dd class="col-sm-8" id="detail-state">{stateLabel(c.state)}</dd>
        <dt class="col-sm-4">{tc('cases.office')}</dt><dd class="col-sm-8" id="detail-office">{c.office.name}</dd>
        <dt class="col-sm-4">{tc('detail.level')}</dt><dd class="col-sm-8" id="detail-level">{c.level}</dd>
        <dt class="col-sm-4">{tc('detail.citizen')}</dt>
        <dd class="col-sm-8">{[c.citizen.name, c.citizen.phone, c.citizen.email].filter(Boolean).join(' · ')}</dd>
        <dt class="col-sm-4">{tc('track.due')}</dt><dd class="col-sm-8">{when(c.due_at)}{c.overdue ? ` (${tc('cases.overdueBadge')})` : ''}</dd>
        <dt class="col-sm-4">{tc('detail.fcr')}</dt><dd class="col-sm-8">{c.first_contact_resolved ? tc('yes') : tc('no')}</dd>
      </dl>
      <h4 class="h6">{tc('detail.timeline')}</h4>
      <ol class="list-unstyled" id="detail-timeline">
        {c.timeline.map((e) => (
          <li class="mb-2 border-start ps-2" data-kind={e.kind}>
            <span class="fw-semibold">{e.kind}</span> · {when(e.at)} · {e.operator ?? ''} ·{' '}
            <em>{e.public ? tc('detail.public') : tc('detail.internal')}</em>
            {e.kind === 'state' && <span> — {stateLabel(e.data.from)} → {stateLabel(e.data.to)}</span>}
            {e.kind === 'transfer' && <span> — {e.data.from_office?.name} → {e.data.to_office?.name} (L{e.data.to_level})</span>}
            {e.kind === 'escalation' && <span> — {tc('timeline.escalation', { level: e.data.level_name ?? '' })}: {e.data.to_office?.name}</span>}
            {e.body && <p class="mb-0 case-body">{e.body}</p>}
            {e.kind === 'reply_public' && e.data.channel === 'post' && (
              <a href={`/api/v1/cases/${enc(c.id)}/replies/${enc(e.id)}/letter`} target="_blank" rel="noopener">{tc('detail.letter')}</a>
            )}
          </li>
        ))}
      </ol>
      <div class="row">
        <form class="col-lg-6" noValidate onSubmit={(e) => { e.preventDefault(); void act('state', { state, note: stateNote }, () => setStateNote('')); }}>
          <h4 class="h6">{tc('detail.changeState')}</h4>
          <SelectField id="cd-state" label={tc('detail.newState')} value={state} onChange={setState}
            options={c.allowed_states.map((s) => ({ value: s, label: stateLabel(s) }))} />
          <TextArea id="cd-state-note" label={tc('detail.stateNote')} value={stateNote} onInput={setStateNote} rows={2} />
          <button class="btn btn-primary" type="submit">{tc('detail.apply')}</button>
        </form>
        <form class="col-lg-6" noValidate onSubmit={(e) => { e.preventDefault(); void act('notes', { body: note }, () => setNote('')); }}>
          <h4 class="h6">{tc('detail.note')}</h4>
          <TextArea id="cd-note" label={tc('detail.note')} value={note} onInput={setNote} rows={2} />
          <button class="btn btn-outline-primary" type="submit">{tc('detail.noteSubmit')}</button>
        </form>
      </div>
      <div class="row">
      <form class="col-lg-8" noValidate onSubmit={(e) => { e.preventDefault(); void act('replies', { channel, body: reply }, () => setReply('')); }}>
        <h4 class="h6">{tc('detail.reply')}</h4>
        <SelectField id="cd-channel" label={tc('detail.replyChannel')} value={channel} onChange={setChannel}
          options={['email', 'phone', 'post'].map((x) => ({ value: x, label: tc(`channel.${x}` as CasesKey) }))} />
        {canned.length > 0 && (
          <div class="d-flex gap-2 align-items-end">
            <SelectField id="cd-canned" label={tc('detail.canned')} value={cannedId} onChange={setCannedId}
              options={[{ value: '', label: tc('detail.cannedNone') }, ...canned.map((x) => ({ value: x.id, label: x.title }))]} />
            <button type="button" class="btn btn-outline-secondary mb-3" onClick={() => {
              const a = canned.find((x) => x.id === cannedId);
              if (a) setReply(reply ? `${reply}\n${a.body}` : a.body);
            }}>{tc('detail.insert')}</button>
          </div>
        )}
        <TextArea id="cd-reply" label={tc('detail.reply')} value={reply} onInput={setReply} rows={4} />
        <button class="btn btn-primary" type="submit">{tc('detail.replySubmit')}</button>
      </form>
      <div class="col-lg-4">
        {/* From the subject and what the citizen wrote (entries without an operator). */}
        <Suggestions
          slug={slug}
          office={c.office.id}
          idPrefix="cd"
          headingLevel={4}
          text={[c.subject, ...c.timeline.filter((e) => !e.operator && e.body).slice(-3).map((e) => e.body)].join(' ')}
          onInsert={(add) => {
            setReply((r) => appendText(r, add));
            window.setTimeout(() => document.getElementById('cd-reply')?.focus(), 0);
          }}
        />
      </div>
      </div>
      <div class="row mt-3">
        <form class="col-lg-4" noValidate onSubmit={(e) => {
          e.preventDefault();
          const body: Record<string, unknown> = { note: transferNote };
          if (toOffice) body.office = toOffice;
          if (toLevel) body.level = Number(toLevel);
          void act('transfer', body, () => setTransferNote(''));
        }}>
          <h4 class="h6">{tc('detail.transfer')}</h4>
          <SelectField id="cd-to-office" label={tc('detail.transferOffice')} value={toOffice} onChange={setToOffice}
            options={[{ value: '', label: '—' }, ...offices.map((o) => ({ value: o.id, label: o.name }))]} />
          <SelectField id="cd-to-level" label={tc('detail.transferLevel')} value={toLevel} onChange={setToLevel}
            options={[{ value: '', label: '—' }, { value: '1', label: '1' }, { value: '2', label: '2' }]} />
          <TextArea id="cd-transfer-note" label={tc('detail.transferNote')} value={transferNote} onInput={setTransferNote} rows={2} />
          <button class="btn btn-outline-primary" type="submit">{tc('detail.transferSubmit')}</button>
        </form>
        <form class="col-lg-4" noValidate onSubmit={(e) => { e.preventDefault(); void act('escalate', { reason }, () => setReason(''), escalated, escalationRefused); }}>
          <h4 class="h6">{tc('detail.escalate')}</h4>
          <TextArea id="cd-reason" label={tc('detail.escalateReason')} value={reason} onInput={setReason} rows={2} />
          <button class="btn btn-outline-primary" type="submit">{tc('detail.escalateSubmit')}</button>
        </form>
        <form class="col-lg-4" noValidate onSubmit={(e) => {
          e.preventDefault();
          const d = new Date(due);
          if (isNaN(d.getTime())) { setMsg({ error: tc('detail.callbackDue') }); return; }
          void act('callbacks', { due_at: d.toISOString(), note: '' });
        }}>
          <h4 class="h6">{tc('detail.callback')}</h4>
          <div class="form-group">
            <label for="cd-due" class="active">{tc('detail.callbackDue')}</label>
            <input id="cd-due" class="form-control" type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
          </div>
          <button class="btn btn-outline-primary" type="submit">{tc('detail.callbackSubmit')}</button>
        </form>
      </div>
    </section>
  );
}

interface OpenCallback {
  id: string;
  case: { code: string; subject: string };
  phone: string;
  due_at: string;
  overdue: boolean;
  due_soon: boolean;
}

// Callbacks are reloaded this often, so a reminder appears when one falls due within the hour
// (the server decides "due soon" and "overdue" on its own clock).
const CALLBACK_REFRESH_MS = 60_000;

function Figures({ slug }: { slug: string }) {
  const [rows, setRows] = useState<{ office: { name: string }; cases: number; fcr_rate: number | null }[]>([]);
  const [callbacks, setCallbacks] = useState<OpenCallback[]>([]);
  const [outcome, setOutcome] = useState<Record<string, string>>({});
  const [reminder, setReminder] = useState('');
  // What was already announced: "id:soon" or "id:overdue", so each reminder is said once.
  const told = useRef(new Set<string>());
  const load = () => {
    get<{ offices: typeof rows }>(`/api/v1/enti/${enc(slug)}/case-stats`).then((d) => setRows(d.offices.filter((o) => o.cases > 0))).catch(() => undefined);
    get<{ callbacks: OpenCallback[] }>(`/api/v1/enti/${enc(slug)}/case-callbacks`)
      .then((d) => {
        setCallbacks(d.callbacks);
        const time = (iso: string) => new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' });
        for (const b of d.callbacks) {
          const kind = b.overdue ? 'overdue' : b.due_soon ? 'soon' : '';
          if (!kind || told.current.has(`${b.id}:${kind}`)) continue;
          told.current.add(`${b.id}:${kind}`);
          const text = tc(kind === 'overdue' ? 'cases.callbackOverdue' : 'cases.callbackReminder', { code: b.case.code, time: time(b.due_at) });
          setReminder(text);
          announce(text);
        }
      })
      .catch(() => undefined);
  };
  useEffect(() => {
    load();
    const timer = setInterval(load, CALLBACK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [slug]);
  return (
    <div class="row mt-3">
      <div class="col-lg-6">
        <h3 class="h6">{tc('cases.fcr', { target: 80 })}</h3>
        <table class="table table-sm" id="fcr-table">
          <thead><tr><th scope="col">{tc('cases.fcrOffice')}</th><th scope="col">{tc('cases.fcrCases')}</th><th scope="col">{tc('cases.fcrRate')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr><td>{r.office.name}</td><td>{r.cases}</td><td>{r.fcr_rate === null ? '—' : `${Math.round(r.fcr_rate * 100)}%`}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="col-lg-6">
        <h3 class="h6">{tc('cases.callbacks')}</h3>
        {reminder && <div class="alert alert-danger py-2" id="callback-reminder">{reminder}</div>}
        {callbacks.length === 0 && <p>{tc('cases.callbacksNone')}</p>}
        <ul class="list-unstyled" id="open-callbacks">
          {callbacks.map((b) => (
            <li class="mb-2" data-callback={b.id}>
              {b.case.code} · {b.phone} · {when(b.due_at)}{' '}
              {b.overdue && <strong>{tc('cases.overdueBadge')}</strong>}
              {b.due_soon && <strong>{tc('cases.dueSoonBadge')}</strong>}
              <form class="d-flex gap-2" noValidate onSubmit={(e) => {
                e.preventDefault();
                api('POST', `/api/v1/case-callbacks/${enc(b.id)}/done`, { outcome: outcome[b.id] ?? '' }).then(load).catch((err) => announce(apiMessage(err)));
              }}>
                <label class="visually-hidden" for={`cb-${b.id}`}>{tc('cases.callbackOutcome')}</label>
                <input id={`cb-${b.id}`} class="form-control" value={outcome[b.id] ?? ''} onInput={(e) => setOutcome({ ...outcome, [b.id]: e.currentTarget.value })} />
                <button class="btn btn-sm btn-outline-primary" type="submit">{tc('cases.callbackDone')}</button>
              </form>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function CasesPanel({ slug, operator, initialOpen }: { slug: string; operator: Operator; initialOpen?: string }) {
  const [rows, setRows] = useState<CaseRow[] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(initialOpen ?? null);
  const [code, setCode] = useState('');
  const [citizen, setCitizen] = useState('');
  const [text, setText] = useState('');
  const [office, setOffice] = useState('');
  const [state, setState] = useState('open');
  const [overdue, setOverdue] = useState(false);
  const [offices, setOffices] = useState<{ id: string; name: string }[]>([]);
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState('connecting');
  const search = async (quiet = false) => {
    const p = new URLSearchParams();
    if (code) p.set('code', code);
    if (citizen) p.set('citizen', citizen);
    if (text) p.set('q', text);
    if (office) p.set('office', office);
    if (state) p.set('state', state);
    if (overdue) p.set('overdue', '1');
    try {
      const d = await get<{ cases: CaseRow[] }>(`/api/v1/enti/${enc(slug)}/cases?${p.toString()}`);
      setRows(d.cases);
      setError(undefined);
      if (!quiet) announce(tc('cases.found', { n: d.cases.length }));
    } catch (err) {
      setError(apiMessage(err));
    }
  };
  // Live: a case created, changed or transferred in one of my offices refreshes the list.
  useEffect(() => {
    if (tick) void search(true);
  }, [tick]);
  useEffect(() => {
    const rt = new Realtime();
    const bump = () => setTick((n) => n + 1);
    // After every (re)subscription the list is reloaded: nothing that happened while the socket
    // was down or still connecting is missed.
    const offs = (operator.offices ?? []).map((o) =>
      rt.subscribe(`office:${o.id}:cases`, {
        // The session ended or this office is no longer ours: the page starts again (sign-in).
        onRevoked: () => location.reload(),
        onEvent: (type) => type.startsWith('case.') && bump(),
        onResync: bump,
        onSubscribed: () => {
          setLive('subscribed');
          bump();
        },
      }),
    );
    return () => {
      offs.forEach((off) => off());
      rt.close();
    };
  }, [slug, operator.id]);
  useEffect(() => {
    void search();
    get<OfficesAnswer>(`/api/v1/enti/${enc(slug)}/offices`).then((d) => setOffices(d.offices.map((o) => ({ id: o.id, name: o.name })))).catch(() => undefined);
  }, [slug]);
  return (
    <section class="panel" id="cases-panel" aria-labelledby="cases-title" data-live={live}>
      <h2 id="cases-title" class="h4">{tc('cases.title')}</h2>
      <div class="row">
        <div class="col-lg-4">
          <PhoneCall slug={slug} operator={operator} onCreated={() => void search(true)} />
        </div>
        <div class="col-lg-8">
          <form noValidate id="cases-filters" aria-label={tc('cases.filters')} onSubmit={(e) => { e.preventDefault(); void search(); }}>
            <div class="row">
              <div class="col-md-4"><TextField id="f-code" label={tc('cases.code')} value={code} onInput={setCode} /></div>
              <div class="col-md-4"><TextField id="f-citizen" label={tc('cases.citizen')} value={citizen} onInput={setCitizen} /></div>
              <div class="col-md-4"><TextField id="f-text" label={tc('cases.text')} value={text} onInput={setText} /></div>
              <div class="col-md-4">
                <SelectField id="f-office" label={tc('cases.office')} value={office} onChange={setOffice}
                  options={[{ value: '', label: tc('cases.allOffices') }, ...(operator.offices ?? []).map((o) => ({ value: o.id, label: o.name }))]} />
              </div>
              <div class="col-md-4">
                <SelectField id="f-state" label={tc('cases.state')} value={state} onChange={setState}
                  options={[{ value: '', label: tc('cases.anyState') }, { value: 'open', label: tc('cases.openOnly') }, ...STATES.map((s) => ({ value: s, label: stateLabel(s) }))]} />
              </div>
              <div class="col-md-4"><Checkbox id="f-overdue" label={tc('cases.overdue')} checked={overdue} onChange={setOverdue} /></div>
            </div>
            <button type="submit" class="btn btn-primary">{tc('cases.search')}</button>
          </form>
          <FormMessages error={error} />
          {rows && rows.length === 0 && <p class="mt-3">{tc('cases.none')}</p>}
          {rows && rows.length > 0 && (
            <table class="table table-sm mt-3" id="cases-table">
              <caption class="visually-hidden">{tc('cases.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{tc('cases.colCode')}</th>
                  <th scope="col">{tc('cases.colSubject')}</th>
                  <th scope="col">{tc('cases.colState')}</th>
                  <th scope="col">{tc('cases.colOffice')}</th>
                  <th scope="col">{tc('cases.colDue')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr data-case={r.code}>
                    <td>
                      <button type="button" class="btn btn-link p-0" aria-label={tc('cases.open', { code: r.code })} onClick={() => setOpen(r.id)}>{r.code}</button>
                    </td>
                    <td>{r.subject}</td>
                    <td>{stateLabel(r.state)}</td>
                    <td>{r.office.name} (L{r.level})</td>
                    <td>{when(r.due_at)}{r.overdue ? ` · ${tc('cases.overdueBadge')}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {open && <Detail slug={slug} id={open} offices={offices} onClose={() => { setOpen(null); void search(); }} />}
        </div>
      </div>
      <Figures slug={slug} />
    </section>
  );
}
