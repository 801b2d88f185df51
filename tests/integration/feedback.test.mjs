// Ratings on every channel through the real binary ("Mettiamoci la faccia", one model): a
// reception visit, a phone ticket, an appointment, a case (tracking page) and a phone call
// recorded by the operator. For each: not before the contact is over, the holder's token
// required (a wrong one is a 404 like an unknown contact), one rating per contact, another
// ente's route denied; bad input refused with nothing changed.
// Wednesday 25 November 2026, 10:30 in Rome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, onDutyAt, Client, backend } from './lib.mjs';

let srv, admin, op, collina, site;
before(async () => {
  srv = await startServer({ now: '2026-11-25T09:30:00Z' });
  admin = await loggedIn(srv.url, 'admin');
  op = await onDutyAt(srv.url, 'operator');
  collina = await loggedIn(srv.url, 'collinaAdmin');
  const sites = await admin.get('/api/v1/enti/esempio/sites');
  const list = Array.isArray(sites.json) ? sites.json : sites.json.sites;
  site = list.find((s) => s.kind === 'town_hall').id;
});
after(async () => { await srv?.stop(); });

const anon = () => new Client(srv.url);
const rating = (channel, ref, slug = 'esempio') => `/api/v1/enti/${slug}/ratings/${channel}/${ref}`;
const hdr = (name, token) => ({ headers: { [name]: token } });

// The checks every citizen channel shares: status before/after, token, ente, once.
// Without any token a visit answers 401 (its route also serves staff, who sign in); the other
// channels 404, like a wrong token.
async function ratesOnce(channel, ref, header, token, finish) {
  const noTokenStatus = channel === 'visit' ? 401 : 404;
  const none = await anon().get(rating(channel, ref));
  assert.equal(none.status, noTokenStatus, `${channel}: no token, ${none.text}`);
  const wrong = await anon().get(rating(channel, ref), hdr(header, 'x'.repeat(43)));
  assert.equal(wrong.status, 404, `${channel}: a made-up token`);
  const early = await anon().get(rating(channel, ref), hdr(header, token));
  assert.equal(early.status, 200, early.text);
  assert.deepEqual([early.json.rateable, early.json.rated], [false, false], `${channel}: not over yet`);
  assert.deepEqual(early.json.reasons, ['waiting_time', 'courtesy', 'competence', 'clarity', 'not_solved', 'technical']);
  const tooEarly = await anon().post(rating(channel, ref), { score: 'positive' }, hdr(header, token));
  assert.equal(tooEarly.status, 409, `${channel}: ${tooEarly.text}`);

  await finish();

  const open = await anon().get(rating(channel, ref), hdr(header, token));
  assert.deepEqual([open.json.rateable, open.json.rated], [true, false], channel);
  // Another ente's path does not find it, even with the right token.
  const other = await anon().post(rating(channel, ref, 'collina'), { score: 'positive' }, hdr(header, token));
  assert.equal(other.status, 404, `${channel}: another ente, ${other.text}`);
  const noToken = await anon().post(rating(channel, ref), { score: 'positive' });
  assert.equal(noToken.status, noTokenStatus, `${channel}: no token`);
  // Bad input: reasons after a positive vote, an unknown reason, an unknown face.
  for (const [body, field] of [
    [{ score: 'positive', reasons: ['courtesy'] }, 'reasons'],
    [{ score: 'negative', reasons: ['rude'] }, 'reasons'],
    [{ score: 'great' }, 'score'],
    [{ score: 'neutral', comment: 'x'.repeat(501) }, 'comment'],
  ]) {
    const bad = await anon().post(rating(channel, ref), body, hdr(header, token));
    assert.equal(bad.status, 400, `${channel} ${JSON.stringify(body).slice(0, 60)}: ${bad.text}`);
    assert.equal(bad.json.error.field, field);
  }
  const still = await anon().get(rating(channel, ref), hdr(header, token));
  assert.equal(still.json.rated, false, 'nothing stored by bad input');

  const ok = await anon().post(rating(channel, ref), { score: 'negative', reasons: ['waiting_time'], comment: 'Attesa lunga' }, hdr(header, token));
  assert.equal(ok.status, 201, `${channel}: ${ok.text}`);
  assert.equal(ok.json.rated, true);
  const twice = await anon().post(rating(channel, ref), { score: 'positive' }, hdr(header, token));
  assert.equal(twice.status, 409, `${channel}: once per contact`);
  const after = await anon().get(rating(channel, ref), hdr(header, token));
  assert.deepEqual([after.json.rateable, after.json.rated], [false, true], channel);
}

test(`[${backend}] a phone ticket is rated with its token once it is done`, async () => {
  const k = await admin.post('/api/v1/enti/esempio/counters', { name: 'Valutazioni', site, services: ['G'] });
  assert.equal(k.status, 201, k.text);
  const t = await anon().post(`/api/v1/enti/esempio/sites/${site}/tickets`, { service: 'G', source: 'phone' });
  assert.equal(t.status, 201, t.text);
  await ratesOnce('ticket', t.json.ticket.id, 'x-ticket-token', t.json.token, async () => {
    const called = await op.post(`/api/v1/counters/${k.json.id}/call-next`);
    assert.equal(called.status, 200, called.text);
    assert.equal((await op.post(`/api/v1/tickets/${t.json.ticket.id}/start`)).status, 200);
    assert.equal((await op.post(`/api/v1/tickets/${t.json.ticket.id}/done`)).json.state, 'done');
  });
});

test(`[${backend}] an appointment is rated from its manage link once it is done`, async () => {
  const offices = await anon().get('/api/v1/enti/esempio/booking/offices');
  const anagrafe = offices.json.offices.find((o) => o.slug === 'anagrafe');
  const b = await anon().post('/api/v1/enti/esempio/bookings', {
    office: 'anagrafe', service: anagrafe.plans[0].service.id, date: '2026-11-26', start: '09:10',
    first_name: 'Maria', last_name: 'Esposito', email: 'maria.rating@example.org', privacy_accepted: true,
  });
  assert.equal(b.status, 201, b.text);
  const code = b.json.booking.code;
  await ratesOnce('appointment', code, 'x-booking-token', b.json.secret, async () => {
    assert.equal((await op.post(`/api/v1/enti/esempio/bookings/${code}/arrived`)).status, 200);
    assert.equal((await op.post(`/api/v1/enti/esempio/bookings/${code}/done`)).json.state, 'done');
  });
});

test(`[${backend}] a case is rated on its tracking page once it is resolved`, async () => {
  const c = await op.post('/api/v1/enti/esempio/cases', {
    office: 'urp', subject: 'Cambio di residenza', channel: 'message', citizen: { name: 'Anna Neri', email: 'anna@example.org' },
  });
  assert.equal(c.status, 201, c.text);
  await ratesOnce('case', c.json.case.code, 'x-case-token', c.json.secret, async () => {
    const r = await op.post(`/api/v1/cases/${c.json.case.id}/state`, { state: 'resolved', note: 'Fatto' });
    assert.equal(r.status, 200, r.text);
  });
});

test(`[${backend}] a visit is rated through the one model as on its page; the visit shows it`, async () => {
  const v = await anon().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'video', name: 'Mario', topic: 'Residenza' });
  assert.equal(v.status, 201, v.text);
  const id = v.json.visit.id;
  await ratesOnce('visit', id, 'x-visit-token', v.json.token, async () => {
    assert.equal((await op.post(`/api/v1/visits/${id}/admit`)).status, 200);
    assert.equal((await op.post(`/api/v1/visits/${id}/end`, { outcome: 'resolved' })).status, 200);
  });
  const seen = await anon().get(`/api/v1/visits/${id}`, hdr('x-visit-token', v.json.token));
  assert.equal(seen.json.rated, true);
  // The visit's own route and the generic one share the one rating.
  const own = await anon().post(`/api/v1/visits/${id}/rating`, { score: 'positive' }, hdr('x-visit-token', v.json.token));
  assert.equal(own.status, 409);
});

test(`[${backend}] a visit rated on its own route counts once in the one model`, async () => {
  const v = await anon().post('/api/v1/enti/esempio/offices/urp/visits', { mode: 'video', name: 'Lia', topic: 'Tributi' });
  const id = v.json.visit.id;
  assert.equal((await op.post(`/api/v1/visits/${id}/admit`)).status, 200);
  assert.equal((await op.post(`/api/v1/visits/${id}/end`, { outcome: 'resolved' })).status, 200);
  const own = await anon().post(`/api/v1/visits/${id}/rating`, { score: 'positive' }, hdr('x-visit-token', v.json.token));
  assert.equal(own.status, 204, own.text);
  const st = await anon().get(rating('visit', id), hdr('x-visit-token', v.json.token));
  assert.deepEqual([st.json.rateable, st.json.rated], [false, true]);
  const again = await anon().post(rating('visit', id), { score: 'neutral' }, hdr('x-visit-token', v.json.token));
  assert.equal(again.status, 409);
});

test(`[${backend}] a phone call is rated by the operator who serves its office, once`, async () => {
  const c = await op.post('/api/v1/enti/esempio/cases', {
    office: 'urp', subject: 'Orari', channel: 'phone', answer: 'Dalle 9 alle 12.', resolved_now: true,
  });
  assert.equal(c.status, 201, c.text);
  const id = c.json.case.id;
  assert.equal((await anon().post(rating('phone', id), { score: 'positive' })).status, 401, 'staff only');
  assert.equal((await collina.post(rating('phone', id, 'collina'), { score: 'positive' })).status, 404, 'another ente');
  assert.equal((await collina.post(rating('phone', id), { score: 'positive' })).status, 403, 'another ente’s staff');
  const noCsrf = await op.post(rating('phone', id), { score: 'positive' }, { headers: { 'x-csrf-token': 'nope' } });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  const st = await op.get(rating('phone', id));
  assert.deepEqual([st.json.rateable, st.json.rated], [true, false], st.text);
  const ok = await op.post(rating('phone', id), { score: 'neutral', reasons: ['clarity'] });
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await op.post(rating('phone', id), { score: 'positive' })).status, 409);
  // A case that did not come from a call is not a phone rating.
  const msg = await op.post('/api/v1/enti/esempio/cases', { office: 'urp', subject: 'Mail', channel: 'email', citizen: { email: 'x@example.org' } });
  assert.equal(msg.status, 201, msg.text);
  assert.equal((await op.post(rating('phone', msg.json.case.id), { score: 'positive' })).status, 400);
  assert.equal((await anon().get(rating('fax', id))).status, 404, 'unknown channel');
});
