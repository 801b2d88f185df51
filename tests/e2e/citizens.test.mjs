// The citizens' sign-in in Chromium (issue 19) against a real OpenID Provider on loopback
// (tests/tools/oidc-op.mjs, npm `oidc-provider`): the personal area offers the Comune's
// providers, "Entra con SPID" goes to the provider, the citizen picks Mario Rossi, comes back
// signed in and sees "Identità verificata (SPID/CIE)" with the fiscal number, adds a booking
// made before signing in by pasting its link and sees it listed, books and knocks with the
// forms prefilled; the operator opening the door sees the verified identity and the citizen's
// earlier contacts; the area lists the visit, moves then cancels an appointment; "Esci" ends the
// session here and, through the provider's logout page, there; axe clean and no overlapping
// text at 1280 and 390 px, signed out and signed in; screenshots in /tmp/citizenshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { assertNoAxeViolations, assertNoOverlap, assertNoProblems, launchBrowser, newPage, textOf } from './helpers.mjs';
import { startServer } from './server.mjs';
import { staffSession } from './reception-api.mjs';
import { openConsole } from './reception-pages.mjs';
import { startOp } from '../tools/oidc-op.mjs';

const SHOTS = '/tmp/citizenshots';

async function checkWidths(page, name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await assertNoOverlap(page, `${name} at ${width}px`);
    await assertNoAxeViolations(page, `${name} at ${width}px`);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// An anonymous booking at the first free Anagrafe slot two days ahead or later (real clock):
// its manage link, as the citizen received it.
async function anonymousBookingLink(base) {
  const offices = await (await fetch(`${base}/api/v1/enti/esempio/booking/offices`)).json();
  const service = offices.offices.find((o) => o.slug === 'anagrafe').plans[0].service.id;
  const now = new Date();
  for (let m = 0; m < 3; m++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1)).toISOString().slice(0, 7);
    const a = await (await fetch(`${base}/api/v1/enti/esempio/offices/anagrafe/availability?month=${month}&service=${service}`)).json();
    const free = a.slots.find((x) => x.free > 0 && new Date(x.start_at) > new Date(now.getTime() + 2 * 86400_000));
    if (!free) continue;
    const r = await fetch(`${base}/api/v1/enti/esempio/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ office: 'anagrafe', service, date: free.date, start: free.start, first_name: 'Mario',
        last_name: 'Rossi', email: 'mario.e2e@example.org', privacy_accepted: true }) });
    assert.equal(r.status, 201);
    const b = await r.json();
    return { link: `${base}/esempio/prenotazione/${b.booking.code}#${b.secret}`, code: b.booking.code, date: free.date, start: free.start };
  }
  throw new Error('no free slot');
}

// Another free Anagrafe slot than `taken` (one slot or several), in the same window.
async function freeSlot(base, taken) {
  const all = Array.isArray(taken) ? taken : [taken];
  const offices = await (await fetch(`${base}/api/v1/enti/esempio/booking/offices`)).json();
  const service = offices.offices.find((o) => o.slug === 'anagrafe').plans[0].service.id;
  const now = new Date();
  for (let m = 0; m < 2; m++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1)).toISOString().slice(0, 7);
    const a = await (await fetch(`${base}/api/v1/enti/esempio/offices/anagrafe/availability?month=${month}&service=${service}`)).json();
    const free = a.slots.find((x) => x.free > 0 && new Date(x.start_at) > new Date(now.getTime() + 2 * 86400_000) &&
      !all.some((t) => x.date === t.date && x.start === t.start));
    if (free) return free;
  }
  throw new Error('no free slot');
}

describe('citizens: SPID / CIE sign-in and the personal area', () => {
  let srv, op, browser;
  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    srv = await startServer();
    op = await startOp({ clients: [{ client_id: 'sportello', client_secret: 'segreto-di-prova',
      redirect_uris: [`${srv.url}/api/v1/enti/esempio/citizens/callback`],
      post_logout_redirect_uris: [`${srv.url}/esempio/area-personale`] }] });
    browser = await launchBrowser();
    // The ente's admin configures the provider through the API.
    const login = await fetch(`${srv.url}/api/v1/enti/esempio/session`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo-2026' }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const { csrf_token: csrf } = await login.json();
    const put = await fetch(`${srv.url}/api/v1/enti/esempio/citizens/admin/providers/spid`, { method: 'PUT',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ label: 'Entra con SPID', issuer: op.issuer, client_id: 'sportello',
        client_secret: 'segreto-di-prova', scopes: 'openid profile email phone' }) });
    assert.equal(put.status, 200, await put.text());
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    await op?.stop();
  });

  it('signs in at the provider, shows the verified identity, signs out there too', async () => {
    const page = await newPage(browser, srv.url);
    await page.goto('/esempio/area-personale');
    await page.getByRole('heading', { level: 1, name: 'Area personale' }).waitFor();
    const signIn = page.getByRole('link', { name: 'Entra con SPID' });
    await signIn.waitFor();
    await checkWidths(page, 'area-signed-out');

    await signIn.click();
    await page.waitForURL(`${op.issuer}/interaction/**`);
    await page.getByRole('button', { name: 'Mario Rossi' }).click();
    await page.waitForURL(`${srv.url}/esempio/area-personale`);
    assert.equal(await textOf(page.locator('#area-welcome')), 'Ciao Mario');
    assert.equal(await textOf(page.getByTestId('verified')), 'Identità verificata (SPID/CIE)');
    assert.equal(await textOf(page.getByTestId('fiscal-number')), 'RSSMRA80A01H501U');
    const cookies = await page.context().cookies(srv.url);
    const session = cookies.find((c) => c.name === 'sportello_citizen');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.ok(!cookies.some((c) => c.name === 'sportello_session'), 'no staff session');
    assert.equal(await textOf(page.locator('#area-appointments-title + p')), 'Nessun appuntamento nella tua area personale.');

    // A booking made before signing in, claimed by its link.
    const b = await anonymousBookingLink(srv.url);
    await page.getByLabel('Link della prenotazione').fill(b.link);
    await page.getByRole('button', { name: 'Aggiungi' }).click();
    assert.equal(await textOf(page.getByRole('status')), `${b.code} aggiunto alla tua area personale.`);
    const item = page.locator(`#area-appointments li[data-code="${b.code}"]`);
    const text = await textOf(item);
    assert.ok(text.includes(`alle ${b.start}, Anagrafe e Stato civile`), text);
    assert.ok(text.includes('Prenotato'), text);
    await checkWidths(page, 'area-signed-in');

    // Booking while signed in: the applicant comes prefilled and the booking lands in the area.
    const slot = await freeSlot(srv.url, b);
    await page.goto('/esempio/prenota?office=anagrafe');
    await page.getByRole('heading', { name: 'Luogo e ufficio' }).waitFor();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Data e orario' }).waitFor();
    if (slot.date.slice(0, 7) !== new Date().toISOString().slice(0, 7)) {
      await page.getByRole('button', { name: 'Mese successivo' }).click();
    }
    await page.locator(`button[data-date="${slot.date}"]`).click();
    await page.locator(`label[for="slot-${slot.date}-${slot.start.replace(':', '')}"]`).click();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Motivo e dettagli' }).waitFor();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Richiedente' }).waitFor();
    await page.waitForFunction(() => document.querySelector('#who-first_name')?.value === 'Mario');
    assert.equal(await page.locator('#who-last_name').inputValue(), 'Rossi');
    assert.equal(await page.locator('#who-email').inputValue(), 'mario.rossi@example.it');
    await page.locator('label[for="who-privacy"]').click();
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { name: 'Riepilogo' }).waitFor();
    // The form claims the booking right after it is confirmed: wait for that before leaving.
    const linkedBooking = page.waitForResponse((r) => r.url().includes('/citizens/area/claims') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Conferma la prenotazione' }).click();
    await page.getByRole('heading', { name: 'Prenotazione confermata' }).waitFor();
    const code2 = await textOf(page.getByTestId('booking-code'));
    assert.equal((await linkedBooking).status(), 200);
    await page.goto('/esempio/area-personale');
    await page.locator(`#area-appointments li[data-code="${code2}"]`).waitFor();
    assert.equal(await page.locator('#area-appointments li').count(), 2);

    // Knocking while signed in: the operator sees the visit's verified identity. The URP is
    // opened all day today (the server runs on the real clock) and an operator is on duty.
    const admin = await staffSession(srv.url, 'admin', 'admin-demo-2026');
    const rec = await admin.ok('GET', '/api/v1/enti/esempio/offices/urp/reception');
    const schedPath = `/api/v1/enti/esempio/offices/${rec.office.id}/schedule`;
    const sched = await admin.ok('GET', schedPath);
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Rome' });
    sched.exceptions = sched.exceptions.filter((e) => e.date !== today);
    for (const channel of [null, 'chat']) {
    sched.exceptions.push({ date: today, closed: false, intervals: [{ start: '00:00', end: '23:59' }], channel, note: 'Prova' });
  }
    await admin.ok('PUT', schedPath, sched);
    const operator = await staffSession(srv.url, 'operatore', 'operatore-demo-2026');
    await operator.setPresence('available');
    await page.goto('/esempio/visit/urp');
    await page.getByRole('button', { name: 'Bussa alla porta' }).waitFor();
    await page.getByLabel(/^Chat/).check();
    // Signed in: the name comes prefilled (still editable).
    await page.waitForFunction(() => document.querySelector('#knock-name')?.value === 'Mario Rossi');
    const linked = page.waitForResponse((r) => r.url().includes('/citizens/area/claims') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Bussa alla porta' }).click();
    await page.locator('#visit-stage').waitFor();
    assert.equal((await linked).status(), 200, 'the page linked the visit to the citizen');
    const visitId = await page.evaluate(() => {
      for (let i = 0; i < sessionStorage.length; i++) {
        const v = JSON.parse(sessionStorage.getItem(sessionStorage.key(i)) ?? 'null');
        if (v?.id) return v.id;
      }
      return null;
    });
    assert.ok(visitId, 'the visit is kept in sessionStorage');
    const identity = await operator.ok('GET', `/api/v1/enti/esempio/citizens/identity/visit/${visitId}`);
    assert.deepEqual(identity, { verified: true, fiscal_number: 'RSSMRA80A01H501U', given_name: 'Mario', family_name: 'Rossi', provider: 'spid' });
    // The operator opens the door in the console: the verified identity and the citizen's
    // earlier contacts (the two appointments at the Anagrafe, an office this operator serves).
    const con = await openConsole(browser, srv.url, 'operatore', 'operatore-demo-2026');
    await con.locator(`#queue-urp .visit-row[data-visit="${visitId}"]`).getByRole('button', { name: /^Apri la porta/ }).click();
    const conv = con.locator(`.conversation[data-visit="${visitId}"]`);
    await conv.getByTestId('verified-identity').waitFor();
    // In the workspace's context pane, beside the contact's own cases and notes.
    const earlier = con.locator('#citizen-context').getByTestId('earlier-contacts');
    await earlier.locator('summary').click();
    await earlier.locator('li[data-kind="appointment"]').nth(1).waitFor();
    assert.equal(await earlier.locator('li').count(), 2, await textOf(earlier));
    assert.ok((await textOf(earlier)).includes(b.code), await textOf(earlier));
    assert.ok((await textOf(earlier)).includes('Prenotato'), await textOf(earlier));
    await assertNoAxeViolations(con, 'console with a signed-in citizen and the earlier contacts');
    await con.screenshot({ path: `${SHOTS}/console-earlier-contacts.png` });
    assertNoProblems(con);
    await con.context().close();

    // A message left without signing in, opened from its link while signed in: the case page
    // puts the case in the personal area.
    const msg = await fetch(`${srv.url}/api/v1/enti/esempio/offices/urp/callback-requests`, { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Mario Rossi', contact: 'mario.msg@example.org', message: 'Vorrei il certificato di residenza.', privacy_accepted: true }) });
    assert.equal(msg.status, 201);
    const kase = (await msg.json()).case;
    const claimedCase = page.waitForResponse((r) => r.url().includes('/citizens/area/claims') && r.request().method() === 'POST');
    await page.goto(kase.tracking_link);
    assert.equal((await claimedCase).status(), 200, 'the case page claimed the case');

    await page.goto('/esempio/area-personale');
    await page.getByRole('button', { name: 'Esci' }).waitFor();
    const caseItem = page.locator(`#area-cases li[data-case="${kase.code}"]`);
    const caseText = await textOf(caseItem);
    assert.ok(caseText.startsWith(`Pratica ${kase.code}: `) && caseText.includes('Vorrei il certificato di residenza.'), caseText);
    assert.ok(caseText.includes('ricevuta'), caseText);
    // The visit is in the area, with its (empty) transcript.
    const visitItem = page.locator(`#area-visits li[data-visit="${visitId}"]`);
    assert.ok((await textOf(visitItem)).includes('URP'), await textOf(visitItem));
    assert.equal(await textOf(page.locator('#area-tickets-title + p')), 'Nessun biglietto oggi. I biglietti presi dal telefono mentre hai effettuato l’accesso compaiono qui.');

    // Move the first appointment from the area, then cancel it: the session is the proof.
    const moveTo = await freeSlot(srv.url, [slot, b]);
    const first = page.locator(`#area-appointments li[data-code="${b.code}"]`);
    await first.getByRole('button', { name: `Sposta ${b.code}` }).click();
    await page.getByRole('heading', { name: `Scegli il nuovo giorno e orario per ${b.code}` }).waitFor();
    if (moveTo.date.slice(0, 7) !== b.date.slice(0, 7)) {
      await page.getByRole('button', { name: moveTo.date.slice(0, 7) > b.date.slice(0, 7) ? 'Mese successivo' : 'Mese precedente' }).click();
    }
    await page.locator(`button[data-date="${moveTo.date}"]`).click();
    await page.locator(`label[for="slot-${moveTo.date}-${moveTo.start.replace(':', '')}"]`).click();
    await checkWidths(page, 'area-move');
    await page.getByRole('button', { name: 'Conferma il nuovo orario' }).click();
    const movedNotice = page.getByRole('status').filter({ hasText: 'spostato' });
    await movedNotice.waitFor();
    const moved = await textOf(movedNotice);
    assert.match(moved, new RegExp(`^Appuntamento ${b.code} spostato al .* alle ${moveTo.start}\\.$`));
    await first.filter({ hasText: `alle ${moveTo.start}, Anagrafe` }).waitFor();
    await first.getByRole('button', { name: `Annulla appuntamento ${b.code}` }).click();
    await page.getByRole('alertdialog').waitFor();
    await page.getByRole('button', { name: 'Sì, annulla' }).click();
    await page.getByRole('status').filter({ hasText: `Appuntamento ${b.code} annullato.` }).waitFor();
    await first.getByTestId('appointment-state').filter({ hasText: 'Annullato' }).waitFor();
    assert.equal(await first.getByRole('button').count(), 0, 'a cancelled appointment has no buttons');
    await checkWidths(page, 'area-full');

    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL(`${op.issuer}/session/end**`);
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.waitForURL(`${srv.url}/esempio/area-personale`);
    await page.getByRole('link', { name: 'Entra con SPID' }).waitFor();
    assert.ok(!(await page.context().cookies(srv.url)).some((c) => c.name === 'sportello_citizen'));
    assertNoProblems(page);
    await page.context().close();
  });
});
