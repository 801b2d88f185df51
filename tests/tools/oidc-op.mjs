// A real OpenID Provider for the citizens' sign-in tests (issue 19): the certified
// `oidc-provider` (npm, 8.x) on loopback, plain http, with test citizens (fiscal number, names,
// email, phone) and the clients the tests register. Never a hand-written fake: discovery, the
// authorization endpoint, PKCE, the token endpoint, client authentication (client_secret_basic,
// private_key_jwt), JWKS and RP-initiated logout are the library's.
//
// Test controls, used by the tests that import it:
//   rotateKeys()     new RSA and EC signing keys with new kids (the old ones are gone)
//   tamper(mode)     the next token responses carry a bad ID token: 'forge' (signed by another
//                    key under the current kid), 'expired', 'audience', 'nonce'; null: none.
//                    The rest of the exchange is the provider's own.
//   jwksRequests     how many times the JWKS was fetched
// The sign-in page (/interaction/{uid}) lists the test citizens as buttons, in Italian.
//
// Standalone: `node tests/tools/oidc-op.mjs [redirect_uri]` prints the issuer and the clients.
import http from 'node:http';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const requireWeb = createRequire(resolve(repoRoot, 'web/package.json'));
const jose = requireWeb('jose');
const { default: Provider } = await import(
  pathToFileURL(resolve(repoRoot, 'web/node_modules/oidc-provider/lib/index.js')).href);

export const FISCAL_CLAIM = 'https://attributes.eid.gov.it/fiscal_number';

export const testCitizens = {
  mario: { fiscal: 'TINIT-RSSMRA80A01H501U', given_name: 'Mario', family_name: 'Rossi',
    email: 'mario.rossi@example.it', phone_number: '+393331112222' },
  giulia: { fiscal: 'TINIT-BNCGLI85M41F205X', given_name: 'Giulia', family_name: 'Bianchi',
    email: 'giulia.bianchi@example.it', phone_number: '+393334445555' },
};

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function newKeys() {
  const rsa = await jose.generateKeyPair('RS256', { extractable: true });
  const ec = await jose.generateKeyPair('ES256', { extractable: true });
  const suffix = Math.random().toString(36).slice(2, 10);
  const r = { ...(await jose.exportJWK(rsa.privateKey)), kid: `rsa-${suffix}`, alg: 'RS256', use: 'sig' };
  const e = { ...(await jose.exportJWK(ec.privateKey)), kid: `ec-${suffix}`, alg: 'ES256', use: 'sig' };
  return [r, e];
}

// clients: oidc-provider client metadata (client_id, client_secret or jwks, redirect_uris,
// post_logout_redirect_uris, token_endpoint_auth_method, id_token_signed_response_alg).
export async function startOp({ clients = [], citizens = testCitizens } = {}) {
  let keys = await newKeys();
  let current = null;
  let tamperMode = null;
  const state = { jwksRequests: 0 };
  const server = http.createServer();
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const build = () => {
    const p = new Provider(issuer, {
      clients,
      jwks: { keys },
      findAccount: async (ctx, id) => {
        const c = citizens[id];
        if (!c) return undefined;
        return {
          accountId: id,
          claims: async () => ({ sub: id, given_name: c.given_name, family_name: c.family_name,
            email: c.email, phone_number: c.phone_number, [FISCAL_CLAIM]: c.fiscal }),
        };
      },
      claims: { openid: ['sub'], profile: ['given_name', 'family_name', FISCAL_CLAIM],
        email: ['email'], phone: ['phone_number'] },
      // The attributes in the ID token itself (as SPID/CIE gateways give them).
      conformIdTokenClaims: false,
      pkce: { methods: ['S256'], required: () => true },
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
      interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['sportello-test-op-cookie-key'] },
      enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'],
        clientAuthSigningAlgValues: ['RS256', 'ES256'] },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="it"><title>Errore</title><h1>Errore</h1><pre>${escapeHtml(JSON.stringify(out))}</pre></html>`;
      },
    });
    p.on('server_error', (ctx, err) => { console.error('oidc-op server_error', err); });
    return p;
  };
  current = build();
  let handler = current.callback();

  async function interaction(req, res, uid, action) {
    const details = await current.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      const buttons = Object.entries(citizens).map(([id, c]) =>
        `<button type="submit" name="user" value="${escapeHtml(id)}">${escapeHtml(c.given_name)} ${escapeHtml(c.family_name)}</button>`).join('\n');
      res.end(`<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Identità di prova</title></head>
<body><main><h1>Fornitore di identità di prova</h1><p>Scegli con chi entrare.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">${buttons}</form></main></body></html>`);
      return;
    }
    if (action !== 'login') { res.statusCode = 404; res.end(); return; }
    const body = await new Promise((ok) => { let b = ''; req.on('data', (d) => { b += d; }); req.on('end', () => ok(b)); });
    const user = new URLSearchParams(body).get('user');
    if (!citizens[user]) { res.statusCode = 400; res.end('unknown user'); return; }
    const { params } = details;
    const grant = new current.Grant({ accountId: user, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const grantId = await grant.save();
    await current.interactionFinished(req, res, { login: { accountId: user }, consent: { grantId } },
      { mergeWithLastSubmission: false });
  }

  async function tamperToken(idToken) {
    const claims = jose.decodeJwt(idToken);
    const header = jose.decodeProtectedHeader(idToken);
    const now = Math.floor(Date.now() / 1000);
    let key = keys.find((k) => k.kid === header.kid);
    if (tamperMode === 'forge') {
      const other = await jose.generateKeyPair(header.alg, { extractable: true });
      key = await jose.exportJWK(other.privateKey);
    } else if (tamperMode === 'expired') {
      claims.iat = now - 7200; claims.exp = now - 3600;
    } else if (tamperMode === 'audience') {
      claims.aud = 'someone-else';
    } else if (tamperMode === 'nonce') {
      claims.nonce = 'not-the-one-sent';
    }
    const signingKey = await jose.importJWK(key, header.alg);
    return new jose.SignJWT(claims).setProtectedHeader({ alg: header.alg, kid: header.kid, typ: header.typ })
      .sign(signingKey);
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url, issuer);
    const m = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login))?$/);
    if (m) {
      interaction(req, res, m[1], m[2]).catch((e) => { res.statusCode = 500; res.end(String(e)); });
      return;
    }
    if (url.pathname === '/jwks') state.jwksRequests += 1;
    if (url.pathname === '/token' && tamperMode) {
      const chunks = [];
      const end = res.end.bind(res);
      res.write = (c) => { chunks.push(Buffer.from(c)); return true; };
      res.end = (c) => {
        if (c) chunks.push(Buffer.from(c));
        const text = Buffer.concat(chunks).toString();
        (async () => {
          let out = text;
          try {
            const j = JSON.parse(text);
            if (j.id_token) { j.id_token = await tamperToken(j.id_token); out = JSON.stringify(j); }
          } catch { /* not JSON: as is */ }
          res.setHeader('content-length', Buffer.byteLength(out));
          end(out);
        })();
        return res;
      };
    }
    handler(req, res);
  });

  return {
    issuer,
    get jwksRequests() { return state.jwksRequests; },
    get kids() { return keys.map((k) => k.kid); },
    tamper(mode) { tamperMode = mode; },
    async rotateKeys() {
      keys = await newKeys();
      current = build();
      handler = current.callback();
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((res) => server.close(res));
    },
  };
}

// Standalone, for trying a Comune's set-up by hand.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const redirect = process.argv[2] || 'http://127.0.0.1:8080/api/v1/enti/esempio/citizens/callback';
  const op = await startOp({ clients: [{ client_id: 'sportello', client_secret: 'segreto-di-prova',
    redirect_uris: [redirect], post_logout_redirect_uris: [redirect.replace(/\/api\/v1\/enti\/([^/]+)\/.*/, '/$1/area-personale')] }] });
  console.log(JSON.stringify({ issuer: op.issuer, client_id: 'sportello', client_secret: 'segreto-di-prova' }));
}
