// Cases (pratiche) through the real binary: the whole life of a case, every allowed and
// forbidden state transition, transfer and escalation (the receiving office sees it), callbacks,
// canned answers, search, replies (email to the SMTP sink, phone, post letter), attachments, the
// citizen's tracking by code + secret, offline messages becoming cases, and every refusal:
// another citizen's code or secret, another ente, another office, bad input (changes nothing).
// Wednesday 25 November 2026, 15:30 in Rome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, Client, Ws, backend } from './lib.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let srv, sink, op, sup, mayor, collina, admin;
before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    now: '2026-11-25T14:30:00Z',
    extraArgs: ['--smtp-url', sink.url, '--public-origin', 'https://sportello.esempio.it'],
  });
  op = await loggedIn(srv.url, 'operator');
  sup = await loggedIn(srv.url, 'supervisor');
  mayor = await loggedIn(srv.url, 'mayor');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  admin = await loggedIn(srv.url, 'admin');
});
after(async () => {
  await srv?.stop();
  await sink?.stop();
});

const anon = () => new Client(srv.url);
const SECRET_RE = /^([2-9A-HJKMNP-Z]{4}-){6}[2-9A-HJKMNP-Z]{4}$/;
const asCitizen = (secret) => ({ headers: { 'x-case-token': secret } });
const track = (code, secret, slug = 'esempio') => anon().get(`/api/v1/enti/${slug}/tracking/${code}`, asCitizen(secret));

async function newCase(body = {}, who = op) {
  const r = await who.post('/api/v1/enti/esempio/cases', {
    office: 'urp', subject: 'Rinnovo carta d’identità', channel: 'phone',
    citizen: { name: 'Anna Neri', phone: '+39 333 1112223' }, ...body,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const setState = (id, state, note, who = op) => who.post(`/api/v1/cases/${id}/state`, note ? { state, note } : { state });

test(`[${backend}] a phone call answered at once is a first-contact resolution; the figures count it`, async () => {
  const c = await newCase({ subject: 'Orari anagrafe', answer: 'L’anagrafe riceve dalle 8:30 alle 12:30.', resolved_now: true });
  assert.equal(c.case.state, 'resolved');
  assert.equal(c.case.first_contact_resolved, true);
  assert.match(c.case.code, /^PR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  // A secret a person can write down and the operator can dictate: 28 characters of the code
  // alphabet in groups of four (31^28 ≈ 2^138), instead of 43 characters of base64url.
  assert.match(c.secret, SECRET_RE);
  assert.equal(c.tracking_path, `/esempio/pratica/${c.case.code}`);
  const seen = await track(c.case.code, c.secret);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.state, 'resolved');
  assert.ok(seen.json.timeline.some((e) => e.kind === 'reply_public' && e.body.includes('8:30')));

  // Without an answer "resolved now" is refused.
  const bad = await op.post('/api/v1/enti/esempio/cases', { office: 'urp', subject: 'x', resolved_now: true });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'answer');

  const stats = await op.get('/api/v1/enti/esempio/case-stats');
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.target, 0.8);
  const urp = stats.json.offices.find((o) => o.office.name.startsWith('URP'));
  assert.ok(urp.cases >= 1 && urp.first_contact_resolved >= 1);
  assert.equal(typeof urp.fcr_rate, 'number');
});

test(`[${backend}] every allowed and every forbidden transition`, async () => {
  const states = ['new', 'in_progress', 'waiting_citizen', 'waiting_office', 'resolved', 'closed'];
  const allowed = {
    new: ['in_progress', 'waiting_citizen', 'waiting_office', 'resolved'],
    in_progress: ['waiting_citizen', 'waiting_office', 'resolved'],
    waiting_citizen: ['in_progress', 'waiting_office', 'resolved'],
    waiting_office: ['in_progress', 'waiting_citizen', 'resolved'],
    resolved: ['closed', 'in_progress'],
    closed: ['in_progress'],
  };
  const pathTo = {
    new: [], in_progress: ['in_progress'], waiting_citizen: ['waiting_citizen'],
    waiting_office: ['waiting_office'], resolved: ['resolved'], closed: ['resolved', 'closed'],
  };
  let checked = 0;
  for (const from of states) {
    for (const to of states) {
      const c = await newCase({ subject: `Transizione ${from} → ${to}`, citizen: {} });
      for (const s of pathTo[from]) assert.equal((await setState(c.case.id, s)).status, 200, `${from} via ${s}`);
      const before = await op.get(`/api/v1/cases/${c.case.id}`);
      assert.equal(before.json.state, from);
      assert.deepEqual(before.json.allowed_states, allowed[from]);
      const r = await setState(c.case.id, to);
      if (allowed[from].includes(to)) {
        assert.equal(r.status, 200, `${from} → ${to}: ${r.text}`);
        assert.equal(r.json.state, to);
        assert.equal(r.json.timeline.at(-1).kind, 'state');
        assert.deepEqual(r.json.timeline.at(-1).data, { from, to });
      } else {
        assert.equal(r.status, 409, `${from} → ${to} must be refused`);
        assert.equal(r.json.error.code, 'transition');
        const after = await op.get(`/api/v1/cases/${c.case.id}`);
        assert.equal(after.json.state, from);
        assert.equal(after.json.timeline.length, before.json.timeline.length, 'nothing written');
      }
      checked++;
    }
  }
  assert.equal(checked, 36);
});

test(`[${backend}] a walk-in at the info point and a forwarded email open cases too`, async () => {
  const w = await newCase({ channel: 'walk_in', subject: 'Informazioni sul bando mensa', citizen: { name: 'Ida' }, priority: 'high' });
  assert.equal(w.case.channel, 'walk_in');
  assert.equal(w.case.priority, 'high');
  assert.equal(Date.parse(w.case.due_at) - Date.parse(w.case.created_at), 5 * 86400000);
  const e = await newCase({ channel: 'email', subject: 'Richiesta via email', citizen: { email: 'Mario.Bianchi@Example.it' } });
  assert.equal(e.case.channel, 'email');
  assert.equal(e.case.citizen.email, 'mario.bianchi@example.it');
  const found = await op.get('/api/v1/enti/esempio/cases?citizen=MARIO.BIANCHI@example.it');
  assert.deepEqual(found.json.cases.map((k) => k.id), [e.case.id]);
});

test(`[${backend}] reopening takes back a first-contact resolution`, async () => {
  const c = await newCase({ answer: 'Fatto.', resolved_now: true });
  assert.equal(c.case.first_contact_resolved, true);
  const closed = await setState(c.case.id, 'closed');
  assert.equal(closed.json.first_contact_resolved, true);
  const reopened = await setState(c.case.id, 'in_progress', 'Il cittadino ha richiamato');
  assert.equal(reopened.status, 200);
  assert.equal(reopened.json.first_contact_resolved, false);
  assert.equal(reopened.json.closed_at, null);
});

test(`[${backend}] internal notes stay inside; another citizen, another ente, another office are refused`, async () => {
  const a = await newCase({ subject: 'Pratica A' });
  const b = await newCase({ subject: 'Pratica B' });
  const note = await op.post(`/api/v1/cases/${a.case.id}/notes`, { body: 'Nota riservata: verificare la residenza' });
  assert.equal(note.status, 201, note.text);
  const reply = await op.post(`/api/v1/cases/${a.case.id}/replies`, { channel: 'phone', body: 'Le abbiamo spiegato i documenti.' });
  assert.equal(reply.status, 201, reply.text);

  const mine = await track(a.case.code, a.secret);
  assert.equal(mine.status, 200);
  assert.ok(mine.json.timeline.some((e) => e.body === 'Le abbiamo spiegato i documenti.'));
  assert.ok(!JSON.stringify(mine.json).includes('riservata'), 'no internal note for the citizen');
  assert.ok(!('citizen' in mine.json) || !mine.json.citizen?.phone);

  // Another citizen's secret, a wrong secret, no secret, another ente's slug, a malformed code.
  for (const [code, secret, slug] of [
    [a.case.code, b.secret, 'esempio'], [a.case.code, 'x'.repeat(43), 'esempio'], [a.case.code, '', 'esempio'],
    [a.case.code, a.secret, 'collina'], ['PR-0000-0000', a.secret, 'esempio'], ["' OR 1=1 --", a.secret, 'esempio'],
  ]) {
    const r = await anon().get(`/api/v1/enti/${slug}/tracking/${encodeURIComponent(code)}`, asCitizen(secret));
    assert.equal(r.status, 404, `${code} ${slug}`);
    assert.ok(!r.text.includes('Pratica A'));
  }
  // The code is accepted as typed (lower case, no dashes).
  const typed = await track(a.case.code.toLowerCase().replaceAll('-', ''), a.secret);
  assert.equal(typed.status, 200);

  // Staff of another ente, and an operator of another office, do not see it.
  for (const who of [collina, mayor]) {
    const r = await who.get(`/api/v1/cases/${a.case.id}`);
    assert.equal(r.status, 404);
    const n = await who.post(`/api/v1/cases/${a.case.id}/notes`, { body: 'intrusione' });
    assert.equal(n.status, 404);
  }
  const list = await mayor.get('/api/v1/enti/esempio/cases');
  assert.equal(list.status, 200);
  assert.ok(!list.json.cases.some((k) => k.id === a.case.id));
  assert.equal((await mayor.get('/api/v1/enti/esempio/cases?office=urp')).status, 403);
  assert.equal((await collina.get('/api/v1/enti/esempio/cases')).status, 403);
  // Without a session: 401.
  assert.equal((await anon().get(`/api/v1/cases/${a.case.id}`)).status, 401);
  // The operator still sees the note.
  const staffView = await op.get(`/api/v1/cases/${a.case.id}`);
  assert.ok(staffView.json.timeline.some((e) => e.kind === 'note_internal' && !e.public));
});

test(`[${backend}] bad input is a 400 naming the field and changes nothing`, async () => {
  const c = await newCase({ subject: 'Input errati' });
  const count = async () => (await op.get('/api/v1/enti/esempio/cases?limit=500&state=')).json.cases.length;
  const n0 = await count();
  const bad = [
    [{ office: 'urp', subject: 'x', colour: 'red' }, 'colour'],
    [{ office: 'urp' }, 'subject'],
    [{ office: 'urp', subject: 'x', channel: 'fax' }, 'channel'],
    [{ office: 'urp', subject: 'x', priority: 'asap' }, 'priority'],
    [{ office: 'urp', subject: 'x', level: 3 }, 'level'],
    [{ office: 'nessuno', subject: 'x' }, 'office'],
    [{ office: 'urp', subject: 'x', citizen: { email: 'non-una-email' } }, 'citizen.email'],
    [{ office: 'urp', subject: 'x', citizen: { phone: 'abc' } }, 'citizen.phone'],
    [{ office: 'urp', subject: 'x', citizen: { nickname: 'a' } }, 'citizen.nickname'],
    [{ office: 'urp', subject: 'x', due_at: 'domani' }, 'due_at'],
    [{ office: 'urp', subject: 'x', channel: 'email' }, 'citizen.email'],
  ];
  for (const [body, field] of bad) {
    const r = await op.post('/api/v1/enti/esempio/cases', body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  const before = (await op.get(`/api/v1/cases/${c.case.id}`)).json;
  for (const [path, body, field] of [
    ['state', { state: 'done' }, 'state'],
    ['state', {}, 'state'],
    ['notes', { body: '' }, 'body'],
    ['replies', { channel: 'fax', body: 'x' }, 'channel'],
    ['replies', { channel: 'phone' }, 'body'],
    ['transfer', { note: 'x' }, 'office'],
    ['transfer', { office: 'nessuno', note: 'x' }, 'office'],
    ['transfer', { level: 5, note: 'x' }, 'level'],
    ['callbacks', { due_at: 'ieri' }, 'due_at'],
    ['escalate', {}, 'reason'],
  ]) {
    const r = await op.post(`/api/v1/cases/${c.case.id}/${path}`, body);
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)} → ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  const after = (await op.get(`/api/v1/cases/${c.case.id}`)).json;
  assert.deepEqual(after, before);
  assert.equal(await count(), n0);
  // Email reply without an address: a conflict, nothing written.
  const noMail = await op.post(`/api/v1/cases/${c.case.id}/replies`, { channel: 'email', body: 'x' });
  assert.equal(noMail.status, 409);
  assert.deepEqual((await op.get(`/api/v1/cases/${c.case.id}`)).json, before);
  // Filters validate too.
  assert.equal((await op.get('/api/v1/enti/esempio/cases?state=boh')).status, 400);
  assert.equal((await op.get('/api/v1/enti/esempio/cases?code=zzz')).status, 400);
});

test(`[${backend}] transfer to the 2nd level and to another office: the receiving office sees it, the citizen sees who handles it`, async () => {
  const cookieOf = (c) => [...c.cookies].map(([k, x]) => `${k}=${x}`).join('; ');
  const offices = (await op.get('/api/v1/enti/esempio/offices')).json.offices;
  const sindaco = offices.find((o) => o.slug === 'sindaco');
  const ws = await Ws.open(srv.url, { cookie: cookieOf(mayor) });
  ws.send({ op: 'subscribe', topic: `office:${sindaco.id}:cases` });
  await ws.next((m) => m.op === 'subscribed');
  // Nobody else may follow the mayor's office's cases.
  const other = await Ws.open(srv.url, { cookie: cookieOf(op) });
  other.send({ op: 'subscribe', topic: `office:${sindaco.id}:cases` });
  const refused = await other.next((m) => m.op === 'error' || m.op === 'subscribed');
  assert.notEqual(refused.op, 'subscribed');
  other.close();

  const c = await newCase({ subject: 'Segnalazione buche in via Roma' });
  const l2 = await op.post(`/api/v1/cases/${c.case.id}/transfer`, { level: 2, note: 'Serve il tecnico' });
  assert.equal(l2.status, 200, l2.text);
  assert.equal(l2.json.level, 2);
  assert.equal(l2.json.first_contact_resolved, false);
  const t = await op.post(`/api/v1/cases/${c.case.id}/transfer`, { office: 'sindaco', note: 'Di competenza del Sindaco' });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.office.id, sindaco.id);
  const last = t.json.timeline.at(-1);
  assert.equal(last.kind, 'transfer');
  assert.equal(last.public, false);
  assert.equal(last.body, 'Di competenza del Sindaco');

  const live = await ws.next((m) => m.type === 'case.updated' && m.data.id === c.case.id);
  assert.equal(live.data.office.id, sindaco.id);
  const list = await mayor.get('/api/v1/enti/esempio/cases');
  assert.ok(list.json.cases.some((k) => k.id === c.case.id), 'the receiving office lists it');
  const seen = await mayor.get(`/api/v1/cases/${c.case.id}`);
  assert.equal(seen.status, 200);
  assert.ok(seen.json.timeline.some((e) => e.body === 'Di competenza del Sindaco'));
  const reply = await mayor.post(`/api/v1/cases/${c.case.id}/replies`, { channel: 'phone', body: 'Interverremo entro venerdì.' });
  assert.equal(reply.status, 201, reply.text);

  const citizenView = await track(c.case.code, c.secret);
  assert.equal(citizenView.json.office.name, 'Sindaco');
  assert.ok(citizenView.json.timeline.some((e) => e.body === 'Interverremo entro venerdì.'));
  assert.ok(!JSON.stringify(citizenView.json).includes('Di competenza'), 'the transfer note is internal');
  // The office that handled it before still reads it.
  assert.equal((await op.get(`/api/v1/cases/${c.case.id}`)).status, 200);
  // Same office, same level: refused.
  assert.equal((await mayor.post(`/api/v1/cases/${c.case.id}/transfer`, { office: 'sindaco', note: 'x' })).status, 409);
  ws.close();
});

test(`[${backend}] escalation follows the ente's chain to the mayor, with a reason; the top refuses`, async () => {
  const chain = await op.get('/api/v1/enti/esempio/case-escalation');
  assert.deepEqual(chain.json.levels.map((l) => l.name), ['Help Point (URP)', 'Responsabile di settore', 'Sindaco']);
  assert.equal((await op.put('/api/v1/enti/esempio/case-escalation', { levels: [] })).status, 403);
  const badChain = await admin.put('/api/v1/enti/esempio/case-escalation', { levels: [{ name: 'X', office: 'nessuno' }] });
  assert.equal(badChain.status, 400);
  assert.equal(badChain.json.error.field, 'levels[0].office');
  assert.equal((await op.get('/api/v1/enti/esempio/case-escalation')).json.levels.length, 3);

  // A URP case: the chain's first step is URP itself (the Help Point), so the first escalation
  // goes to the head of department — it used to "escalate" to URP, changing nothing.
  const c = await newCase({ subject: 'Reclamo sul servizio mensa' });
  const names = [];
  for (let i = 1; i <= 2; i++) {
    const r = await op.post(`/api/v1/cases/${c.case.id}/escalate`, { reason: `Motivo ${i}` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.escalation_level, i);
    names.push(r.json.office.name);
    const e = r.json.timeline.filter((x) => x.kind === 'escalation').at(-1);
    assert.notEqual(e.data.from_office, e.data.to_office.id, 'every escalation changes office');
  }
  assert.deepEqual(names, ['Anagrafe e Stato civile', 'Sindaco']);
  const atMayor = await mayor.get(`/api/v1/cases/${c.case.id}`);
  assert.equal(atMayor.status, 200);
  assert.ok(atMayor.json.timeline.some((e) => e.kind === 'escalation' && e.body === 'Motivo 2'));
  assert.equal(atMayor.json.escalations, 2);
  const top = await mayor.post(`/api/v1/cases/${c.case.id}/escalate`, { reason: 'Ancora' });
  assert.equal(top.status, 409);
  assert.equal(top.json.error.code, 'top');
  assert.equal((await mayor.get(`/api/v1/cases/${c.case.id}`)).json.escalations, 2, 'a refusal changes nothing');

  // A case of the head of department's office climbs to the mayor, not back to the Help Point.
  const sup2 = await newCase({ office: 'anagrafe', subject: 'Certificato storico' }, sup);
  const up = await sup.post(`/api/v1/cases/${sup2.case.id}/escalate`, { reason: 'Serve il Sindaco' });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.office.name, 'Sindaco');
  assert.equal(up.json.escalation_level, 2);
  // A mayor's case has nowhere to go: 409, nothing changes.
  const own = await newCase({ office: 'sindaco', subject: 'Udienza' }, mayor);
  const none = await mayor.post(`/api/v1/cases/${own.case.id}/escalate`, { reason: 'x' });
  assert.equal(none.status, 409, none.text);
  assert.equal(none.json.error.code, 'top');
  const after = await mayor.get(`/api/v1/cases/${own.case.id}`);
  assert.equal(after.json.escalations, 0);
  assert.equal(after.json.escalation_level, null);
  assert.ok(!after.json.timeline.some((e) => e.kind === 'escalation'));
});

test(`[${backend}] callbacks: the default for an unresolved call, the overdue list, the outcome`, async () => {
  const c = await newCase({ subject: 'Quando arriva la TARI?' });
  const detail = await op.get(`/api/v1/cases/${c.case.id}`);
  assert.equal(detail.json.callbacks.length, 1, 'we call you back when the answer is ready');
  assert.equal(detail.json.callbacks[0].phone, '+39 333 1112223');

  // Due within the hour: a reminder (due_soon), not yet overdue; later ones are neither.
  const soon = await op.post(`/api/v1/cases/${c.case.id}/callbacks`, { due_at: '2026-11-25T15:00:00Z', note: 'Entro le 16' });
  assert.equal(soon.status, 201, soon.text);
  const open = (await op.get('/api/v1/enti/esempio/case-callbacks')).json.callbacks.filter((b) => b.case.id === c.case.id);
  const soonRow = open.find((b) => b.due_at === '2026-11-25T15:00:00Z');
  assert.ok(soonRow, JSON.stringify(open));
  assert.equal(soonRow.due_soon, true);
  assert.equal(soonRow.overdue, false);
  assert.ok(open.filter((b) => b.id !== soonRow.id).every((b) => b.due_soon === false), 'the default callback is days away');
  assert.ok(!(await op.get('/api/v1/enti/esempio/case-callbacks?overdue=1')).json.callbacks.some((b) => b.id === soonRow.id));

  const past = await op.post(`/api/v1/cases/${c.case.id}/callbacks`, { due_at: '2026-11-25T08:00:00Z', note: 'Richiamare in mattinata' });
  assert.equal(past.status, 201, past.text);
  const overdue = await op.get('/api/v1/enti/esempio/case-callbacks?overdue=1');
  const mine = overdue.json.callbacks.find((b) => b.case.id === c.case.id);
  assert.ok(mine, 'listed as overdue');
  assert.equal(mine.overdue, true);
  assert.equal((await mayor.get('/api/v1/enti/esempio/case-callbacks?overdue=1')).json.callbacks.length, 0);
  assert.equal((await mayor.post(`/api/v1/case-callbacks/${mine.id}/done`, { outcome: 'x' })).status, 404);
  const done = await op.post(`/api/v1/case-callbacks/${mine.id}/done`, { outcome: 'Risposto: arriva a dicembre' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.outcome, 'Risposto: arriva a dicembre');
  assert.equal((await op.post(`/api/v1/case-callbacks/${mine.id}/done`, { outcome: 'di nuovo' })).status, 409);
  const after = await op.get('/api/v1/enti/esempio/case-callbacks?overdue=1');
  assert.ok(!after.json.callbacks.some((b) => b.id === mine.id));
  const tl = (await op.get(`/api/v1/cases/${c.case.id}`)).json.timeline;
  assert.ok(tl.some((e) => e.kind === 'callback' && e.body === 'Risposto: arriva a dicembre'));
});

test(`[${backend}] canned answers per office: create, list, edit, delete; other offices refused`, async () => {
  const path = '/api/v1/enti/esempio/offices/urp/canned-answers';
  const a = await op.post(path, { title: 'Orari URP', body: 'L’URP riceve dal lunedì al venerdì, 8–19.' });
  assert.equal(a.status, 201, a.text);
  assert.equal((await op.post(path, { title: 'Orari URP', body: 'doppione' })).status, 409);
  assert.equal((await op.post(path, { title: 'x' })).status, 400);
  assert.equal((await mayor.post(path, { title: 'Sindaco', body: 'no' })).status, 403);
  const list = await op.get(path);
  assert.deepEqual(list.json.canned_answers.map((x) => x.title), ['Orari URP']);
  const ed = await op.put(`/api/v1/canned-answers/${a.json.id}`, { title: 'Orari URP', body: 'Nuovo orario.' });
  assert.equal(ed.status, 200, ed.text);
  assert.equal(ed.json.body, 'Nuovo orario.');
  assert.equal((await mayor.del(`/api/v1/canned-answers/${a.json.id}`)).status, 404);
  assert.equal((await op.del(`/api/v1/canned-answers/${a.json.id}`)).status, 204);
  assert.equal((await op.get(path)).json.canned_answers.length, 0);
});

test(`[${backend}] canned answers are read only by their office (supervisors and admins: all); unknown office 404`, async () => {
  const path = '/api/v1/enti/esempio/offices/urp/canned-answers';
  const a = await op.post(path, { title: 'Rinnovo CIE', body: 'Prenota su agendacie.interno.gov.it.' });
  assert.equal(a.status, 201, a.text);
  // The mayor's operator is not in URP: the list is refused (it used to be readable).
  const peek = await mayor.get(path);
  assert.equal(peek.status, 403, peek.text);
  assert.ok(!peek.text.includes('agendacie'));
  // Another office's answer is "not found" on PUT as on DELETE (PUT used to say 403).
  const put = await mayor.put(`/api/v1/canned-answers/${a.json.id}`, { title: 'Preso', body: 'x' });
  assert.equal(put.status, 404, put.text);
  assert.equal((await mayor.del(`/api/v1/canned-answers/${a.json.id}`)).status, 404);
  assert.equal((await collina.put(`/api/v1/canned-answers/${a.json.id}`, { title: 'Preso', body: 'x' })).status, 404);
  // Supervisors and admins of the ente read and change every office's answers.
  for (const who of [sup, admin]) {
    const l = await who.get(path);
    assert.equal(l.status, 200, l.text);
    assert.ok(l.json.canned_answers.some((x) => x.id === a.json.id));
  }
  assert.equal((await sup.put(`/api/v1/canned-answers/${a.json.id}`, { title: 'Rinnovo CIE', body: 'Agenda CIE.' })).status, 200);
  // Unknown office: 404 (it used to be 400) on GET and POST; another ente's office too.
  for (const who of [op, admin]) {
    const g = await who.get('/api/v1/enti/esempio/offices/nessuno/canned-answers');
    assert.equal(g.status, 404, g.text);
    const p = await who.post('/api/v1/enti/esempio/offices/nessuno/canned-answers', { title: 't', body: 'b' });
    assert.equal(p.status, 404, p.text);
  }
  const collinaUrp = (await collina.get('/api/v1/enti/collina/offices')).json.offices[0];
  assert.equal((await admin.get(`/api/v1/enti/esempio/offices/${collinaUrp.id}/canned-answers`)).status, 404);
  // Nothing of that changed the answer.
  const after = (await op.get(path)).json.canned_answers.find((x) => x.id === a.json.id);
  assert.equal(after.title, 'Rinnovo CIE');
  assert.equal(after.body, 'Agenda CIE.');
  assert.equal((await op.del(`/api/v1/canned-answers/${a.json.id}`)).status, 204);
});

test(`[${backend}] search by code, citizen and text; overdue and age filters`, async () => {
  const c = await newCase({ subject: 'Contributo affitto per famiglie', citizen: { name: 'Giovanni Esposito', email: 'gio.esposito@example.it', phone: '+39 347 5550001' }, due_at: '2026-11-20T00:00:00Z' });
  const q = (s) => op.get(`/api/v1/enti/esempio/cases?${s}`);
  const ids = async (s) => (await q(s)).json.cases.map((k) => k.id);
  assert.deepEqual(await ids(`code=${c.case.code}`), [c.case.id]);
  assert.deepEqual(await ids(`code=${c.case.code.toLowerCase()}`), [c.case.id]);
  assert.ok((await ids('citizen=gio.esposito@example.it')).includes(c.case.id));
  assert.ok((await ids(`citizen=${encodeURIComponent('+39 347 5550001')}`)).includes(c.case.id));
  assert.ok((await ids('citizen=esposito')).includes(c.case.id));
  assert.ok((await ids('q=affitto')).includes(c.case.id));
  assert.ok((await ids('q=famigl')).includes(c.case.id), 'prefix match');
  assert.ok(!(await ids('q=parcheggio')).includes(c.case.id));
  assert.ok((await ids('overdue=1')).includes(c.case.id));
  assert.ok(!(await ids('older_than_days=1')).includes(c.case.id), 'created today');
  assert.ok((await ids('state=new&office=urp')).includes(c.case.id));
  // Text of a public reply is searchable too; an FTS operator is just a word.
  await op.post(`/api/v1/cases/${c.case.id}/replies`, { channel: 'phone', body: 'Serve il modello ISEE aggiornato' });
  assert.ok((await ids('q=isee')).includes(c.case.id));
  assert.equal((await q('q=' + encodeURIComponent('"* OR NEAR('))).status, 200);
});

test(`[${backend}] a reply by post is a printable letter with the Comune's letterhead, escaped`, async () => {
  const c = await newCase({ subject: 'Richiesta <b>atti</b>', citizen: { name: 'Rita <Rossi>' } });
  const r = await op.post(`/api/v1/cases/${c.case.id}/replies`, { channel: 'post', body: 'Gentile signora,\n<script>alert(1)</script> in allegato gli atti.' });
  assert.equal(r.status, 201);
  const reply = r.json.timeline.find((e) => e.kind === 'reply_public' && e.data.channel === 'post');
  const letter = await op.get(`/api/v1/cases/${c.case.id}/replies/${reply.id}/letter`);
  assert.equal(letter.status, 200);
  assert.match(letter.headers.get('content-type'), /text\/html/);
  assert.ok(letter.text.includes('Comune di Esempio') || letter.text.includes('Esempio'));
  assert.ok(letter.text.includes('&lt;script&gt;'));
  assert.ok(!letter.text.includes('<script>'));
  assert.ok(letter.text.includes('Rita &lt;Rossi&gt;'));
  assert.equal((await mayor.get(`/api/v1/cases/${c.case.id}/replies/${reply.id}/letter`)).status, 404);
  const css = await anon().get('/letter.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /text\/css/);
});

test(`[${backend}] the citizen adds information and attaches a PDF; only PDF/PNG/JPEG, served as a download`, async () => {
  const c = await newCase({ subject: 'Documenti mancanti' });
  await setState(c.case.id, 'waiting_citizen');
  const info = await anon().post(`/api/v1/enti/esempio/tracking/${c.case.code}/info`, { body: 'Ecco il numero di protocollo: 1234' }, asCitizen(c.secret));
  assert.equal(info.status, 201, info.text);
  assert.equal(info.json.state, 'in_progress', 'the answer the office waited for');
  assert.equal((await anon().post(`/api/v1/enti/esempio/tracking/${c.case.code}/info`, { body: 'x' }, asCitizen('sbagliato'))).status, 404);
  assert.equal((await anon().post(`/api/v1/enti/esempio/tracking/${c.case.code}/info`, { body: '' }, asCitizen(c.secret))).status, 400);

  const upload = (bytes, name, secret = c.secret) => anon().post(`/api/v1/enti/esempio/tracking/${c.case.code}/attachments`,
    { filename: name, content_base64: bytes.toString('base64') }, asCitizen(secret));
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const ok = await upload(pdf, '../ricevuta.pdf');
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.content_type, 'application/pdf');
  assert.equal(ok.json.filename, 'ricevuta.pdf');
  const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'foto.png');
  assert.equal(html.status, 400);
  assert.equal(html.json.error.field, 'file');
  assert.equal((await upload(pdf, 'x.pdf', 'sbagliato')).status, 404);
  const notB64 = await anon().post(`/api/v1/enti/esempio/tracking/${c.case.code}/attachments`, { filename: 'a.pdf', content_base64: '***' }, asCitizen(c.secret));
  assert.equal(notB64.status, 400);
  assert.equal(notB64.json.error.field, 'content_base64');

  const down = await op.get(`/api/v1/cases/${c.case.id}/attachments/${ok.json.id}`);
  assert.equal(down.status, 200);
  assert.match(down.headers.get('content-disposition'), /^attachment; filename="ricevuta.pdf"$/);
  assert.equal(down.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(down.text, pdf.toString());
  const mine = await anon().get(`/api/v1/enti/esempio/tracking/${c.case.code}/attachments/${ok.json.id}`, asCitizen(c.secret));
  assert.equal(mine.status, 200);
  assert.match(mine.headers.get('content-disposition'), /^attachment/);
  assert.equal((await mayor.get(`/api/v1/cases/${c.case.id}/attachments/${ok.json.id}`)).status, 404);
  const tl = (await track(c.case.code, c.secret)).json;
  assert.deepEqual(tl.attachments.map((a) => a.filename), ['ricevuta.pdf']);
  // Closed: no more additions.
  await setState(c.case.id, 'resolved');
  await setState(c.case.id, 'closed');
  assert.equal((await anon().post(`/api/v1/enti/esempio/tracking/${c.case.code}/info`, { body: 'ancora' }, asCitizen(c.secret))).status, 409);
});

test(`[${backend}] a case opened from the end of a visit takes its office and the citizen's name`, async () => {
  const duty = await loggedIn(srv.url, 'operator');
  await duty.put('/api/v1/session/presence', { presence: 'available' });
  const k = await anon().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'chat', name: 'Paolo Gialli', topic: 'Cambio di residenza' });
  assert.equal(k.status, 201, k.text);
  const early = await op.post('/api/v1/enti/esempio/cases', { visit: k.json.visit.id, subject: 'Residenza' });
  assert.equal(early.status, 409, 'the visit has not ended');
  const adm = await duty.post('/api/v1/enti/esempio/offices/urp/admit-next');
  assert.equal(adm.status, 200, adm.text);
  const end = await duty.post(`/api/v1/visits/${adm.json.id}/end`, { outcome: 'needs_callback' });
  assert.equal(end.status, 200, end.text);
  const c = await op.post('/api/v1/enti/esempio/cases', { visit: adm.json.id, subject: 'Cambio di residenza', citizen: { email: 'paolo@example.it' } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.case.channel, 'visit');
  assert.equal(c.json.case.visit_id, adm.json.id);
  assert.equal(c.json.case.citizen.name, 'Paolo Gialli');
  assert.ok(c.json.case.office.name.startsWith('URP'));
  assert.equal((await collina.post('/api/v1/enti/collina/cases', { visit: adm.json.id, subject: 'x' })).status, 400);
  await duty.put('/api/v1/session/presence', { presence: 'away' });
});

test(`[${backend}] an offline message becomes a case in the same transaction, with a callback`, async () => {
  const r = await anon().post('/api/v1/enti/esempio/offices/urp/callback-requests',
    { name: 'Lucia Verdi', contact: '+39 333 9998887', message: 'Vorrei sapere come rinnovare\nil contrassegno disabili.', privacy_accepted: true });
  assert.equal(r.status, 201, r.text);
  const found = await op.get(`/api/v1/enti/esempio/cases?citizen=${encodeURIComponent('+39 333 9998887')}`);
  assert.equal(found.json.cases.length, 1);
  const c = found.json.cases[0];
  assert.equal(c.channel, 'message');
  assert.equal(c.citizen.name, 'Lucia Verdi');
  assert.match(c.subject, /contrassegno/);
  const d = await op.get(`/api/v1/cases/${c.id}`);
  assert.ok(d.json.timeline.some((e) => e.kind === 'citizen_info' && e.body.includes('contrassegno')));
  assert.equal(d.json.callbacks.length, 1);
  // The citizen left only a phone number: the answer itself carries the case's code and secret
  // — the pair shown to them, to write down — and its link (the secret in the fragment).
  assert.equal(r.json.case.code, c.code);
  assert.match(r.json.case.secret, SECRET_RE);
  assert.equal(r.json.case.tracking_path, '/esempio/pratica');
  const m = r.json.case.tracking_link.match(/^\/esempio\/pratica\/(PR-[A-Z0-9]{4}-[A-Z0-9]{4})#(.+)$/);
  assert.ok(m, r.json.case.tracking_link);
  assert.equal(m[1], c.code);
  assert.equal(decodeURIComponent(m[2]), r.json.case.secret);
  const tracked = await track(c.code, decodeURIComponent(m[2]));
  assert.equal(tracked.status, 200, tracked.text);
  assert.equal(tracked.json.code, c.code);
  // Typed back from paper as a person would: lower case, spaces instead of dashes, code too.
  const typedSecret = r.json.case.secret.toLowerCase().replaceAll('-', ' ');
  const typedCode = c.code.toLowerCase().replace('pr-', 'pr ');
  const byHand = await anon().get(`/api/v1/enti/esempio/tracking/${encodeURIComponent(typedCode)}`, asCitizen(typedSecret));
  assert.equal(byHand.status, 200, byHand.text);
  assert.equal(byHand.json.code, c.code);
  // Reception's own message code opens nothing, and neither does a secret off by one character.
  assert.equal((await track(r.json.code, r.json.case.secret)).status, 404);
  const last = r.json.case.secret.at(-1);
  const wrong = r.json.case.secret.slice(0, -1) + (last === 'Z' ? 'Y' : 'Z');
  assert.equal((await track(c.code, wrong)).status, 404);
  assert.equal((await track(c.code, r.json.case.secret, 'collina')).status, 404);
  // A refused message makes no case.
  const bad = await anon().post('/api/v1/enti/esempio/offices/urp/callback-requests',
    { name: 'Nessuno', contact: 'non so', message: 'x', privacy_accepted: true });
  assert.equal(bad.status, 400);
  assert.equal((await op.get('/api/v1/enti/esempio/cases?citizen=Nessuno')).json.cases.length, 0);
});

test(`[${backend}] emails: the tracking link with the secret, every state change, the reply`, async () => {
  const c = await newCase({ subject: 'Passo carrabile', citizen: { name: 'Carla Blu', email: 'carla.blu@example.it' } });
  const created = await sink.waitFor((m) => m.to.includes('carla.blu@example.it') && m.subject.includes('registrata'), 10_000);
  assert.ok(created.subject.includes(c.case.code));
  assert.ok(created.text.includes(`https://sportello.esempio.it/esempio/pratica/${c.case.code}#${c.secret}`), created.text);
  await setState(c.case.id, 'in_progress', 'Abbiamo chiesto il parere della polizia locale.');
  const st = await sink.waitFor((m) => m.to.includes('carla.blu@example.it') && m.subject.includes('in lavorazione'), 10_000);
  assert.ok(st.subject.includes(c.case.code));
  assert.ok(st.text.includes('Abbiamo chiesto il parere della polizia locale.'));
  assert.ok(!st.text.includes(c.secret), 'the secret only in the first message');
  const rep = await op.post(`/api/v1/cases/${c.case.id}/replies`, { channel: 'email', body: 'Il passo carrabile è stato autorizzato.' });
  assert.equal(rep.status, 201, rep.text);
  const mail = await sink.waitFor((m) => m.subject === `Risposta alla pratica ${c.case.code}`, 10_000);
  assert.ok(mail.text.includes('Il passo carrabile è stato autorizzato.'));
  await op.post(`/api/v1/cases/${c.case.id}/notes`, { body: 'NOTA-INTERNA-SEGRETA' });
  await setState(c.case.id, 'resolved');
  await sink.waitFor((m) => m.subject.includes(c.case.code) && m.subject.includes('risolta'), 10_000);
  assert.ok(!(await sink.messages()).some((m) => m.text.includes('NOTA-INTERNA-SEGRETA')));
  // An offline message with an email address gets its tracking link too.
  await anon().post('/api/v1/enti/esempio/offices/urp/callback-requests',
    { name: 'Ugo', contact: 'ugo@example.it', message: 'Info sul bando', privacy_accepted: true });
  const off = await sink.waitFor((m) => m.to.includes('ugo@example.it'), 10_000);
  assert.match(off.text, /\/esempio\/pratica\/PR-[A-Z0-9]{4}-[A-Z0-9]{4}#/);
});
