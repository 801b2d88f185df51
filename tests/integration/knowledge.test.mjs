// Knowledge base (issue 17) through the real binary: the citizens' search on the demo articles
// (Italian stemming and accents, English, AND then OR), list and article pages (published and
// valid today only, Markdown rendered safe), "Ti è stato utile?" answers and their per-address
// limit, the staff's editing (roles, CSRF, versions with their author, optimistic concurrency),
// the operators' suggestions and kb.updated reaching an ente staff WebSocket.
// Wednesday 25 November 2026, 10:30 in Rome; the clock is still (--clock-control) and moved by
// POST /api/v1/test/clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loggedIn, cookieOf, Client, Ws, backend } from './lib.mjs';

let srv, admin, supervisor, op, collina;
before(async () => {
  srv = await startServer({
    now: '2026-11-25T09:30:00Z',
    extraArgs: ['--clock-control', 'true', '--trusted-proxies', '127.0.0.1', '--kb-feedback-per-address-per-hour', '3'],
  });
  admin = await loggedIn(srv.url, 'admin');
  supervisor = await loggedIn(srv.url, 'supervisor');
  op = await loggedIn(srv.url, 'operator');
  collina = await loggedIn(srv.url, 'collinaAdmin');
});
after(async () => { await srv?.stop(); });

const base = '/api/v1/enti/esempio/kb';
const anon = (headers = {}) => {
  const c = new Client(srv.url);
  const req = c.req.bind(c);
  c.req = (m, p, b, o = {}) => req(m, p, b, { ...o, headers: { ...headers, ...(o.headers || {}) } });
  return c;
};
const search = async (q, extra = '') => {
  const r = await anon().get(`${base}/search?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, r.text);
  return r.json.results;
};
const advance = async (seconds) => {
  const r = await anon().post('/api/v1/test/clock', { advance_seconds: seconds });
  assert.equal(r.status, 200, r.text);
};
let n = 0;
const draft = (extra = {}) => ({
  title: { it: `Bollo auto prova ${++n}`, en: '' },
  summary: { it: 'Come pagare la tassa automobilistica.', en: '' },
  body: { it: 'La **tassa automobilistica** si paga ogni anno.', en: '' },
  ...extra,
});

test(`[${backend}] "carta identità" and "carta identita" both find the electronic identity card first`, async () => {
  for (const q of ['carta identità', 'carta identita', "Carta d'identità", 'CARTA IDENTITA']) {
    const r = await search(q);
    assert.ok(r.length >= 1, q);
    assert.equal(r[0].slug, 'carta-identita-elettronica', q);
    assert.equal(r[0].title, "Carta d'identità elettronica");
    assert.deepEqual(r[0].offices.map((o) => o.slug), ['anagrafe']);
    assert.deepEqual(r[0].services.map((s) => s.prefix), ['A']);
    assert.equal(typeof r[0].score, 'number');
    assert.ok(r[0].summary.length > 0);
  }
});

test(`[${backend}] "certificati" finds the article about the "certificato"; singular and plural alike`, async () => {
  const a = await search('certificati');
  const b = await search('certificato');
  assert.equal(a[0].slug, 'certificati-anagrafici');
  assert.equal(b[0].slug, 'certificati-anagrafici');
  assert.ok((await search('certificato di residenza')).some((x) => x.slug === 'certificati-anagrafici'));
  assert.equal((await search('rifiuto ingombrante'))[0].slug, 'raccolta-rifiuti-ingombranti');
  assert.ok((await search('tassa rifiuti')).some((x) => x.slug === 'tari'));
  assert.equal((await search('isee'))[0].slug, 'isee');
});

test(`[${backend}] all words first, any word when no article has them all; office filter; limit`, async () => {
  // No article speaks of both "carta" and "ingombranti": OR finds each.
  const r = await search('carta ingombranti');
  const slugs = r.map((x) => x.slug);
  assert.ok(slugs.includes('carta-identita-elettronica'), slugs);
  assert.ok(slugs.includes('raccolta-rifiuti-ingombranti'), slugs);
  const onlyAnagrafe = await search('documento', '&office=anagrafe&limit=20');
  assert.ok(onlyAnagrafe.length >= 1);
  for (const x of onlyAnagrafe) assert.ok(x.offices.some((o) => o.slug === 'anagrafe'), x.slug);
  assert.ok((await search('documento', '&limit=2')).length <= 2);
  assert.equal((await search('zzzzqqq')).length, 0);
  assert.equal((await search('di la il')).length, 0, 'only stop words: nothing');
});

test(`[${backend}] bad searches: blank q, bad lang, bad limit, unknown office or ente`, async () => {
  for (const [q, field] of [['', 'q'], ['%20%20', 'q'], ['carta&lang=fr', 'lang'], ['carta&limit=0', 'limit'], ['carta&limit=21', 'limit'], ['carta&limit=x', 'limit']]) {
    const r = await anon().get(`${base}/search?q=${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.field, field, q);
  }
  assert.equal((await anon().get(`${base}/search?q=carta&office=nessuno`)).status, 404);
  assert.equal((await anon().get('/api/v1/enti/nessuno/kb/search?q=carta')).status, 404);
  assert.equal((await anon().get(`${base}/search?q=`, { headers: { 'accept-language': 'en' } })).json.error.message,
    'type what you are looking for');
});

test(`[${backend}] lang=en: English text searched and shown, Italian as the fallback`, async () => {
  const r = await search('identity card', '&lang=en');
  assert.equal(r[0].slug, 'carta-identita-elettronica');
  assert.equal(r[0].title, 'Electronic identity card');
  const c = await search('certificates', '&lang=en');
  assert.equal(c[0].slug, 'certificati-anagrafici');
  // An article without English: Italian title; Italian words still work with lang=en.
  const m = await search('mensa scolastica', '&lang=en');
  assert.equal(m[0].slug, 'iscrizione-alla-mensa-scolastica');
  assert.equal(m[0].title, 'Iscrizione alla mensa scolastica');
  const a = await anon().get(`${base}/articles/carta-identita-elettronica?lang=en`);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.article.title, 'Electronic identity card');
  assert.match(a.json.article.body_html, /carta d'identità elettronica/, 'no English body: the Italian one');
});

test(`[${backend}] the list: every published article of the ente by title, by office, by service`, async () => {
  const all = await anon().get(`${base}/articles`);
  assert.equal(all.status, 200, all.text);
  const slugs = all.json.articles.map((a) => a.slug);
  for (const s of ['carta-identita-elettronica', 'cambio-di-residenza', 'certificati-anagrafici', 'isee', 'tari']) {
    assert.ok(slugs.includes(s), s);
  }
  assert.ok(all.json.articles.length >= 14);
  const titles = all.json.articles.map((a) => a.title);
  assert.deepEqual(titles, [...titles].sort((x, y) => x.localeCompare(y, 'it')));
  const anagrafe = await anon().get(`${base}/articles?office=anagrafe`);
  assert.ok(anagrafe.json.articles.length >= 3);
  for (const a of anagrafe.json.articles) assert.ok(a.offices.some((o) => o.slug === 'anagrafe'));
  const serviceA = anagrafe.json.articles.find((a) => a.slug === 'carta-identita-elettronica').services[0].id;
  const byService = await anon().get(`${base}/articles?service=${serviceA}`);
  assert.ok(byService.json.articles.every((a) => a.services.some((s) => s.id === serviceA)));
  assert.ok(byService.json.articles.some((a) => a.slug === 'cambio-di-residenza'));
  assert.equal((await anon().get('/api/v1/enti/collina/kb/articles')).json.articles.length, 0);
});

test(`[${backend}] the article page: rendered fields, offices and services; 404 when absent`, async () => {
  const r = await anon().get(`${base}/articles/carta-identita-elettronica`);
  assert.equal(r.status, 200, r.text);
  const a = r.json.article;
  assert.equal(a.slug, 'carta-identita-elettronica');
  assert.match(a.body_html, /<strong>carta d'identità elettronica<\/strong>/);
  assert.match(a.documents_html, /<li>/);
  assert.match(a.steps_html, /<ol>/);
  assert.match(a.fees_html, /22,21/);
  assert.equal(a.offices[0].slug, 'anagrafe');
  assert.equal(a.services[0].prefix, 'A');
  assert.equal(a.services[0].office, a.offices[0].id);
  assert.equal(a.valid_until, null);
  assert.ok(!Number.isNaN(Date.parse(a.updated_at)));
  assert.equal(a.body, undefined, 'no Markdown source in the public view');
  assert.equal((await anon().get(`${base}/articles/non-esiste`)).status, 404);
  assert.equal((await anon().get('/api/v1/enti/collina/kb/articles/carta-identita-elettronica')).status, 404);
});

test(`[${backend}] staff rights: no session 401, missing CSRF 403, operator cannot edit 403, another ente 403/404`, async () => {
  assert.equal((await anon().get(`${base}/admin/articles`)).status, 401);
  assert.equal((await anon().post(`${base}/admin/articles`, draft())).status, 401);
  assert.equal((await anon().get(`${base}/suggest?text=carta`)).status, 401);
  const noCsrf = await supervisor.post(`${base}/admin/articles`, draft(), { headers: { 'x-csrf-token': '' } });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  const byOp = await op.post(`${base}/admin/articles`, draft());
  assert.equal(byOp.status, 403, byOp.text);
  // The operator reads (drafts included) but does not change.
  const list = await op.get(`${base}/admin/articles`);
  assert.equal(list.status, 200, list.text);
  const id = list.json.articles[0].id;
  assert.equal((await op.post(`${base}/admin/articles/${id}/status`, { status: 'archived', version: 1 })).status, 403);
  assert.equal((await op.put(`${base}/admin/articles/${id}`, { ...draft(), version: 1 })).status, 403);
  // Collina's admin: not on Esempio's knowledge base.
  const other = await collina.get(`${base}/admin/articles`);
  assert.ok([403, 404].includes(other.status), other.text);
  assert.ok([403, 404].includes((await collina.post(`${base}/admin/articles`, draft())).status));
  assert.ok([403, 404].includes((await collina.get(`${base}/admin/articles/${id}`)).status));
  // And Esempio's article is not found through Collina's own knowledge base.
  assert.equal((await collina.get(`/api/v1/enti/collina/kb/admin/articles/${id}`)).status, 404);
});

test(`[${backend}] create, save, stale 409, publish, versions with their author; drafts are not public`, async () => {
  const offices = (await anon().get('/api/v1/enti/esempio/offices')).json;
  const list = Array.isArray(offices) ? offices : offices.offices;
  const tributi = list.find((o) => o.slug === 'tributi');
  const c = await supervisor.post(`${base}/admin/articles`, draft({
    title: { it: 'Bollo auto: esenzione', en: 'Car tax exemption' },
    offices: ['tributi'],
    documents: { it: '- libretto di circolazione', en: '' },
    status: 'published',
  }));
  assert.equal(c.status, 201, c.text);
  const a = c.json.article;
  assert.equal(a.status, 'draft', 'a new article is a draft whatever the body says');
  assert.equal(a.version, 1);
  assert.equal(a.slug, 'bollo-auto-esenzione');
  assert.equal(a.title.en, 'Car tax exemption');
  assert.deepEqual(a.offices.map((o) => o.id), [tributi.id]);
  assert.equal(a.updated_by.name, 'Marco Bianchi');
  assert.match(a.documents_html.it, /<li>libretto di circolazione<\/li>/);
  // Not public while a draft.
  assert.equal((await anon().get(`${base}/articles/${a.slug}`)).status, 404);
  assert.ok(!(await search('bollo esenzione')).some((x) => x.slug === a.slug));
  // The same title again: another slug.
  const twin = await admin.post(`${base}/admin/articles`, draft({ title: { it: 'Bollo auto: esenzione', en: '' } }));
  assert.equal(twin.status, 201, twin.text);
  assert.equal(twin.json.article.slug, 'bollo-auto-esenzione-2');
  // An explicit slug already taken: 409.
  const clash = await admin.post(`${base}/admin/articles`, draft({ slug: 'tari' }));
  assert.equal(clash.status, 409, clash.text);
  assert.equal(clash.json.error.field, 'slug');

  // Save with the version read: version 2, kept.
  const body2 = { ...draft({ title: { it: 'Bollo auto: esenzione per disabili', en: 'Car tax exemption' } }), offices: ['tributi'], version: 1 };
  const s = await admin.put(`${base}/admin/articles/${a.id}`, body2);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.article.version, 2);
  assert.equal(s.json.article.slug, 'bollo-auto-esenzione', 'the slug does not follow the title');
  assert.equal(s.json.article.updated_by.name, 'Amministratore Demo');
  // The same stale version again: 409 stale, nothing changed.
  const stale = await supervisor.put(`${base}/admin/articles/${a.id}`, { ...body2, title: { it: 'Perso', en: '' } });
  assert.equal(stale.status, 409, stale.text);
  assert.equal(stale.json.error.code, 'stale');
  const staleStatus = await supervisor.post(`${base}/admin/articles/${a.id}/status`, { status: 'published', version: 1 });
  assert.equal(staleStatus.status, 409);
  assert.equal(staleStatus.json.error.code, 'stale');
  // Publish: public and searchable.
  const p = await supervisor.post(`${base}/admin/articles/${a.id}/status`, { status: 'published', version: 2 });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.article.status, 'published');
  assert.equal(p.json.article.version, 3);
  assert.equal((await anon().get(`${base}/articles/${a.slug}`)).status, 200);
  assert.equal((await search('bollo esenzione disabili'))[0].slug, a.slug);
  // Versions, newest first, each with its author.
  const v = await op.get(`${base}/admin/articles/${a.id}/versions`);
  assert.equal(v.status, 200, v.text);
  assert.deepEqual(v.json.versions.map((x) => x.version), [3, 2, 1]);
  assert.deepEqual(v.json.versions.map((x) => x.status), ['published', 'draft', 'draft']);
  assert.deepEqual(v.json.versions.map((x) => x.author.name), ['Marco Bianchi', 'Amministratore Demo', 'Marco Bianchi']);
  assert.equal(v.json.versions[2].title, 'Bollo auto: esenzione');
  const v1 = await op.get(`${base}/admin/articles/${a.id}/versions/1`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.json.article.title.it, 'Bollo auto: esenzione');
  assert.equal(v1.json.article.version, 1);
  assert.match(v1.json.article.body_html.it, /<strong>/);
  assert.equal((await op.get(`${base}/admin/articles/${a.id}/versions/9`)).status, 404);
  // Archive: gone from the public side again.
  const ar = await admin.post(`${base}/admin/articles/${a.id}/status`, { status: 'archived', version: 3 });
  assert.equal(ar.status, 200, ar.text);
  assert.equal((await anon().get(`${base}/articles/${a.slug}`)).status, 404);
  assert.ok(!(await search('bollo esenzione disabili')).some((x) => x.slug === a.slug));
  const archived = await op.get(`${base}/admin/articles?status=archived`);
  assert.ok(archived.json.articles.some((x) => x.id === a.id));
  assert.ok(!(await op.get(`${base}/admin/articles?status=published`)).json.articles.some((x) => x.id === a.id));
  assert.equal((await op.get(`${base}/admin/articles?status=nope`)).status, 400);
  const q = await op.get(`${base}/admin/articles?q=${encodeURIComponent('esenzione disabili')}`);
  assert.deepEqual(q.json.articles.map((x) => x.id), [a.id]);
});

test(`[${backend}] bad article bodies are refused naming the field, nothing created`, async () => {
  const before = (await admin.get(`${base}/admin/articles`)).json.articles.length;
  const cases = [
    [{ summary: { it: 'x' }, body: { it: 'x' } }, 'title'],
    [draft({ title: { it: '' } }), 'title.it'],
    [draft({ summary: { it: 'x'.repeat(401) } }), 'summary'],
    [draft({ valid_from: '2026-02-30' }), 'valid_from'],
    [draft({ valid_from: '2027-01-02', valid_until: '2027-01-01' }), 'valid_until'],
    [draft({ offices: ['nessuno'] }), 'offices'],
    [draft({ services: ['nessuno'] }), 'services'],
    [draft({ slug: 'Non Valido' }), 'slug'],
    [draft({ colour: 'red' }), 'colour'],
  ];
  for (const [body, field] of cases) {
    const r = await admin.post(`${base}/admin/articles`, body);
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field, r.text);
  }
  assert.equal((await admin.get(`${base}/admin/articles`)).json.articles.length, before);
});

test(`[${backend}] Markdown is rendered safe: no script, no event attribute, no javascript: link`, async () => {
  const evil = '<script>alert(1)</script>\n\nCiao <img src=x onerror="alert(2)"> [clic](javascript:alert(3))\n\n<a href="javascript:alert(4)">x</a>';
  const c = await admin.post(`${base}/admin/articles`, draft({
    title: { it: 'Prova sicurezza markdown', en: '' },
    body: { it: evil, en: evil },
    steps: { it: '1. <b onmouseover="alert(5)">uno</b>', en: '' },
  }));
  assert.equal(c.status, 201, c.text);
  const a = c.json.article;
  assert.equal(a.body.it, evil, 'the Markdown source is kept as written');
  const p = await admin.post(`${base}/admin/articles/${a.id}/status`, { status: 'published', version: 1 });
  assert.equal(p.status, 200, p.text);
  const pub = await anon().get(`${base}/articles/${a.slug}`);
  const html = [pub.json.article.body_html, pub.json.article.steps_html, a.body_html.it, a.body_html.en, a.steps_html.it].join('\n');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /onerror|onmouseover/i);
  assert.doesNotMatch(html, /href="javascript:/i);
  assert.doesNotMatch(html, /<img/i);
  assert.match(pub.json.article.body_html, /<a href="">clic<\/a>/);
});

test(`[${backend}] "Ti è stato utile?": recorded, counted for staff, limited per address`, async () => {
  const ip = { 'x-forwarded-for': '203.0.113.31' };
  const yes = await anon(ip).post(`${base}/articles/tari/feedback`, { helpful: true, context: 'page' });
  assert.equal(yes.status, 201, yes.text);
  assert.equal(yes.json.recorded, true);
  assert.match(yes.json.id, /^[0-9a-z]{26}$/, 'the answer has an unguessable id');
  assert.equal((await anon(ip).post(`${base}/articles/tari/feedback`, { helpful: false, context: 'widget' })).status, 201);
  assert.equal((await anon(ip).post(`${base}/articles/tari/feedback`, { helpful: true })).status, 201);
  const limited = await anon(ip).post(`${base}/articles/tari/feedback`, { helpful: true, context: 'page' });
  assert.equal(limited.status, 429, limited.text);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  // Another address is not limited by the first.
  assert.equal((await anon({ 'x-forwarded-for': '203.0.113.32' }).post(`${base}/articles/tari/feedback`, { helpful: true, context: 'knock' })).status, 201);
  // Bad answers.
  const ip3 = { 'x-forwarded-for': '203.0.113.33' };
  assert.equal((await anon(ip3).post(`${base}/articles/tari/feedback`, { context: 'page' })).status, 400);
  assert.equal((await anon(ip3).post(`${base}/articles/tari/feedback`, { helpful: true, context: 'altro' })).status, 400);
  assert.equal((await anon(ip3).post(`${base}/articles/non-esiste/feedback`, { helpful: true })).status, 404);
  // "operator" is not a citizen's context: operators record through their session.
  assert.equal((await anon(ip3).post(`${base}/articles/tari/feedback`, { helpful: true, context: 'operator' })).status, 400);
  // The counts, for staff.
  const list = await op.get(`${base}/admin/articles`);
  const tari = list.json.articles.find((x) => x.slug === 'tari');
  assert.equal(tari.helpful, 3);
  assert.equal(tari.not_helpful, 1);
  assert.equal(tari.body_html, undefined, 'no rendered fields in the list');
  const one = await op.get(`${base}/admin/articles/${tari.id}`);
  assert.equal(one.json.helpful, 3);
  assert.equal(one.json.not_helpful, 1);
  assert.match(one.json.article.body_html.it, /<strong>TARI<\/strong>/);
  assert.equal(one.json.ended, 0);
});

test(`[${backend}] an answered question ends at the article: "ended" recorded once, only on a helpful answer of the ente`, async () => {
  const ip = { 'x-forwarded-for': '203.0.113.41' };
  const yes = await anon(ip).post(`${base}/articles/isee/feedback`, { helpful: true, context: 'knock' });
  assert.equal(yes.status, 201, yes.text);
  const no = await anon(ip).post(`${base}/articles/isee/feedback`, { helpful: false, context: 'knock' });
  const count = async () => (await op.get(`${base}/admin/articles`)).json.articles.find((x) => x.slug === 'isee');
  const before = await count();
  assert.equal(before.ended, 0);
  const ended = await anon().post(`${base}/feedback/${yes.json.id}/ended`, {});
  assert.equal(ended.status, 200, ended.text);
  assert.deepEqual(ended.json, { recorded: true, id: yes.json.id });
  // A repeat changes nothing; a "not helpful" answer, an unknown id, another ente: 404.
  assert.equal((await anon().post(`${base}/feedback/${yes.json.id}/ended`, {})).status, 200);
  assert.equal((await anon().post(`${base}/feedback/${no.json.id}/ended`, {})).status, 404);
  assert.equal((await anon().post(`${base}/feedback/aaaaaaaaaaaaaaaaaaaaaaaaaa/ended`, {})).status, 404);
  const other = await anon().post(`/api/v1/enti/collina/kb/feedback/${yes.json.id}/ended`, {});
  assert.equal(other.status, 404, other.text);
  assert.equal((await anon().post(`${base}/feedback/${yes.json.id}/ended`, { x: 1 })).status, 400);
  const after = await count();
  assert.equal(after.ended, 1);
  assert.equal(after.helpful, before.helpful);
  assert.equal(after.not_helpful, before.not_helpful);
  assert.equal((await op.get(`${base}/admin/articles/${after.id}`)).json.ended, 1);
});

test(`[${backend}] an operator records that a suggested article answered: session and CSRF, counted as helpful`, async () => {
  const before = (await op.get(`${base}/admin/articles`)).json.articles.find((x) => x.slug === 'cambio-di-residenza');
  const r = await op.post(`${base}/suggest/feedback`, { article: 'cambio-di-residenza', helpful: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.recorded, true);
  assert.equal((await anon().post(`${base}/suggest/feedback`, { article: 'cambio-di-residenza', helpful: true })).status, 401);
  assert.equal((await op.post(`${base}/suggest/feedback`, { article: 'non-esiste', helpful: true })).status, 404);
  assert.equal((await op.post(`${base}/suggest/feedback`, { article: 'cambio-di-residenza' })).status, 400);
  const after = (await op.get(`${base}/admin/articles`)).json.articles.find((x) => x.slug === 'cambio-di-residenza');
  assert.equal(after.helpful, before.helpful + 1);
});

test(`[${backend}] suggestions with an office: its schede first, the others kept`, async () => {
  const ask = async (text, office) => {
    const q = new URLSearchParams({ text, ...(office ? { office } : {}) });
    const r = await op.get(`${base}/suggest?${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json.results.map((x) => x.slug);
  };
  // "carta": the identity card (Anagrafe) and the card payments (POS, Tributi) both have it in the title.
  const plain = await ask('pagare con la carta');
  assert.ok(plain.includes('pagamenti-pos') && plain.includes('carta-identita-elettronica'), plain.join());
  const tributi = await ask('pagare con la carta', 'tributi');
  assert.equal(tributi[0], 'pagamenti-pos', tributi.join());
  assert.ok(tributi.includes('carta-identita-elettronica'), 'the other offices\' schede stay');
  const anagrafe = await ask('pagare con la carta', 'anagrafe');
  assert.equal(anagrafe[0], 'carta-identita-elettronica', anagrafe.join());
  assert.ok(anagrafe.includes('pagamenti-pos'));
  // The URP asks about the Anagrafe's identity card: it is still suggested, first.
  const urp = await ask('Rinnovo carta d’identità scaduta', 'urp');
  assert.equal(urp[0], 'carta-identita-elettronica', urp.join());
  const bad = await op.get(`${base}/suggest?text=carta&office=non-esiste`);
  assert.equal(bad.status, 404);
});

test(`[${backend}] suggestions for an operator from a conversation's text: any word, stop words dropped`, async () => {
  const text = 'Buongiorno, vorrei sapere come rinnovare la mia carta di identità che scade il mese prossimo, grazie';
  const r = await op.get(`${base}/suggest?text=${encodeURIComponent(text)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.results[0].slug, 'carta-identita-elettronica');
  const t = await op.get(`${base}/suggest?text=${encodeURIComponent('mi è arrivato l\'avviso della tassa sui rifiuti')}&limit=3`);
  assert.ok(t.json.results.length <= 3);
  assert.ok(t.json.results.some((x) => x.slug === 'tari'));
  assert.equal((await op.get(`${base}/suggest?text=`)).status, 400);
});

test(`[${backend}] every change reaches an ente staff WebSocket as kb.updated`, async () => {
  const ws = await Ws.open(srv.url, { cookie: cookieOf(op) });
  ws.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
  await ws.next((m) => m.op === 'subscribed');
  const c = await supervisor.post(`${base}/admin/articles`, draft({ title: { it: 'Passo carrabile', en: '' } }));
  assert.equal(c.status, 201, c.text);
  const e1 = await ws.next((m) => m.op === 'event' && m.type === 'kb.updated');
  assert.deepEqual(e1.data, { id: c.json.article.id, slug: 'passo-carrabile', status: 'draft', version: 1 });
  const p = await supervisor.post(`${base}/admin/articles/${c.json.article.id}/status`, { status: 'published', version: 1 });
  assert.equal(p.status, 200, p.text);
  const e2 = await ws.next((m) => m.op === 'event' && m.type === 'kb.updated');
  assert.equal(e2.data.status, 'published');
  assert.equal(e2.data.version, 2);
  assert.equal(e2.seq, e1.seq + 1);
  await ws.close();
  // A citizen cannot follow the staff topic.
  const pub = await Ws.open(srv.url);
  pub.send({ op: 'subscribe', topic: 'ente:esempio:staff' });
  const refused = await pub.next((m) => m.op !== 'subscribed');
  assert.equal(refused.op, 'error');
  await pub.close();
});

test(`[${backend}] the public pages are routed (servizi, scheda)`, async () => {
  for (const p of ['/esempio/servizi', '/esempio/servizi/carta-identita-elettronica']) {
    const r = await anon().get(p);
    // 200 once the web build has the page, 503 "not built" before: never 404.
    assert.ok([200, 503].includes(r.status), `${p}: ${r.status}`);
  }
  assert.equal((await anon().get('/Non_Valido/servizi')).status, 404);
});

// Last: it moves the clock two days on (the other tests' sessions expire).
test(`[${backend}] validity: an article valid from tomorrow appears tomorrow, one expired yesterday is gone`, async () => {
  const c = await admin.post(`${base}/admin/articles`, draft({
    title: { it: 'Contributo affitti zanzibar', en: '' }, valid_from: '2026-11-26', valid_until: '2026-11-27',
  }));
  assert.equal(c.status, 201, c.text);
  const a = c.json.article;
  assert.equal(a.valid_from, '2026-11-26');
  const p = await admin.post(`${base}/admin/articles/${a.id}/status`, { status: 'published', version: 1 });
  assert.equal(p.status, 200, p.text);
  const visible = async () => (await anon().get(`${base}/articles/${a.slug}`)).status === 200;
  const found = async () => (await search('zanzibar')).some((x) => x.slug === a.slug);
  const listed = async () => (await anon().get(`${base}/articles`)).json.articles.some((x) => x.slug === a.slug);
  assert.equal(await visible(), false);
  assert.equal(await found(), false);
  assert.equal(await listed(), false);
  await advance(14 * 3600); // Thursday 26, 00:30 in Rome
  assert.equal(await visible(), true);
  assert.equal(await found(), true);
  assert.equal(await listed(), true);
  await advance(2 * 86400); // Saturday 28: past valid_until
  assert.equal(await visible(), false);
  assert.equal(await found(), false);
  // The staff still see it (signed in again: two days have passed).
  const later = await loggedIn(srv.url, 'operator');
  assert.equal((await later.get(`${base}/admin/articles/${a.id}`)).status, 200);
});
