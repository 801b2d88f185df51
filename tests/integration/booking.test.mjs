// Appointments (prenotazioni) through the real binary: the bookable offices, the month of free
// slots, book / read / cancel / reschedule by code + secret, the .ics, bad input refused with
// nothing changed, another ente's or a wrong secret denied, per-person limits, 50 parallel
// attempts on a capacity-2 slot (exactly 2 win), the plans (admin), the day's agenda and
// check-in (a priority queue ticket), and the confirmation email with its .ics in the SMTP sink.
// Wednesday 25 November 2026, 10:30 in Rome. Demo plans: anagrafe (service A, 20 min, 2 places,
// Mon–Fri 08:30–12:30 + Thu 14:30–17:30), URP (service J, 20 min, 1 place, video, break
// 11:00–11:20), the mayor (no service, Tue and Thu 11–13, video); 2 hours' notice, 60 days.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, loggedIn, Client, backend } from './lib.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let srv, sink, admin, op, mayor, collina, anagrafe, serviceA;
before(async () => {
  sink = await startSmtpSink();
  // All requests come from 127.0.0.1: no per-address limit here (tested on its own below).
  srv = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--smtp-url', sink.url, '--bookings-per-address-per-hour', '0'] });
  admin = await loggedIn(srv.url, 'admin');
  op = await loggedIn(srv.url, 'operator');
  mayor = await loggedIn(srv.url, 'mayor');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  const b = await anon().get('/api/v1/enti/esempio/booking/offices');
  assert.equal(b.status, 200, b.text);
  anagrafe = b.json.offices.find((o) => o.slug === 'anagrafe');
  serviceA = anagrafe.plans[0].service.id;
});
after(async () => { await srv?.stop(); await sink?.stop(); });

const anon = () => new Client(srv.url);
const base = '/api/v1/enti/esempio';
const holder = (secret) => ({ headers: { 'x-booking-token': secret } });
let seq = 0;
const person = (extra = {}) => ({
  first_name: 'Maria', last_name: 'Esposito', email: `maria.${++seq}@example.org`, privacy_accepted: true, ...extra,
});

async function book(date, start, extra = {}) {
  const r = await anon().post(`${base}/bookings`, { office: 'anagrafe', service: serviceA, date, start, ...person(), ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function freeAt(date, start, office = 'anagrafe', service = serviceA) {
  const q = service ? `&service=${service}` : '';
  const r = await anon().get(`${base}/offices/${office}/availability?month=${date.slice(0, 7)}${q}`);
  assert.equal(r.status, 200, r.text);
  const s = r.json.slots.find((x) => x.date === date && x.start === start);
  return s ? s.free : null;
}

test(`[${backend}] the bookable offices: anagrafe, URP and the mayor`, async () => {
  const r = await anon().get(`${base}/booking/offices`);
  assert.equal(r.status, 200, r.text);
  const slugs = r.json.offices.map((o) => o.slug);
  for (const s of ['anagrafe', 'urp', 'sindaco']) assert.ok(slugs.includes(s), s);
  const sindaco = r.json.offices.find((o) => o.slug === 'sindaco');
  assert.equal(sindaco.plans[0].service, null);
  assert.equal(sindaco.plans[0].video, true);
  assert.equal((await anon().get('/api/v1/enti/collina/booking/offices')).json.offices.length, 0);
});

test(`[${backend}] the month view: every day listed, slots in the window, breaks and closed days respected`, async () => {
  const r = await anon().get(`${base}/offices/anagrafe/availability?month=2026-12&service=${serviceA}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.days.length, 31);
  const dec1 = r.json.slots.filter((s) => s.date === '2026-12-01');
  assert.deepEqual(dec1.map((s) => s.start).slice(0, 3), ['08:30', '08:50', '09:10']);
  assert.equal(dec1.length, 12);
  assert.equal(dec1[0].start_at, '2026-12-01T07:30:00Z');
  assert.equal(dec1[0].free, 2);
  assert.equal(r.json.days.find((d) => d.date === '2026-12-08').slots, 0, 'Immacolata is a holiday');
  assert.equal(r.json.days.find((d) => d.date === '2026-12-05').slots, 0, 'Saturday');
  // The mayor: Tuesday and Thursday 11–13 only.
  const m = await anon().get(`${base}/offices/sindaco/availability?month=2026-12`);
  assert.equal(m.status, 200, m.text);
  const days = [...new Set(m.json.slots.map((s) => s.date))];
  for (const d of days) assert.ok([2, 4].includes(new Date(d + 'T12:00:00Z').getUTCDay()), d);
  assert.deepEqual(m.json.slots.filter((s) => s.date === '2026-12-01').map((s) => s.start), ['11:00', '11:20', '11:40', '12:00', '12:20', '12:40']);
  // The URP's break 11:00–11:20.
  const u = await anon().get(`${base}/offices/urp/availability?month=2026-12&service=J`);
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json.slots.filter((s) => s.date === '2026-12-01').map((s) => s.start), ['09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:20', '11:40', '12:00', '12:20', '12:40']);
  for (const [q, field] of [['month=2026-13', 'month'], ['month=dicembre', 'month'], ['month=2026-12&service=nope', 'service']]) {
    const bad = await anon().get(`${base}/offices/anagrafe/availability?${q}`);
    assert.equal(bad.status, 400, q);
    assert.equal(bad.json.error.field, field, q);
  }
  assert.equal((await anon().get(`${base}/offices/nope/availability?month=2026-12`)).status, 404);
});

test(`[${backend}] book, read with the secret, .ics; a wrong secret or another ente is denied`, async () => {
  const b = await book('2026-12-02', '09:10', { phone: '+39 333 1234567', notes: 'Rinnovo CIE' });
  assert.match(b.booking.code, /^[A-Z2-9]{8}$/);
  assert.ok(b.secret.length >= 43);
  assert.equal(b.booking.state, 'booked');
  assert.equal(b.booking.start_at, '2026-12-02T08:10:00Z');
  assert.equal(b.booking.end_at, '2026-12-02T08:30:00Z');
  assert.equal(b.booking.service.name, 'Anagrafe');
  assert.equal(b.booking.id, undefined, 'no internal id for the citizen');
  const code = b.booking.code;
  const v = await anon().get(`${base}/bookings/${code}`, holder(b.secret));
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.phone, '+39 333 1234567');
  assert.equal(v.json.can_change, true);
  assert.equal((await anon().get(`${base}/bookings/${code}`)).status, 404);
  assert.equal((await anon().get(`${base}/bookings/${code}`, holder(b.secret + 'x'))).status, 404);
  assert.equal((await anon().get(`/api/v1/enti/collina/bookings/${code}`, holder(b.secret))).status, 404);
  assert.equal((await anon().post(`${base}/bookings/${code}/cancel`, {}, holder('wrong'))).status, 404);
  const ics = await anon().get(`${base}/bookings/${code}/ics?token=${encodeURIComponent(b.secret)}`);
  assert.equal(ics.status, 200, ics.text);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics.text, /\r\nDTSTART:20261202T081000Z\r\n/);
  assert.match(ics.text, /\r\nDTEND:20261202T083000Z\r\n/);
  assert.match(ics.text, /\r\nUID:[a-z0-9]+@sportello\r\n/);
  for (const line of ics.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  const unfolded = ics.text.replace(/\r\n /g, '');
  assert.match(unfolded, /\r\nSUMMARY:Appuntamento: Anagrafe - Anagrafe e Stato civile \(Comune di Esempio\)\r\n/);
  assert.match(unfolded, /\r\nLOCATION:Palazzo municipale\\, Piazza del Municipio 1\r\n/);
  assert.match(unfolded, /\r\nDESCRIPTION:Codice prenotazione: [A-Z2-9]{8}\\nDocumenti da portare: /);
  assert.equal((await anon().get(`${base}/bookings/${code}/ics?token=nope`)).status, 404);
  assert.equal(await freeAt('2026-12-02', '09:10'), 1);
});

test(`[${backend}] bad input is refused with the field, and nothing changes`, async () => {
  const before = await freeAt('2026-12-03', '09:10');
  const good = { office: 'anagrafe', service: serviceA, date: '2026-12-03', start: '09:10', ...person() };
  const cases = [
    [{ ...good, email: 'not-an-email' }, 'email'],
    [{ ...good, first_name: '  ' }, 'first_name'],
    [{ ...good, date: '2026-02-30' }, 'date'],
    [{ ...good, start: '09:15' }, 'start'],          // off the slot grid
    [{ ...good, date: '2026-12-08' }, 'start'],      // holiday
    [{ ...good, date: '2026-11-25', start: '11:10' }, 'start'],  // inside the 2 hours' notice
    [{ ...good, date: '2027-03-01' }, 'start'],      // beyond 60 days
    [{ ...good, mode: 'video' }, 'mode'],            // the anagrafe does not receive in video
    [{ ...good, phone: 'call me' }, 'phone'],
    [{ ...good, surprise: 1 }, 'surprise'],
    [{ ...good, service: 'nope' }, 'service'],
    [{ ...good, privacy_accepted: false }, 'privacy_accepted'],
  ];
  for (const [body, field] of cases) {
    const r = await anon().post(`${base}/bookings`, body);
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field, r.text);
  }
  const missing = await anon().post(`${base}/bookings`, { office: 'anagrafe' });
  assert.equal(missing.status, 400);
  const notJson = await anon().post(`${base}/bookings`, 'nope', { raw: true });
  assert.equal(notJson.status, 400);
  assert.equal(await freeAt('2026-12-03', '09:10'), before);
});

test(`[${backend}] reschedule moves the place; cancel gives it back; a cancelled booking stays cancelled`, async () => {
  const b = await book('2026-12-04', '10:10');
  const h = holder(b.secret);
  const code = b.booking.code;
  assert.equal(await freeAt('2026-12-04', '10:10'), 1);
  const bad = await anon().post(`${base}/bookings/${code}/reschedule`, { date: '2026-12-04', start: '10:11' }, h);
  assert.equal(bad.status, 400, bad.text);
  const m = await anon().post(`${base}/bookings/${code}/reschedule`, { date: '2026-12-07', start: '08:30' }, h);
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.date, '2026-12-07');
  assert.equal(m.json.start, '08:30');
  assert.equal(m.json.code, code, 'the same code');
  assert.equal(await freeAt('2026-12-04', '10:10'), 2);
  assert.equal(await freeAt('2026-12-07', '08:30'), 1);
  const moved = await anon().get(`${base}/bookings/${code}/ics`, h);
  assert.match(moved.text, /\r\nDTSTART:20261207T073000Z\r\n/);
  assert.match(moved.text, /\r\nSEQUENCE:[1-9]\d*\r\n/, 'a moved event replaces the old one in calendars');
  const c = await anon().post(`${base}/bookings/${code}/cancel`, {}, h);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.state, 'cancelled');
  assert.equal(await freeAt('2026-12-07', '08:30'), 2);
  const again = await anon().post(`${base}/bookings/${code}/cancel`, {}, h);
  assert.equal(again.status, 409);
  const move = await anon().post(`${base}/bookings/${code}/reschedule`, { date: '2026-12-09', start: '08:30' }, h);
  assert.equal(move.status, 409);
  assert.equal(await freeAt('2026-12-09', '08:30'), 2);
});

test(`[${backend}] 50 parallel attempts on a capacity-2 slot: exactly 2 succeed, the rest are told it was just taken`, async () => {
  const attempts = Array.from({ length: 50 }, (_, i) => anon().post(`${base}/bookings`, {
    office: 'anagrafe', service: serviceA, date: '2026-12-10', start: '11:10',
    first_name: 'Persona', last_name: `Numero ${i}`, email: `p${i}.race@example.org`, privacy_accepted: true,
  }));
  const rs = await Promise.all(attempts);
  const won = rs.filter((r) => r.status === 201);
  const lost = rs.filter((r) => r.status === 409);
  assert.equal(won.length, 2, rs.map((r) => r.status).join(','));
  assert.equal(lost.length, 48);
  for (const r of lost) {
    assert.equal(r.json.error.code, 'slot_full');
    assert.equal(r.json.error.message, "Questo orario è appena stato prenotato da un'altra persona: scegline un altro");
  }
  assert.equal(await freeAt('2026-12-10', '11:10'), 0);
  const agenda = await op.get(`${base}/offices/anagrafe/agenda?date=2026-12-10`);
  assert.equal(agenda.json.bookings.filter((b) => b.start === '11:10' && b.state === 'booked').length, 2);
});

test(`[${backend}] one person may hold at most 3 active bookings per office`, async () => {
  const email = 'hoarder@example.org';
  for (const start of ['08:30', '08:50', '09:10']) {
    await book('2026-12-11', start, { email });
  }
  const r = await anon().post(`${base}/bookings`, { office: 'anagrafe', service: serviceA, date: '2026-12-11', start: '09:30', ...person(), email: 'Hoarder@Example.org' });
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.error.code, 'limit');
  assert.equal(await freeAt('2026-12-11', '09:30'), 2);
});

test(`[${backend}] staff: the day's agenda of their office, check-in issues a priority ticket, no-show, done`, async () => {
  const a = await book('2026-11-26', '09:10');
  const b = await book('2026-11-26', '09:30');
  const c = await book('2026-11-26', '09:50');
  const ag = await op.get(`${base}/offices/anagrafe/agenda?date=2026-11-26`);
  assert.equal(ag.status, 200, ag.text);
  const mine = ag.json.bookings.filter((x) => [a, b, c].some((y) => y.booking.code === x.code));
  assert.equal(mine.length, 3);
  assert.equal(mine[0].email, a.booking.email);
  // The mayor is not in the anagrafe; another ente does not see the booking.
  assert.equal((await mayor.get(`${base}/offices/anagrafe/agenda?date=2026-11-26`)).status, 403);
  assert.equal((await mayor.post(`${base}/bookings/${a.booking.code}/arrived`)).status, 403);
  assert.equal((await collina.post(`${base}/bookings/${a.booking.code}/arrived`)).status, 403);
  assert.equal((await collina.post(`/api/v1/enti/collina/bookings/${a.booking.code}/arrived`)).status, 404);
  assert.equal((await anon().post(`${base}/bookings/${a.booking.code}/arrived`)).status, 401);

  const arrived = await op.post(`${base}/bookings/${a.booking.code}/arrived`);
  assert.equal(arrived.status, 200, arrived.text);
  assert.equal(arrived.json.state, 'arrived');
  assert.match(arrived.json.ticket.code, /^A\d{3}$/);
  const ticket = await op.get(`/api/v1/tickets/${arrived.json.ticket.id}`);
  assert.equal(ticket.status, 200, ticket.text);
  assert.equal(ticket.json.priority, 'appointment');
  assert.equal(ticket.json.appointment_at, '2026-11-26T08:10:00Z');
  assert.equal((await op.post(`${base}/bookings/${a.booking.code}/arrived`)).status, 409);
  const done = await op.post(`${base}/bookings/${a.booking.code}/done`);
  assert.equal(done.json.state, 'done');
  const ns = await op.post(`${base}/bookings/${b.booking.code}/no-show`);
  assert.equal(ns.json.state, 'no_show');
  // The citizen can no longer cancel a booking that was handled.
  assert.equal((await anon().post(`${base}/bookings/${b.booking.code}/cancel`, {}, holder(b.secret))).status, 409);
});

test(`[${backend}] plans: admin only, validated, and the month view follows at once`, async () => {
  const plan = {
    office: 'sindaco', slot_minutes: 30, capacity: 1, min_notice_minutes: 60, max_days_ahead: 30, video: true,
    periods: [{ weekday: 2, start: '11:00', end: '13:00' }, { weekday: 4, start: '11:00', end: '13:00' }],
    breaks: [], exceptions: [{ date: '2026-12-03', closed: true, note: 'Consiglio comunale' }],
  };
  assert.equal((await op.put(`${base}/booking/plans`, plan)).status, 403);
  assert.equal((await collina.put(`${base}/booking/plans`, plan)).status, 403);
  for (const [patch, field] of [
    [{ slot_minutes: 2 }, 'slot_minutes'],
    [{ periods: [{ weekday: 9, start: '11:00', end: '13:00' }] }, 'periods[0].weekday'],
    [{ periods: [{ weekday: 2, start: '13:00', end: '11:00' }] }, 'periods[0].end'],
    [{ exceptions: [{ date: 'domani' }] }, 'exceptions[0].date'],
    [{ office: 'nope' }, 'office'],
    [{ min_notice_minutes: 60 * 24 * 40 }, 'min_notice_minutes'],
  ]) {
    const r = await admin.put(`${base}/booking/plans`, { ...plan, ...patch });
    assert.equal(r.status === 400 || r.status === 404, true, r.text);
    assert.equal(r.json.error.field, field, r.text);
  }
  const ok = await admin.put(`${base}/booking/plans`, plan);
  assert.equal(ok.status, 200, ok.text);
  const m = await anon().get(`${base}/offices/sindaco/availability?month=2026-12`);
  assert.deepEqual(m.json.slots.filter((s) => s.date === '2026-12-01').map((s) => s.start), ['11:00', '11:30', '12:00', '12:30']);
  assert.equal(m.json.days.find((d) => d.date === '2026-12-03').slots, 0);
  const list = await admin.get(`${base}/booking/plans`);
  assert.equal(list.json.filter((p) => p.office === ok.json.office).length, 1, 'replaced, not added');
  // A plan with bookings still to come is not deleted; once they are cancelled it is.
  const b = await anon().post(`${base}/bookings`, { office: 'sindaco', date: '2026-12-01', start: '11:30', ...person() });
  assert.equal(b.status, 201, b.text);
  const del = await admin.del(`${base}/booking/plans/${ok.json.id}`);
  assert.equal(del.status, 409, del.text);
  assert.equal(del.json.error.code, 'has_bookings');
  assert.equal((await op.del(`${base}/booking/plans/${ok.json.id}`)).status, 403);
  assert.equal((await anon().post(`${base}/bookings/${b.json.booking.code}/cancel`, {}, holder(b.json.secret))).status, 200);
  assert.equal((await admin.del(`${base}/booking/plans/${ok.json.id}`)).status, 200);
  assert.equal((await anon().get(`${base}/offices/sindaco/availability?month=2026-12`)).status, 404);
  assert.ok(!(await anon().get(`${base}/booking/offices`)).json.offices.some((o) => o.slug === 'sindaco'));
});

test(`[${backend}] a service or office used by appointments cannot be deleted from under them`, async () => {
  const b = await book('2026-12-09', '09:10');
  const delService = await admin.del(`${base}/services/${serviceA}`);
  assert.equal(delService.status, 409, delService.text);
  assert.match(delService.json.error.message, /prenotazion/);
  const offices = (await admin.get(`${base}/offices`)).json;
  const anagrafeId = (offices.offices ?? offices).find((o) => o.slug === 'anagrafe').id;
  const delOffice = await admin.del(`${base}/offices/${anagrafeId}`);
  assert.equal(delOffice.status, 409, delOffice.text);
  // Nothing was deleted: the booking, its plan and the month view are all still there.
  const again = await anon().get(`${base}/bookings/${b.booking.code}`, holder(b.secret));
  assert.equal(again.status, 200, again.text);
  assert.equal((again.json.booking ?? again.json).state, 'booked');
  assert.equal((await anon().get(`${base}/offices/anagrafe/availability?month=2026-12&service=${serviceA}`)).status, 200);
});

test(`[${backend}] the confirmation email carries the .ics; a reminder is queued for later`, async () => {
  const b = await book('2026-12-14', '10:10', { email: 'conferma@example.org' });
  const msg = await sink.waitFor((m) => m.to.includes('conferma@example.org'), 15_000);
  assert.match(msg.subject, /Prenotazione confermata/);
  assert.ok(msg.text.includes(b.booking.code));
  const ics = msg.attachments.find((a) => a.filename.endsWith('.ics'));
  assert.ok(ics, 'an .ics attachment');
  assert.match(ics.contentType, /text\/calendar/);
  assert.match(ics.content, /DTSTART:20261214T091000Z/);
  assert.ok(msg.text.includes(`/esempio/prenotazione/${b.booking.code}#${b.secret}`), 'the manage link');
  // The reminder waits in the outbox until 24 hours before (10:10 Rome on 14 December).
  const outbox = async () => (await admin.get(`${base}/mail/outbox`)).json.mails.filter((m) => m.to === 'conferma@example.org');
  const reminder = (await outbox()).find((m) => /Promemoria/.test(m.subject));
  assert.ok(reminder, 'a reminder queued');
  assert.equal(reminder.state, 'pending');
  assert.equal(reminder.not_before, '2026-12-13T09:10:00Z');
  // Cancelling sends a cancellation.
  const c = await anon().post(`${base}/bookings/${b.booking.code}/cancel`, {}, holder(b.secret));
  assert.equal(c.status, 200);
  const cm = await sink.waitFor((m) => m.to.includes('conferma@example.org') && /annullat/i.test(m.subject), 15_000);
  assert.ok(cm.text.includes(b.booking.code));
  assert.match(cm.attachments.find((a) => a.filename.endsWith('.ics')).content, /STATUS:CANCELLED/);
  // …and drops the reminder, which is never sent.
  assert.equal((await outbox()).find((m) => /Promemoria/.test(m.subject)).state, 'cancelled');
});

test(`[${backend}] a video appointment opens its call from 10 minutes before the start`, async () => {
  // The URP takes video appointments; with no notice a slot 10 minutes from now can be booked.
  const periods = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '13:00' }));
  const p = await admin.put(`${base}/booking/plans`, { office: 'urp', service: 'J', slot_minutes: 20, capacity: 1, min_notice_minutes: 0, video: true, periods });
  assert.equal(p.status, 200, p.text);
  const soon = await anon().post(`${base}/bookings`, { office: 'urp', service: 'J', date: '2026-11-25', start: '10:40', mode: 'video', ...person() });
  assert.equal(soon.status, 201, soon.text);
  assert.equal(soon.json.booking.mode, 'video');
  assert.equal(soon.json.booking.video_open, true);
  const later = await anon().post(`${base}/bookings`, { office: 'urp', service: 'J', date: '2026-11-25', start: '11:20', mode: 'video', ...person() });
  assert.equal(later.status, 201, later.text);
  assert.equal(later.json.booking.video_open, false);
  // The .ics of a video appointment says so instead of an address.
  const ics = await anon().get(`${base}/bookings/${later.json.booking.code}/ics`, holder(later.json.secret));
  assert.match(ics.text, /\r\nLOCATION:Videochiamata\r\n/);
});

if (backend === 'postgres') {
  test('[postgres] three nodes on one database, 60 parallel attempts on a capacity-2 slot: exactly 2 win', async () => {
    const db = await freshDatabase();
    const unlimited = ['--bookings-per-address-per-hour', '0'];
    const a = await startServer({ db, now: '2026-11-25T09:30:00Z', extraArgs: unlimited });
    const b = await startServer({ db, demo: false, now: '2026-11-25T09:30:00Z', extraArgs: unlimited });
    const c = await startServer({ db, demo: false, now: '2026-11-25T09:30:00Z', extraArgs: unlimited });
    try {
      const nodes = [a, b, c];
      const offices = await new Client(a.url).get('/api/v1/enti/esempio/booking/offices');
      const svc = offices.json.offices.find((o) => o.slug === 'anagrafe').plans[0].service.id;
      const rs = await Promise.all(Array.from({ length: 60 }, (_, i) => new Client(nodes[i % 3].url).post(`${base}/bookings`, {
        office: 'anagrafe', service: svc, date: '2026-12-15', start: '10:50',
        first_name: 'Nodo', last_name: String(i), email: `node${i}@example.org`, privacy_accepted: true,
      })));
      const won = rs.filter((r) => r.status === 201);
      assert.equal(won.length, 2, rs.map((r) => r.status).join(','));
      assert.equal(rs.filter((r) => r.status === 409 && r.json.error.code === 'slot_full').length, 58);
      const view = await new Client(b.url).get(`${base}/offices/anagrafe/availability?month=2026-12&service=${svc}`);
      assert.equal(view.json.slots.find((x) => x.date === '2026-12-15' && x.start === '10:50').free, 0);
    } finally {
      await c.stop({ keepDb: true });
      await b.stop({ keepDb: true });
      await a.stop();
    }
  });
}

test(`[${backend}] the reminder waits across a restart and is sent once, when due`, async () => {
  const db = await freshDatabase();
  const mails = await startSmtpSink();
  const args = ['--smtp-url', mails.url];
  let s = await startServer({ db, now: '2026-11-25T09:30:00Z', extraArgs: args });
  try {
    const offices = await new Client(s.url).get(`${base}/booking/offices`);
    const svc = offices.json.offices.find((o) => o.slug === 'anagrafe').plans[0].service.id;
    // Thursday 26 November 12:10 in Rome (11:10Z): the reminder is due at 11:10Z today.
    const r = await new Client(s.url).post(`${base}/bookings`, { office: 'anagrafe', service: svc, date: '2026-11-26', start: '12:10', ...person({ email: 'promemoria@example.org' }) });
    assert.equal(r.status, 201, r.text);
    await mails.waitFor((m) => m.to.includes('promemoria@example.org') && /confermata/.test(m.subject));
    await s.stop({ keepDb: true });
    // Restarted before it is due: nothing yet. From here the clock stands still and the test
    // moves it (--clock-control), which runs what a restart would (docs/ARCHITECTURE.md).
    s = await startServer({ db, demo: false, now: '2026-11-25T11:00:00Z', extraArgs: [...args, '--clock-control', 'true'] });
    const adm = await loggedIn(s.url, 'admin');
    const pending = (await adm.get(`${base}/mail/outbox`)).json.mails.find((m) => /Promemoria/.test(m.subject));
    assert.equal(pending.state, 'pending');
    const clock = async (seconds) => {
      const moved = await new Client(s.url).post('/api/v1/test/clock', { advance_seconds: seconds });
      assert.equal(moved.status, 200, moved.text);
      return moved.json.now;
    };
    // Once due (11:15Z): sent, once, with the code.
    assert.equal(await clock(15 * 60), '2026-11-25T11:15:00Z');
    const rem = await mails.waitFor((m) => m.to.includes('promemoria@example.org') && /Promemoria/.test(m.subject));
    assert.ok(rem.text.includes(r.json.booking.code));
    assert.match(rem.text, /giovedì 26 novembre 2026 alle 12:10/);
    assert.equal(await clock(5 * 60), '2026-11-25T11:20:00Z');
    // The sink has the message before the sender records it: wait (with a deadline) for the row.
    const deadline = Date.now() + 15_000;
    let row;
    for (;;) {
      row = (await adm.get(`${base}/mail/outbox`)).json.mails.find((m) => /Promemoria/.test(m.subject));
      if (row.state !== 'sending' || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(row.state, 'sent');
    assert.equal((await mails.messages()).filter((m) => /Promemoria/.test(m.subject)).length, 1);
  } finally {
    await s.stop();
    await mails.stop();
  }
});

test(`[${backend}] at most N bookings per client address per hour (--bookings-per-address-per-hour)`, async () => {
  const s = await startServer({ now: '2026-11-25T09:30:00Z', extraArgs: ['--bookings-per-address-per-hour', '2'] });
  try {
    const c = new Client(s.url);
    const offices = await c.get(`${base}/booking/offices`);
    const svc = offices.json.offices.find((o) => o.slug === 'anagrafe').plans[0].service.id;
    const at = (start) => c.post(`${base}/bookings`, { office: 'anagrafe', service: svc, date: '2026-12-02', start, ...person() });
    assert.equal((await at('08:30')).status, 201);
    assert.equal((await at('08:50')).status, 201);
    const third = await at('09:10');
    assert.equal(third.status, 429, third.text);
    assert.equal(third.json.error.code, 'limit');
    assert.match(third.json.error.message, /troppe prenotazioni da questo indirizzo/);
    const free = await c.get(`${base}/offices/anagrafe/availability?month=2026-12&service=${svc}`);
    assert.equal(free.json.slots.find((x) => x.date === '2026-12-02' && x.start === '09:10').free, 2);
  } finally {
    await s.stop();
  }
});
