// Labelled form controls in bootstrap-italia markup. Each control ties its hint and error to the
// input (aria-describedby), marks itself aria-invalid, and its error is announced (role=alert).

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';

export type Errors = Record<string, string>;

interface Base {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  disabled?: boolean;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function LabelText({ label, required }: { label: string; required?: boolean }) {
  return (
    <>
      {label}
      {required && (
        <>
          <span aria-hidden="true"> *</span>
          <span class="visually-hidden"> {t('form.requiredMark')}</span>
        </>
      )}
    </>
  );
}

export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <div id={`${id}-error`} class="field-error" role="alert">
      {error}
    </div>
  );
}

function Hint({ id, hint }: { id: string; hint?: string }) {
  return hint ? (
    <small id={`${id}-hint`} class="form-text field-hint">
      {hint}
    </small>
  ) : null;
}

export interface TextFieldProps extends Base {
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'password' | 'email' | 'url' | 'number' | 'tel' | 'date' | 'time';
  autoComplete?: string;
  placeholder?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  /** Codes typed from paper: no spelling marks, capitals on phones' keyboards. */
  spellCheck?: boolean;
  autoCapitalize?: 'off' | 'characters';
}

export function TextField(p: TextFieldProps) {
  return (
    <div class="form-group">
      <label for={p.id} class="active">
        <LabelText label={p.label} required={p.required} />
      </label>
      <input
        id={p.id}
        name={p.id}
        class={`form-control ${p.error ? 'field-invalid' : ''}`}
        type={p.type ?? 'text'}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        required={p.required}
        disabled={p.disabled}
        autoComplete={p.autoComplete}
        placeholder={p.placeholder}
        min={p.min}
        max={p.max}
        maxLength={p.maxLength}
        spellcheck={p.spellCheck}
        autoCapitalize={p.autoCapitalize}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      />
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

export function TextArea(p: Base & { value: string; onInput: (v: string) => void; rows?: number }) {
  return (
    <div class="form-group">
      <label for={p.id} class="active">
        <LabelText label={p.label} required={p.required} />
      </label>
      <textarea
        id={p.id}
        name={p.id}
        class={`form-control textarea ${p.error ? 'field-invalid' : ''}`}
        rows={p.rows ?? 3}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        required={p.required}
        disabled={p.disabled}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      />
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(p: Base & { value: string; onChange: (v: string) => void; options: Option[] }) {
  return (
    <div class="select-wrapper form-group-select">
      <label for={p.id}>
        <LabelText label={p.label} required={p.required} />
      </label>
      <select
        id={p.id}
        name={p.id}
        class={p.error ? 'field-invalid' : ''}
        value={p.value}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        required={p.required}
        disabled={p.disabled}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

export function Checkbox(p: Base & { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="form-check">
      <input
        id={p.id}
        name={p.id}
        type="checkbox"
        checked={p.checked}
        disabled={p.disabled}
        onChange={(e) => p.onChange(e.currentTarget.checked)}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      />
      <label for={p.id}>{p.label}</label>
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

/** A group of checkboxes (e.g. channels) in a fieldset whose legend names the group. */
export function CheckboxGroup(
  p: Base & { values: string[]; onChange: (v: string[]) => void; options: Option[] },
) {
  const toggle = (v: string, on: boolean) =>
    p.onChange(on ? [...p.values.filter((x) => x !== v), v] : p.values.filter((x) => x !== v));
  return (
    <fieldset
      class="form-fieldset mb-4"
      id={p.id}
      aria-invalid={p.error ? 'true' : undefined}
      aria-describedby={describedBy(p.id, p.hint, p.error)}
    >
      <legend class="fieldset-legend">
        <LabelText label={p.label} required={p.required} />
      </legend>
      <div class="checkbox-row">
        {p.options.map((o) => (
          <div class="form-check form-check-inline">
            <input
              id={`${p.id}-${o.value}`}
              type="checkbox"
              checked={p.values.includes(o.value)}
              onChange={(e) => toggle(o.value, e.currentTarget.checked)}
            />
            <label for={`${p.id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </div>
      <Hint id={p.id} hint={p.hint} />
      <FieldError id={p.id} error={p.error} />
    </fieldset>
  );
}

/** Form-level messages: an error (alert) and a success text in a polite live region. */
export function FormMessages({ error, success }: { error?: string; success?: string }) {
  return (
    <>
      {error && (
        <div class="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div role="status" aria-live="polite" class={success ? 'alert alert-success' : 'status-empty'}>
        {success ?? ''}
      </div>
    </>
  );
}

/** Normalizes a server field path ("rules[2].end", "rules.2.end") to "rules.2.end". */
export function normField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

export interface FormState {
  errors: Errors;
  formError?: string;
  success?: string;
  busy: boolean;
}

/**
 * Runs a submission: clears messages, awaits `fn`, then shows its success text or maps an
 * ApiError to the field it names (when the form has that field) or to the form-level alert.
 */
export function useSubmit(knownFields: (field: string) => boolean) {
  const [state, setState] = useState<FormState>({ errors: {}, busy: false });
  async function run(fn: () => Promise<string | void>, localErrors?: Errors): Promise<boolean> {
    if (localErrors && Object.keys(localErrors).length > 0) {
      setState({ errors: localErrors, formError: t('form.checkFields'), busy: false });
      focusFirstInvalid();
      return false;
    }
    setState({ errors: {}, busy: true });
    try {
      const msg = await fn();
      setState({ errors: {}, busy: false, success: msg || undefined });
      return true;
    } catch (e) {
      setState({ errors: errorsFrom(e, knownFields), formError: formErrorFrom(e, knownFields), busy: false });
      focusFirstInvalid();
      return false;
    }
  }
  const clear = () => setState({ errors: {}, busy: false });
  return { state, run, clear, setState };
}

export function apiMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('error.network');
    return e.message;
  }
  return t('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

function errorsFrom(e: unknown, known: (f: string) => boolean): Errors {
  if (e instanceof ApiError && e.field && known(normField(e.field))) {
    return { [normField(e.field)]: e.message };
  }
  return {};
}

function formErrorFrom(e: unknown, known: (f: string) => boolean): string {
  if (e instanceof ApiError && e.field && known(normField(e.field))) return t('form.checkFields');
  return apiMessage(e);
}

function focusFirstInvalid(): void {
  window.setTimeout(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (el) {
      if (el.tagName === 'FIELDSET') el.querySelector<HTMLElement>('input')?.focus();
      else el.focus();
    }
  }, 0);
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="mb-5" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="h3">
        {title}
      </h2>
      {children}
    </section>
  );
}
