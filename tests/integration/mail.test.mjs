// Outgoing mail: the outbox in the database, delivered to a real SMTP server (aiosmtpd) by the
// background sender; queued mail survives a restart and is delivered once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDatabase, loggedIn, startServer } from './lib.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

async function waitForOutbox(client, pred, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.get('/api/v1/enti/esempio/mail/outbox');
    assert.equal(r.status, 200, r.text);
    const found = r.json.mails.find(pred);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('outbox: ' + JSON.stringify(r.json.mails));
    await new Promise((res) => setTimeout(res, 100));
  }
}

test(`[${backend}] mail: a test message reaches the SMTP server, UTF-8 intact; only the ente's admin`, async () => {
  const sink = await startSmtpSink();
  const srv = await startServer({ extraArgs: ['--smtp-url', sink.url, '--smtp-from', 'Comune di Esempio <urp@esempio.example.it>'] });
  try {
    const admin = await loggedIn(srv.url, 'admin');
    // Bad input is refused and queues nothing.
    for (const body of [{}, { to: 'not-an-address' }, { to: 'a@b.it\r\nBcc: x@y.it' }, { to: 'a@b.it', cc: 'x' }]) {
      const r = await admin.post('/api/v1/enti/esempio/mail/test', body);
      assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
    }
    assert.deepEqual((await admin.get('/api/v1/enti/esempio/mail/outbox')).json.mails, []);
    // Not the admin, not this ente → refused.
    const op = await loggedIn(srv.url, 'operator');
    assert.equal((await op.post('/api/v1/enti/esempio/mail/test', { to: 'x@example.org' })).status, 403);
    assert.equal((await op.get('/api/v1/enti/esempio/mail/outbox')).status, 403);
    const other = await loggedIn(srv.url, 'collinaAdmin');
    assert.equal((await other.post('/api/v1/enti/esempio/mail/test', { to: 'x@example.org' })).status, 403);

    const r = await admin.post('/api/v1/enti/esempio/mail/test', { to: 'anna.rossi@example.org' });
    assert.equal(r.status, 202, r.text);
    const m = await sink.waitFor((x) => x.rcptTos.includes('anna.rossi@example.org'));
    assert.equal(m.mailFrom, 'urp@esempio.example.it');
    assert.equal(m.from, 'Comune di Esempio <urp@esempio.example.it>');
    assert.match(m.subject, /messaggio di prova/);
    assert.match(m.text, /Questo è un messaggio di prova/);
    assert.match(m.messageId, /^<[a-z0-9]+@esempio\.example\.it>$/);
    const row = await waitForOutbox(admin, (x) => x.to === 'anna.rossi@example.org' && x.state === 'sent');
    assert.equal(row.attempts, 1);
    assert.ok(row.sent_at);
    // The other ente's outbox does not show it.
    assert.deepEqual((await other.get('/api/v1/enti/collina/mail/outbox')).json.mails, []);
  } finally {
    await srv.stop();
    await sink.stop();
  }
});

test(`[${backend}] mail: queued while no SMTP server is configured, delivered once after a restart`, async () => {
  const db = await freshDatabase();
  const sink = await startSmtpSink();
  try {
    let srv = await startServer({ db });
    let admin = await loggedIn(srv.url, 'admin');
    assert.equal((await admin.post('/api/v1/enti/esempio/mail/test', { to: 'attesa@example.org' })).status, 202);
    const queued = await waitForOutbox(admin, (x) => x.to === 'attesa@example.org');
    assert.equal(queued.state, 'pending');
    await srv.stop({ keepDb: true });

    srv = await startServer({ db, demo: false, extraArgs: ['--smtp-url', sink.url] });
    admin = await loggedIn(srv.url, 'admin');
    await sink.waitFor((x) => x.rcptTos.includes('attesa@example.org'));
    await waitForOutbox(admin, (x) => x.to === 'attesa@example.org' && x.state === 'sent');
    // Sent once: a later pass of the sender finds nothing due. A second test mail sent after it
    // arrives alone (so the sender ran again in between).
    assert.equal((await admin.post('/api/v1/enti/esempio/mail/test', { to: 'dopo@example.org' })).status, 202);
    await sink.waitFor((x) => x.rcptTos.includes('dopo@example.org'));
    const all = await sink.messages();
    assert.equal(all.filter((x) => x.rcptTos.includes('attesa@example.org')).length, 1);
    await srv.stop({ keepDb: true });

    // Retention: 31 days later (personal_data_retention_days = 30) the delivered mails' rows
    // (recipient, subject) are gone; a mail still waiting is kept.
    srv = await startServer({ db, demo: false, now: '2027-01-15T10:00:00Z' });
    admin = await loggedIn(srv.url, 'admin');
    assert.equal((await admin.post('/api/v1/enti/esempio/mail/test', { to: 'nuova@example.org' })).status, 202);
    const deadline = Date.now() + 15_000;
    let left;
    for (;;) {
      left = (await admin.get('/api/v1/enti/esempio/mail/outbox')).json.mails;
      if (!left.some((x) => x.to === 'attesa@example.org' || x.to === 'dopo@example.org')) break;
      assert.ok(Date.now() < deadline, 'old mail not purged: ' + JSON.stringify(left));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(left.map((x) => [x.to, x.state]), [['nuova@example.org', 'pending']]);
    await srv.stop({ keepDb: true });
  } finally {
    await db.drop();
    await sink.stop();
  }
});

test(`[${backend}] mail: an unreachable SMTP server leaves the mail pending with the error, for a retry`, async () => {
  const sink = await startSmtpSink();
  const deadPort = sink.port;
  await sink.stop(); // nothing listens there any more
  const srv = await startServer({ extraArgs: ['--smtp-url', `smtp://127.0.0.1:${deadPort}`] });
  try {
    const admin = await loggedIn(srv.url, 'admin');
    assert.equal((await admin.post('/api/v1/enti/esempio/mail/test', { to: 'riprova@example.org' })).status, 202);
    const row = await waitForOutbox(admin, (x) => x.to === 'riprova@example.org' && x.attempts >= 1 && x.last_error);
    assert.equal(row.state, 'pending');
    assert.match(row.last_error, /connect|Couldn't/i);
  } finally {
    await srv.stop();
  }
});
