// The administration's "Schede informative" tab (issue 17): the ente's articles (status, title,
// office, last change, how many found them helpful or not), and the editor: Italian and English
// fields, validity dates, offices and services; after a save, the preview of the HTML the server
// rendered and the version history; Publish / Back to draft / Archive. Every save carries the
// version the editor read: a 409 "stale" means someone else saved first, and the editor offers
// to reload (the person's changes are not merged silently). Supervisors and admins edit.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, enc, get, listOf } from '../api';
import { RowActions } from '../components/crud';
import { apiMessage, CheckboxGroup, FormMessages, TextArea, TextField, useSubmit, type Errors } from '../components/forms';
import { announce, Loading } from '../components/layout';
import { locale } from '../i18n';
import { tk, type KbKey } from './i18n-kb';
import { kbAdmin, schedaUrl, type ArticleInput, type Lang2, type StaffArticle, type Status, type Version } from './kb-api';
import './kb.css';

const TEXT_FIELDS = ['title', 'summary', 'body', 'audience', 'documents', 'fees', 'steps'] as const;
type TextFieldName = (typeof TEXT_FIELDS)[number];
const LONG: Record<TextFieldName, boolean> = { title: false, summary: true, body: true, audience: true, documents: true, fees: true, steps: true };
const LABEL: Record<TextFieldName, KbKey> = {
  title: 'admin.title',
  summary: 'admin.summary',
  body: 'admin.body',
  audience: 'admin.audience',
  documents: 'admin.documents',
  fees: 'admin.fees',
  steps: 'admin.steps',
};
const REQUIRED_IT: TextFieldName[] = ['title', 'summary', 'body'];
const PREVIEW: { field: 'body_html' | 'audience_html' | 'documents_html' | 'fees_html' | 'steps_html'; title: KbKey }[] = [
  { field: 'body_html', title: 'scheda.what' },
  { field: 'audience_html', title: 'scheda.audience' },
  { field: 'documents_html', title: 'scheda.documents' },
  { field: 'fees_html', title: 'scheda.fees' },
  { field: 'steps_html', title: 'scheda.steps' },
];

interface Named {
  id: string;
  name: string;
}
interface ServiceRow extends Named {
  prefix: string;
  office_id?: string | null;
}

type Values = Record<`${TextFieldName}.${'it' | 'en'}`, string> & {
  slug: string;
  valid_from: string;
  valid_until: string;
  offices: string[];
  services: string[];
};

function emptyValues(): Values {
  const v: Record<string, unknown> = { slug: '', valid_from: '', valid_until: '', offices: [], services: [] };
  for (const f of TEXT_FIELDS) {
    v[`${f}.it`] = '';
    v[`${f}.en`] = '';
  }
  return v as Values;
}

function toValues(a: StaffArticle): Values {
  const v = emptyValues() as Record<string, unknown>;
  for (const f of TEXT_FIELDS) {
    const l = (a[f] ?? { it: '', en: '' }) as Lang2;
    v[`${f}.it`] = l.it ?? '';
    v[`${f}.en`] = l.en ?? '';
  }
  v.slug = a.slug;
  v.valid_from = a.valid_from ?? '';
  v.valid_until = a.valid_until ?? '';
  v.offices = a.offices.map((o) => o.id);
  v.services = a.services.map((s) => s.id);
  return v as Values;
}

function toInput(v: Values, isNew: boolean): ArticleInput {
  const lang = (f: TextFieldName): Lang2 => ({ it: v[`${f}.it`].trim(), en: v[`${f}.en`].trim() });
  const body: ArticleInput = {
    title: lang('title'),
    summary: lang('summary'),
    body: lang('body'),
    documents: lang('documents'),
    fees: lang('fees'),
    steps: lang('steps'),
    audience: lang('audience'),
    valid_from: v.valid_from || null,
    valid_until: v.valid_until || null,
    offices: v.offices,
    services: v.services,
  };
  if (isNew && v.slug.trim()) body.slug = v.slug.trim();
  return body;
}

const statusName = (s: Status) => tk(`admin.status.${s}` as KbKey);
const when = (iso: string) =>
  new Date(iso).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Rome' });

function StatusTag({ status }: { status: Status }) {
  return <span class={`kb-status kb-status-${status}`}>{statusName(status)}</span>;
}

function Counts({ up, down }: { up: number; down: number }) {
  return (
    <span class="text-nowrap">
      <span aria-hidden="true">
        👍 {up} · 👎 {down}
      </span>
      <span class="visually-hidden">{tk('admin.feedbackCount', { up, down })}</span>
    </span>
  );
}

function Preview({ a }: { a: StaffArticle }) {
  const sections = PREVIEW.filter((s) => (a[s.field]?.it ?? '').replace(/<[^>]*>/g, '').trim());
  return (
    <section class="mt-4" aria-labelledby="kb-preview-title" id="kb-preview">
      <h4 class="h5" id="kb-preview-title">
        {tk('admin.preview')}
      </h4>
      <p class="small">{tk('admin.previewLead')}</p>
      <div class="kb-preview">
        <p class="h4">{a.title.it}</p>
        <p class="lead">{a.summary.it}</p>
        {sections.map((s) => (
          <div data-section={s.field}>
            <p class="h5 mt-3">{tk(s.title)}</p>
            {/* Rendered and sanitised by the server (libcmark safe mode). */}
            <div class="kb-html" dangerouslySetInnerHTML={{ __html: a[s.field]?.it ?? '' }} />
          </div>
        ))}
      </div>
    </section>
  );
}

function Versions({ versions }: { versions: Version[] }) {
  return (
    <section class="mt-4" aria-labelledby="kb-versions-title">
      <h4 class="h5" id="kb-versions-title">
        {tk('admin.versions')}
      </h4>
      {versions.length === 0 ? (
        <p>{tk('admin.versionsNone')}</p>
      ) : (
        <div class="table-responsive">
          <table class="table table-sm" id="kb-versions">
            <caption class="visually-hidden">{tk('admin.versions')}</caption>
            <thead>
              <tr>
                <th scope="col">{tk('admin.v.version')}</th>
                <th scope="col">{tk('admin.v.status')}</th>
                <th scope="col">{tk('admin.v.title')}</th>
                <th scope="col">{tk('admin.v.author')}</th>
                <th scope="col">{tk('admin.v.when')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr data-version={v.version}>
                  <td>{v.version}</td>
                  <td>{statusName(v.status)}</td>
                  <td>{v.title}</td>
                  <td>{v.author?.name ?? tk('admin.nobody')}</td>
                  <td>{when(v.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Editor(p: { slug: string; id: string | null; offices: Named[]; services: ServiceRow[]; onChanged: (a: StaffArticle) => void; onClose: () => void }) {
  const [id, setId] = useState<string | null>(p.id);
  const [article, setArticle] = useState<StaffArticle | null>(null);
  const [values, setValues] = useState<Values>(emptyValues());
  const [versions, setVersions] = useState<Version[]>([]);
  const [stale, setStale] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const known = (f: string) => f in values || TEXT_FIELDS.some((x) => f === x);
  const { state, run, setState } = useSubmit(known);

  const load = async (articleId: string) => {
    try {
      const a = await kbAdmin.get(p.slug, articleId);
      const full = { ...a.article, helpful: a.helpful, not_helpful: a.not_helpful };
      setArticle(full);
      setValues(toValues(full));
      setStale(false);
      setLoadError(null);
      kbAdmin
        .versions(p.slug, articleId)
        .then((v) => setVersions(v.versions))
        .catch(() => undefined);
      return full;
    } catch (e) {
      setLoadError(apiMessage(e));
      return null;
    }
  };
  useEffect(() => {
    if (p.id) void load(p.id);
    heading.current?.focus();
  }, [p.id]);
  useEffect(() => {
    if (stale) staleRef.current?.focus();
  }, [stale]);

  const set = (k: keyof Values) => (val: string | string[]) => setValues((v) => ({ ...v, [k]: val }));
  const conflict = (e: unknown) => e instanceof ApiError && e.status === 409 && (e.code === 'stale' || e.code === 'conflict');

  const save = async (e: Event) => {
    e.preventDefault();
    const local: Errors = {};
    for (const f of REQUIRED_IT) if (!values[`${f}.it`].trim()) local[`${f}.it`] = tk('admin.required');
    for (const l of ['it', 'en'] as const)
      if (values[`summary.${l}`].length > 400) local[`summary.${l}`] = tk('admin.tooLong', { n: 400 });
    await run(async () => {
      try {
        const input = toInput(values, !id);
        const saved = id
          ? await kbAdmin.update(p.slug, id, { ...input, version: article?.version ?? 1 })
          : await kbAdmin.create(p.slug, input);
        const full = (await load(saved.article.id)) ?? saved.article;
        setId(saved.article.id);
        p.onChanged(full);
        const msg = id ? tk('admin.saved', { title: full.title.it, v: full.version }) : tk('admin.created', { title: full.title.it });
        announce(msg);
        return msg;
      } catch (err) {
        if (conflict(err)) {
          setStale(true);
          return;
        }
        throw err;
      }
    }, local);
  };

  const changeStatus = async (status: Status) => {
    if (!id || !article) return;
    await run(async () => {
      try {
        await kbAdmin.status(p.slug, id, status, article.version);
        const full = (await load(id)) ?? article;
        p.onChanged(full);
        const msg = tk('admin.statusDone', { title: full.title.it, status: statusName(status) });
        announce(msg);
        return msg;
      } catch (err) {
        if (conflict(err)) {
          setStale(true);
          return;
        }
        throw err;
      }
    });
  };

  const reload = async () => {
    if (!id) return;
    const a = await load(id);
    if (a) {
      setState({ errors: {}, busy: false, success: tk('admin.reloaded', { v: a.version }) });
      announce(tk('admin.reloaded', { v: a.version }));
      heading.current?.focus();
    }
  };

  if (p.id && !article && !loadError) return <Loading />;
  const title = article ? tk('admin.editTitle', { title: article.title.it }) : tk('admin.newTitle');
  const field = (f: TextFieldName, l: 'it' | 'en') => {
    const key = `${f}.${l}` as const;
    const fid = `kb-${f}-${l}`;
    const common = {
      id: fid,
      label: tk(LABEL[f]),
      value: values[key],
      onInput: set(key) as (v: string) => void,
      required: l === 'it' && REQUIRED_IT.includes(f),
      error: state.errors[key] ?? (l === 'it' ? state.errors[f] : undefined),
      hint: f === 'summary' ? tk('admin.summaryHint') : LONG[f] && f !== 'fees' ? tk('admin.markdownHint') : undefined,
    };
    return LONG[f] ? <TextArea {...common} rows={f === 'summary' ? 2 : 4} /> : <TextField {...common} maxLength={160} />;
  };
  const officeName = (sid: string | null | undefined) => p.offices.find((o) => o.id === sid)?.name;
  return (
    <section class="kb-editor mt-4" aria-labelledby="kb-editor-title" id="kb-editor" data-version={article?.version ?? ''}>
      <h3 class="h4" id="kb-editor-title" tabIndex={-1} ref={heading}>
        {title}
      </h3>
      {article && (
        <p id="kb-current">
          <StatusTag status={article.status} /> {tk('admin.current', { status: statusName(article.status), v: article.version })}
          {article.status === 'published' && (
            <>
              {' · '}
              <a href={schedaUrl(p.slug, article.slug)} target="_blank" rel="noopener">
                {tk('admin.viewPublic')}
              </a>
            </>
          )}
        </p>
      )}
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {stale && (
        <div class="alert alert-warning" role="alert" id="kb-stale" tabIndex={-1} ref={staleRef}>
          <p class="fw-bold mb-1">{tk('admin.stale')}</p>
          <p class="mb-2">{tk('admin.staleLead')}</p>
          <button type="button" class="btn btn-primary btn-sm" onClick={() => void reload()}>
            {tk('admin.reload')}
          </button>
        </div>
      )}
      <FormMessages error={state.formError} success={state.success} />
      <form noValidate onSubmit={save} id="kb-form">
        <div class="row kb-lang-cols">
          <fieldset class="col-lg-6" lang="it">
            <legend>{tk('admin.itFields')}</legend>
            {TEXT_FIELDS.map((f) => field(f, 'it'))}
          </fieldset>
          <fieldset class="col-lg-6" lang="en">
            <legend>{tk('admin.enFields')}</legend>
            <p class="small">{tk('admin.enLead')}</p>
            {TEXT_FIELDS.map((f) => field(f, 'en'))}
          </fieldset>
        </div>
        <fieldset class="form-fieldset mb-3">
          <legend class="fieldset-legend">{tk('admin.validity')}</legend>
          <div class="row">
            <div class="col-md-6">
              <TextField id="kb-valid_from" type="date" label={tk('admin.validFrom')} value={values.valid_from} onInput={set('valid_from') as (v: string) => void} error={state.errors.valid_from} />
            </div>
            <div class="col-md-6">
              <TextField id="kb-valid_until" type="date" label={tk('admin.validUntil')} value={values.valid_until} onInput={set('valid_until') as (v: string) => void} error={state.errors.valid_until} />
            </div>
          </div>
        </fieldset>
        <div class="kb-multi mb-3">
          <CheckboxGroup id="kb-offices" label={tk('admin.offices')} values={values.offices} onChange={set('offices')} options={p.offices.map((o) => ({ value: o.id, label: o.name }))} error={state.errors.offices} />
        </div>
        <div class="kb-multi mb-3">
          <CheckboxGroup
            id="kb-services"
            label={tk('admin.services')}
            values={values.services}
            onChange={set('services')}
            options={p.services.map((s) => ({ value: s.id, label: `${s.prefix} · ${s.name}${officeName(s.office_id) ? ` (${officeName(s.office_id)})` : ''}` }))}
            error={state.errors.services}
          />
        </div>
        {!id && <TextField id="kb-slug" label={tk('admin.slug')} hint={tk('admin.slugHint')} value={values.slug} onInput={set('slug') as (v: string) => void} error={state.errors.slug} maxLength={80} />}
        <div class="d-flex flex-wrap gap-2 mt-3">
          <button type="submit" class="btn btn-primary" disabled={state.busy}>
            {state.busy ? tk('admin.saving') : tk('admin.save')}
          </button>
          {article && article.status !== 'published' && (
            <button type="button" class="btn btn-success" disabled={state.busy} onClick={() => void changeStatus('published')}>
              {tk('admin.publish')}
            </button>
          )}
          {article && article.status !== 'draft' && (
            <button type="button" class="btn btn-outline-primary" disabled={state.busy} onClick={() => void changeStatus('draft')}>
              {tk('admin.toDraft')}
            </button>
          )}
          {article && article.status !== 'archived' && (
            <button type="button" class="btn btn-outline-danger" disabled={state.busy} onClick={() => void changeStatus('archived')}>
              {tk('admin.archive')}
            </button>
          )}
          <button type="button" class="btn btn-outline-secondary" onClick={p.onClose}>
            {tk('admin.close')}
          </button>
        </div>
      </form>
      {article ? <Preview a={article} /> : <p class="mt-4 small">{tk('admin.previewEmpty')}</p>}
      {article && <Versions versions={versions} />}
    </section>
  );
}

export function KbAdmin({ slug }: { slug: string }) {
  const [rows, setRows] = useState<StaffArticle[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null | undefined>(undefined); // null: new
  const [offices, setOffices] = useState<Named[]>([]);
  const [services, setServices] = useState<ServiceRow[]>([]);
  const load = () =>
    kbAdmin
      .list(slug)
      .then((a) => {
        setRows(a.articles);
        setError(null);
      })
      .catch((e) => setError(apiMessage(e)));
  useEffect(() => {
    void load();
    get<unknown>(`/api/v1/enti/${enc(slug)}/offices`)
      .then((a) => setOffices(listOf<Named>(a, 'offices')))
      .catch(() => undefined);
    get<unknown>(`/api/v1/enti/${enc(slug)}/services`)
      .then((a) => setServices(listOf<ServiceRow>(a, 'services')))
      .catch(() => undefined);
  }, [slug]);

  return (
    <div id="kb-admin">
      <p>{tk('admin.lead')}</p>
      <button type="button" class="btn btn-primary mb-3" id="kb-new" onClick={() => setEditing(null)}>
        {tk('admin.new')}
      </button>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {!rows && !error && <Loading />}
      {rows && rows.length === 0 && <p>{tk('admin.none')}</p>}
      {rows && rows.length > 0 && (
        <div class="table-responsive">
          <table class="table table-striped kb-admin-table" id="kb-table">
            <caption class="visually-hidden">{tk('admin.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{tk('admin.col.status')}</th>
                <th scope="col">{tk('admin.col.title')}</th>
                <th scope="col">{tk('admin.col.office')}</th>
                <th scope="col">{tk('admin.col.updated')}</th>
                <th scope="col">{tk('admin.col.feedback')}</th>
                <th scope="col">{tk('admin.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr data-article={a.slug} data-status={a.status}>
                  <td>
                    <StatusTag status={a.status} />
                  </td>
                  <th scope="row">{a.title.it}</th>
                  <td>{a.offices.map((o) => o.name).join(', ')}</td>
                  <td>
                    <span class="kb-updated">{when(a.updated_at)}</span>
                    {a.updated_by && <span class="d-block small">{a.updated_by.name}</span>}
                  </td>
                  <td>
                    <Counts up={a.helpful ?? 0} down={a.not_helpful ?? 0} />
                  </td>
                  <RowActions
                    name={a.title.it}
                    confirming={false}
                    confirmText=""
                    confirmLabel=""
                    removeLabel={null}
                    onEdit={() => setEditing(a.id)}
                    onAsk={() => undefined}
                    onConfirm={() => undefined}
                    onCancel={() => undefined}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== undefined && (
        <Editor
          key={editing ?? 'new'}
          slug={slug}
          id={editing}
          offices={offices}
          services={services}
          onChanged={() => void load()}
          onClose={() => {
            setEditing(undefined);
            document.getElementById('kb-new')?.focus();
          }}
        />
      )}
    </div>
  );
}
