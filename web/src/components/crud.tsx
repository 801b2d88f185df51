// A generic administration section for one collection of /api/v1/enti/{slug}/…:
// a table of the items, a create/edit form (POST / PATCH) and delete with confirmation.
// Server errors naming a field are shown next to that field; successes in a live region.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, enc, listOf } from '../api';
import { t, type I18nKey } from '../i18n';
import {
  apiMessage,
  Checkbox,
  CheckboxGroup,
  FormMessages,
  SelectField,
  TextArea,
  TextField,
  useSubmit,
  type Errors,
  type Option,
} from './forms';
import { announce, Loading } from './layout';

/**
 * The actions cell of a list row: "Modifica" and "Elimina" (named for screen readers), and the
 * inline confirmation that replaces them. `removeLabel` null: no remove button for this row.
 */
export function RowActions(p: {
  name: string;
  confirming: boolean;
  confirmText: string;
  confirmLabel: string;
  removeLabel: string | null;
  onEdit: () => void;
  onAsk: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <td class="text-nowrap">
      {p.confirming ? (
        <span class="d-inline-flex flex-wrap gap-2 align-items-center">
          <span>{p.confirmText}</span>
          <button type="button" class="btn btn-danger btn-sm" onClick={p.onConfirm}>
            {p.confirmLabel}
          </button>
          <button type="button" class="btn btn-outline-secondary btn-sm" onClick={p.onCancel}>
            {t('form.cancel')}
          </button>
        </span>
      ) : (
        <span class="d-inline-flex gap-2">
          <button type="button" class="btn btn-outline-primary btn-sm" onClick={p.onEdit}>
            {t('form.edit')}
            <span class="visually-hidden"> {p.name}</span>
          </button>
          {p.removeLabel !== null && (
            <button type="button" class="btn btn-outline-danger btn-sm" onClick={p.onAsk}>
              {p.removeLabel}
              <span class="visually-hidden"> {p.name}</span>
            </button>
          )}
        </span>
      )}
    </td>
  );
}

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

export interface FieldDef {
  name: string;
  label: I18nKey;
  kind: 'text' | 'email' | 'url' | 'tel' | 'number' | 'password' | 'textarea' | 'select' | 'checkbox' | 'checkboxes';
  required?: boolean;
  hint?: I18nKey;
  options?: Option[];
  /** For selects: the empty choice is sent as null. */
  nullable?: boolean;
  /** Only shown (and sent) when creating. */
  createOnly?: boolean;
  /** Initial value for a new item. */
  initial?: FormValue;
  maxLength?: number;
}

export interface Column<T> {
  label: string;
  cell: (item: T) => ComponentChildren;
}

export interface CrudProps<T> {
  /** Collection name: "sites", "offices", "services", "operators". */
  id: 'sites' | 'offices' | 'services' | 'operators';
  slug: string;
  fields: FieldDef[];
  columns: Column<T>[];
  itemName: (item: T) => string;
  toForm: (item: T) => FormValues;
  onItems?: (items: T[]) => void;
  /** Rendered under the form (e.g. the operators' password reset), with a reload function. */
  extra?: (items: T[], reload: () => void) => ComponentChildren;
  /**
   * Instead of DELETE, a PATCH with `body` (operators are deactivated, never deleted): the row's
   * button, its confirmation and the announcement; no button where `shown` says so.
   */
  removeAs?: {
    label: I18nKey;
    confirm: I18nKey;
    confirmButton: I18nKey;
    done: I18nKey;
    body: Record<string, unknown>;
    shown?: (item: T) => boolean;
  };
}

function emptyValue(f: FieldDef): FormValue {
  if (f.initial !== undefined) return f.initial;
  if (f.kind === 'checkbox') return false;
  if (f.kind === 'checkboxes') return [];
  return '';
}

function bodyFrom(fields: FieldDef[], values: FormValues, creating: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.createOnly && !creating) continue;
    const v = values[f.name];
    if (f.kind === 'checkbox' || f.kind === 'checkboxes') body[f.name] = v;
    else if (f.kind === 'number') {
      const s = String(v ?? '').trim();
      if (s !== '') body[f.name] = Number(s);
    } else if (f.kind === 'select' && f.nullable) body[f.name] = v === '' ? null : v;
    else if (f.kind === 'password') {
      if (v) body[f.name] = v;
    } else body[f.name] = typeof v === 'string' ? v.trim() : v;
  }
  return body;
}

export function CrudSection<T extends { id: string }>(p: CrudProps<T>) {
  const base = `/api/v1/enti/${enc(p.slug)}/${p.id}`;
  const [items, setItems] = useState<T[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<T | null>(null);
  const empty = () => Object.fromEntries(p.fields.map((f) => [f.name, emptyValue(f)])) as FormValues;
  const [values, setValues] = useState<FormValues>(empty);
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const names = new Set(p.fields.map((f) => f.name));
  const { state, run, setState } = useSubmit((f) => names.has(f));
  const formTitle = useRef<HTMLHeadingElement>(null);

  const reload = () =>
    api<unknown>('GET', base)
      .then((a) => {
        const list = listOf<T>(a, p.id);
        setItems(list);
        setLoadError(null);
        p.onItems?.(list);
      })
      .catch((e) => setLoadError(apiMessage(e)));
  useEffect(() => {
    void reload();
  }, [p.slug, p.id]);

  const set = (name: string) => (v: FormValue) => setValues((old) => ({ ...old, [name]: v }));

  const startEdit = (item: T) => {
    setEditing(item);
    setValues({ ...empty(), ...p.toForm(item) });
    setState({ errors: {}, busy: false });
    window.setTimeout(() => formTitle.current?.focus(), 0);
  };
  const cancel = () => {
    setEditing(null);
    setValues(empty());
    setState({ errors: {}, busy: false });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const creating = !editing;
    const local: Errors = {};
    for (const f of p.fields) {
      if (!f.required || (f.createOnly && !creating)) continue;
      const v = values[f.name];
      if (v === '' || v === undefined || (Array.isArray(v) && v.length === 0)) local[f.name] = t('form.required');
    }
    const ok = await run(async () => {
      const body = bodyFrom(p.fields, values, creating);
      const saved = creating
        ? await api<T>('POST', base, body)
        : await api<T>('PATCH', `${base}/${enc(editing!.id)}`, body);
      const name = saved && (saved as { id?: string }).id ? p.itemName(saved) : String(body.name ?? body.display_name ?? '');
      const msg = creating ? t('form.created', { name }) : t('form.updated', { name });
      announce(msg);
      return msg;
    }, local);
    if (ok) {
      setEditing(null);
      setValues(empty());
      void reload();
    }
  };

  const remove = async (item: T) => {
    setConfirmId(null);
    await run(async () => {
      try {
        if (p.removeAs) await api<unknown>('PATCH', `${base}/${enc(item.id)}`, p.removeAs.body);
        else await api<void>('DELETE', `${base}/${enc(item.id)}`);
      } catch (e) {
        // A refusal is about the row, not about the form's fields: shown above the form.
        throw e instanceof ApiError ? new ApiError(e.status, e.code, e.message, null) : e;
      }
      const msg = t(p.removeAs?.done ?? 'form.deleted', { name: p.itemName(item) });
      announce(msg);
      return msg;
    });
    void reload();
  };

  const fieldId = (name: string) => `${p.id}-${name}`;
  const creating = !editing;

  return (
    <div class="crud" id={`crud-${p.id}`}>
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      {!items && !loadError && <Loading />}
      {items && (
        <div class="table-responsive mb-4">
          <table class="table table-striped" id={`${p.id}-table`}>
            <caption>{t(`${p.id}.list` as I18nKey)}</caption>
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th scope="col">{c.label}</th>
                ))}
                <th scope="col">{t('form.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={p.columns.length + 1}>{t('form.none')}</td>
                </tr>
              )}
              {items.map((item) => {
                const name = p.itemName(item);
                return (
                  <tr data-id={item.id}>
                    {p.columns.map((c, i) =>
                      i === 0 ? <th scope="row">{c.cell(item)}</th> : <td>{c.cell(item)}</td>,
                    )}
                    <RowActions
                      name={name}
                      confirming={confirmId === item.id}
                      confirmText={t(p.removeAs?.confirm ?? 'form.confirmDelete', { name })}
                      confirmLabel={t(p.removeAs?.confirmButton ?? 'form.confirm')}
                      removeLabel={!p.removeAs?.shown || p.removeAs.shown(item) ? t(p.removeAs?.label ?? 'form.delete') : null}
                      onEdit={() => startEdit(item)}
                      onAsk={() => setConfirmId(item.id)}
                      onConfirm={() => void remove(item)}
                      onCancel={() => setConfirmId(null)}
                    />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <h3 class="h4" ref={formTitle} tabIndex={-1} id={`${p.id}-form-title`}>
        {creating ? t(`${p.id}.new` as I18nKey) : `${t(`${p.id}.edit` as I18nKey)}: ${p.itemName(editing!)}`}
      </h3>
      <FormMessages error={state.formError} success={state.success} />
      <form onSubmit={submit} noValidate class="mt-4" aria-labelledby={`${p.id}-form-title`} id={`${p.id}-form`}>
        {p.fields.map((f) => {
          if (f.createOnly && !creating) return null;
          const common = {
            id: fieldId(f.name),
            label: t(f.label),
            error: state.errors[f.name],
            hint: f.hint ? t(f.hint) : undefined,
            required: f.required && (!f.createOnly || creating),
          };
          const v = values[f.name];
          switch (f.kind) {
            case 'textarea':
              return <TextArea {...common} value={String(v ?? '')} onInput={set(f.name)} />;
            case 'select':
              return (
                <SelectField
                  {...common}
                  value={String(v ?? '')}
                  onChange={set(f.name)}
                  options={f.nullable ? [{ value: '', label: t('form.optionNone') }, ...(f.options ?? [])] : f.options ?? []}
                />
              );
            case 'checkbox':
              return <Checkbox {...common} checked={v === true} onChange={set(f.name)} />;
            case 'checkboxes':
              return (
                <CheckboxGroup {...common} values={Array.isArray(v) ? v : []} onChange={set(f.name)} options={f.options ?? []} />
              );
            default:
              return (
                <TextField
                  {...common}
                  type={f.kind}
                  value={String(v ?? '')}
                  onInput={set(f.name)}
                  maxLength={f.maxLength}
                  autoComplete={f.kind === 'password' ? 'new-password' : 'off'}
                />
              );
          }
        })}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={state.busy}>
            {creating ? t('form.add') : t('form.save')}
          </button>
          {!creating && (
            <button type="button" class="btn btn-outline-secondary" onClick={cancel}>
              {t('form.cancel')}
            </button>
          )}
        </div>
      </form>
      {items && p.extra?.(items, () => void reload())}
    </div>
  );
}
