// The administration's "Pratiche" tab (docs/API.md, "Cases"): the ente's escalation chain (the
// ordered levels a case climbs, each held by an office: add, rename, move up or down, remove,
// save all at once) and each office's canned answers (pick an office, then add, edit or delete
// its answers). Field errors from the server are shown next to the field; successes in a polite
// live region; every control has a label and works from the keyboard.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, enc, listOf } from '../api';
import { apiMessage, FormMessages, SelectField, TextArea, TextField, useSubmit, type Errors } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { RowActions } from '../components/crud';
import { tc } from './i18n-cases';

interface Named {
  id: string;
  name: string;
}
interface Level {
  key: number;
  name: string;
  office: string;
}
interface Canned {
  id: string;
  office_id: string;
  title: string;
  body: string;
}

function useOffices(slug: string): Named[] | null {
  const [offices, setOffices] = useState<Named[] | null>(null);
  useEffect(() => {
    api<unknown>('GET', `/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(listOf<Named>(a, 'offices')))
      .catch(() => setOffices([]));
  }, [slug]);
  return offices;
}

// ---- Escalation chain ----------------------------------------------------------------------

let nextKey = 1;

function ChainEditor({ slug, offices }: { slug: string; offices: Named[] }) {
  const [levels, setLevels] = useState<Level[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { state, run } = useSubmit((f) => /^levels\.\d+\.(name|office)$/.test(f) || f === 'levels');
  const path = `/api/v1/enti/${enc(slug)}/case-escalation`;
  const focusAfter = useRef<string | null>(null);

  const fill = (a: { levels: { name: string; office: { id: string } }[] }) =>
    setLevels(a.levels.map((l) => ({ key: nextKey++, name: l.name, office: l.office.id })));
  useEffect(() => {
    api<{ levels: { name: string; office: { id: string } }[] }>('GET', path)
      .then(fill)
      .catch((e) => setLoadError(apiMessage(e)));
  }, [slug]);
  // Before the paint: the moved level's button never shows without the focus.
  useLayoutEffect(() => {
    if (!focusAfter.current) return;
    document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  });

  if (loadError)
    return (
      <div class="alert alert-danger" role="alert">
        {loadError}
      </div>
    );
  if (!levels) return <Loading />;

  const set = (i: number, patch: Partial<Level>) => setLevels(levels.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= levels.length) return;
    const next = [...levels];
    [next[i], next[j]] = [next[j], next[i]];
    setLevels(next);
    // Keep the focus on the same button of the moved level, or on the other one at the ends.
    const edge = (by < 0 && j === 0) || (by > 0 && j === levels.length - 1);
    focusAfter.current = `chain-${edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down'}-${j}`;
    announce(tc('chain.moved', { name: levels[i].name || tc('chain.level', { n: i + 1 }), n: j + 1 }));
  };
  const remove = (i: number) => {
    const name = levels[i].name || tc('chain.level', { n: i + 1 });
    setLevels(levels.filter((_, j) => j !== i));
    focusAfter.current = 'chain-add';
    announce(tc('chain.removed', { name }));
  };
  const add = () => {
    setLevels([...levels, { key: nextKey++, name: '', office: '' }]);
    focusAfter.current = `chain-name-${levels.length}`;
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    levels.forEach((l, i) => {
      if (!l.name.trim()) local[`levels.${i}.name`] = tc('chain.required');
      if (!l.office) local[`levels.${i}.office`] = tc('chain.required');
    });
    await run(async () => {
      const saved = await api<{ levels: { name: string; office: { id: string } }[] }>('PUT', path, {
        levels: levels.map((l) => ({ name: l.name.trim(), office: l.office })),
      });
      fill(saved);
      const msg = tc('chain.saved', { n: saved.levels.length });
      announce(msg);
      return msg;
    }, local);
  };

  const officeOptions = [{ value: '', label: tc('chain.chooseOffice') }, ...offices.map((o) => ({ value: o.id, label: o.name }))];
  return (
    <section aria-labelledby="chain-title" class="mb-5" id="chain-section">
      <h3 class="h4" id="chain-title">
        {tc('chain.title')}
      </h3>
      <p id="chain-lead">{tc('chain.lead')}</p>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={save} noValidate id="chain-form" aria-describedby="chain-lead">
        {levels.length === 0 && <p id="chain-empty">{tc('chain.empty')}</p>}
        <ol class="list-unstyled" id="chain-levels">
          {levels.map((l, i) => {
            const label = tc('chain.level', { n: i + 1 });
            return (
              <li key={l.key} class="chain-level border rounded p-3 mb-3" data-level={i}>
                <fieldset>
                  <legend class="h6">{label}</legend>
                  <div class="row">
                    <div class="col-md-6">
                      <TextField
                        id={`chain-name-${i}`}
                        label={tc('chain.name')}
                        value={l.name}
                        onInput={(v) => set(i, { name: v })}
                        required
                        maxLength={80}
                        error={state.errors[`levels.${i}.name`]}
                      />
                    </div>
                    <div class="col-md-6">
                      <SelectField
                        id={`chain-office-${i}`}
                        label={tc('chain.office')}
                        value={l.office}
                        onChange={(v) => set(i, { office: v })}
                        required
                        options={officeOptions}
                        error={state.errors[`levels.${i}.office`]}
                      />
                    </div>
                  </div>
                  <div class="d-flex flex-wrap gap-2">
                    <button type="button" id={`chain-up-${i}`} class="btn btn-outline-secondary btn-sm" disabled={i === 0} onClick={() => move(i, -1)}>
                      {tc('chain.up')}
                      <span class="visually-hidden"> {label}</span>
                    </button>
                    <button
                      type="button"
                      id={`chain-down-${i}`}
                      class="btn btn-outline-secondary btn-sm"
                      disabled={i === levels.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      {tc('chain.down')}
                      <span class="visually-hidden"> {label}</span>
                    </button>
                    <button type="button" class="btn btn-outline-danger btn-sm" onClick={() => remove(i)}>
                      {tc('chain.remove')}
                      <span class="visually-hidden"> {label}</span>
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div class="d-flex flex-wrap gap-2">
          <button type="button" id="chain-add" class="btn btn-outline-primary" onClick={add} disabled={levels.length >= 10}>
            {tc('chain.add')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={state.busy}>
            {tc('chain.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

// ---- Canned answers ------------------------------------------------------------------------

function CannedAdmin({ slug, offices }: { slug: string; offices: Named[] }) {
  const [office, setOffice] = useState('');
  const [list, setList] = useState<Canned[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Canned | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const { state, run, clear } = useSubmit((f) => f === 'title' || f === 'body');
  const formTitle = useRef<HTMLHeadingElement>(null);

  const load = (o: string) => {
    if (!o) {
      setList(null);
      return;
    }
    api<{ canned_answers: Canned[] }>('GET', `/api/v1/enti/${enc(slug)}/offices/${enc(o)}/canned-answers`)
      .then((a) => {
        setList(a.canned_answers);
        setLoadError(null);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  };
  const reset = () => {
    setEditing(null);
    setTitle('');
    setBody('');
  };
  const pick = (o: string) => {
    setOffice(o);
    reset();
    clear();
    setConfirmId(null);
    load(o);
  };
  const edit = (a: Canned) => {
    setEditing(a);
    setTitle(a.title);
    setBody(a.body);
    clear();
    window.setTimeout(() => formTitle.current?.focus(), 0);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    if (!title.trim()) local.title = tc('chain.required');
    if (!body.trim()) local.body = tc('chain.required');
    const ok = await run(async () => {
      const payload = { title: title.trim(), body: body.trim() };
      if (editing) await api<Canned>('PUT', `/api/v1/canned-answers/${enc(editing.id)}`, payload);
      else await api<Canned>('POST', `/api/v1/enti/${enc(slug)}/offices/${enc(office)}/canned-answers`, payload);
      const msg = tc(editing ? 'canned.updated' : 'canned.created', { title: payload.title });
      announce(msg);
      return msg;
    }, local);
    if (ok) {
      reset();
      load(office);
    }
  };
  const remove = async (a: Canned) => {
    setConfirmId(null);
    await run(async () => {
      await api<void>('DELETE', `/api/v1/canned-answers/${enc(a.id)}`);
      const msg = tc('canned.deleted', { title: a.title });
      announce(msg);
      return msg;
    });
    if (editing?.id === a.id) reset();
    load(office);
  };

  const officeName = offices.find((o) => o.id === office)?.name ?? '';
  return (
    <section aria-labelledby="canned-title" id="canned-section">
      <h3 class="h4" id="canned-title">
        {tc('canned.title')}
      </h3>
      <p>{tc('canned.lead')}</p>
      <SelectField
        id="canned-office"
        label={tc('canned.office')}
        value={office}
        onChange={pick}
        options={[{ value: '', label: tc('chain.chooseOffice') }, ...offices.map((o) => ({ value: o.id, label: o.name }))]}
      />
      {!office && <p id="canned-pick-hint">{tc('canned.pick')}</p>}
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {office && list && (
        <>
          <div class="table-responsive mb-4">
            <table class="table table-striped" id="canned-table">
              <caption>{tc('canned.list', { office: officeName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{tc('canned.answerTitle')}</th>
                  <th scope="col">{tc('canned.body')}</th>
                  <th scope="col">{tc('canned.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.length === 0 && (
                  <tr>
                    <td colSpan={3}>{tc('canned.none')}</td>
                  </tr>
                )}
                {list.map((a) => (
                  <tr data-id={a.id}>
                    <th scope="row">{a.title}</th>
                    <td class="canned-body">{a.body.length > 160 ? `${a.body.slice(0, 160)}…` : a.body}</td>
                    <RowActions
                      name={a.title}
                      confirming={confirmId === a.id}
                      confirmText={tc('canned.confirmDelete', { title: a.title })}
                      confirmLabel={tc('canned.confirm')}
                      removeLabel={tc('canned.delete')}
                      onEdit={() => edit(a)}
                      onAsk={() => setConfirmId(a.id)}
                      onConfirm={() => void remove(a)}
                      onCancel={() => setConfirmId(null)}
                    />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4 class="h5" ref={formTitle} tabIndex={-1} id="canned-form-title">
            {editing ? tc('canned.editTitle', { title: editing.title }) : tc('canned.new', { office: officeName })}
          </h4>
          <FormMessages error={state.formError} success={state.success} />
          <form onSubmit={save} noValidate id="canned-form" aria-labelledby="canned-form-title">
            <TextField id="canned-answer-title" label={tc('canned.answerTitle')} value={title} onInput={setTitle} required maxLength={120} error={state.errors.title} />
            <TextArea id="canned-answer-body" label={tc('canned.body')} value={body} onInput={setBody} required rows={5} error={state.errors.body} />
            <div class="d-flex flex-wrap gap-2">
              <button type="submit" class="btn btn-primary" disabled={state.busy}>
                {tc('canned.save')}
              </button>
              {editing && (
                <button type="button" class="btn btn-outline-secondary" onClick={() => { reset(); clear(); }}>
                  {tc('canned.cancel')}
                </button>
              )}
            </div>
          </form>
        </>
      )}
    </section>
  );
}

export function CasesAdmin({ slug }: { slug: string }) {
  const offices = useOffices(slug);
  if (!offices) return <Loading />;
  return (
    <>
      <ChainEditor slug={slug} offices={offices} />
      <CannedAdmin slug={slug} offices={offices} />
    </>
  );
}
