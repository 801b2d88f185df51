// Behaviour tests written as data: each tests/integration/behaviour/*.json is one server (the
// demo Comune at its `now`) and a list of steps run in order, each a request and the answer
// expected. A step names who asks ("as": anonymous, or a demo login of lib.mjs `logins`),
// optional headers and body, and what must come back: the status, and optionally error.code,
// error.field, or a subset of the JSON answer. "save" keeps values of an answer for later steps,
// used as ${name} in paths, headers and bodies. "csrf": false sends a staff session without its
// CSRF token. Read the files as a table of who may ask what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { startServer, loggedIn, Client, backend } from './lib.mjs';

const dir = new URL('./behaviour/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

// "a.b.0.c", and "list[key=value]" for the element of a list with that member.
const at = (obj, path) => path.split('.').reduce((o, k) => {
  if (o == null) return undefined;
  const m = /^(\w+)\[(\w+)=([^\]]*)\]$/.exec(k);
  if (!m) return o[k];
  const list = o[m[1]];
  return Array.isArray(list) ? list.find((x) => String(x?.[m[2]]) === m[3]) : undefined;
}, obj);

function fill(value, vars) {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (_, k) => {
      if (!(k in vars)) throw new Error(`\${${k}} was not saved by an earlier step`);
      return vars[k];
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  }
  return value;
}

// Every key of `want` is in `got` with the same value (objects compared recursively).
function assertSubset(got, want, where) {
  for (const [k, v] of Object.entries(want)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) assertSubset(got?.[k], v, `${where}.${k}`);
    else assert.deepEqual(got?.[k], v, `${where}.${k}`);
  }
}

for (const file of files) {
  const spec = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  test(`[${backend}] ${file}: ${spec.about}`, async (t) => {
    const srv = await startServer({ now: spec.now, extraArgs: spec.args ?? [] });
    try {
      const clients = new Map();
      const vars = {};
      const who = async (name) => {
        if (!name || name === 'anonymous') return new Client(srv.url);
        if (!clients.has(name)) clients.set(name, await loggedIn(srv.url, name));
        return clients.get(name);
      };
      for (const [i, step] of spec.steps.entries()) {
        const label = `step ${i + 1} (${step.name})`;
        const c = await who(step.as);
        const headers = fill(step.headers ?? {}, vars);
        if (step.csrf === false) headers['x-csrf-token'] = '';
        const r = await c.req(step.method, fill(step.path, vars), fill(step.body, vars), { headers });
        const e = step.expect;
        assert.equal(r.status, e.status, `${label}: status (${r.text})`);
        if (e.code !== undefined) assert.equal(r.json?.error?.code, e.code, `${label}: error.code`);
        if (e.field !== undefined) assert.equal(r.json?.error?.field, e.field, `${label}: error.field`);
        if (e.json !== undefined) assertSubset(r.json, fill(e.json, vars), `${label}: answer`);
        for (const [k, path] of Object.entries(step.save ?? {})) {
          const v = at(r.json, path);
          assert.ok(v !== undefined && v !== null, `${label}: nothing at ${path} to save as ${k}`);
          vars[k] = v;
        }
      }
    } finally {
      await srv.stop();
    }
  });
}
