// HTTP helpers for the virtual-reception browser tests: the staff side is played through the
// API (docs/API.md "Session (staff)" and "Virtual reception"), not through the console UI, and
// background citizens knock through the API too.
import assert from 'node:assert/strict';

/**
 * Signs `username` in and returns a client that sends the session cookie and the CSRF token.
 * client.call(method, path, body) → { status, body } (body parsed, undefined for 204).
 */
export async function staffSession(url, username, password, slug = 'esempio') {
  const res = await fetch(`${url}/api/v1/enti/${slug}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ username, password }),
  });
  const login = await res.json();
  assert.equal(res.status, 200, JSON.stringify(login));
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  async function call(method, path, body) {
    const headers = { Cookie: cookie, Origin: url, Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = login.csrf_token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  }
  /** Like call(), asserting a 2xx answer; returns the body. */
  async function ok(method, path, body) {
    const r = await call(method, path, body);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  return {
    operator: login.operator,
    call,
    ok,
    setPresence: (presence) => ok('PUT', '/api/v1/session/presence', { presence }),
    admit: (id) => ok('POST', `/api/v1/visits/${id}/admit`, {}),
    end: (id, outcome = 'resolved') => ok('POST', `/api/v1/visits/${id}/end`, { outcome }),
    send: (id, body, client_id) => ok('POST', `/api/v1/visits/${id}/messages`, { body, client_id }),
    messages: (id) => ok('GET', `/api/v1/visits/${id}/messages`),
    visits: (office, state) => ok('GET', `/api/v1/enti/${slug}/offices/${office}/visits?state=${state}`),
  };
}

/** A citizen knocking through the API (someone else in line); returns { visit, token }. */
export async function knockViaApi(url, office, body = {}, slug = 'esempio') {
  const res = await fetch(`${url}/api/v1/enti/${slug}/offices/${office}/visits`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ mode: 'chat', channel: 'web', ...body }),
  });
  const answer = await res.json();
  assert.equal(res.status, 201, JSON.stringify(answer));
  return answer;
}

/** That citizen leaves the line. */
export async function leaveViaApi(url, { visit, token }) {
  const res = await fetch(`${url}/api/v1/visits/${visit.id}/leave`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Visit-Token': token, Origin: url },
    body: '{}',
  });
  assert.equal(res.status, 200, await res.text());
}
