/**
 * A form generated from a node's config JSON Schema (the engine's zod schema via z.toJSONSchema):
 * text with `{{ }}` support, numbers, selects for enums, checkboxes, lists of objects (Switch cases),
 * value lists and key/value pairs. How a text field is shown (multi-line, code, masked) comes from the
 * node definition's field hints, never from the field's name. Engine validation issues show under the
 * field they name.
 */
import type { FieldUi } from '@switchyard/engine';
import { createContext, type ReactNode, useContext } from 'react';
import { EventTypePicker, listErrors } from './EventTypePicker.js';
import { ExpressionInput } from './ExpressionInput.js';
import { emptyItem, fieldKind, humanize, type JsonSchema, withKey } from './jsonSchema.js';

export interface FormOptions {
  /** Prefix for element ids (unique per inspector). */
  idPrefix: string;
  /** Messages by config field path, e.g. `cases[1].equals`. */
  issues: ReadonlyMap<string, readonly string[]>;
  /** Checkbox choices for array-of-string fields, by field path (the trigger's actions). */
  choices?: Readonly<Record<string, readonly string[]>>;
  /** The node definition's field hints (`ui.fields`), by path without list indexes, e.g. `cases.matches`. */
  fields?: Readonly<Record<string, FieldUi>>;
}

const Options = createContext<FormOptions>({ idPrefix: 'f', issues: new Map() });

export function SchemaForm({
  schema,
  value,
  onChange,
  options,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
  options: FormOptions;
}) {
  return (
    <Options.Provider value={options}>
      <ObjectFields schema={schema} value={value} onChange={onChange} path="" />
    </Options.Provider>
  );
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function useField(path: string) {
  const o = useContext(Options);
  const id = `${o.idPrefix}-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  const ui = o.fields?.[path.replace(/\[\d+\]/g, '')];
  return { id, errors: o.issues.get(path) ?? [], choices: o.choices?.[path], ui, options: o };
}

function ObjectFields({
  schema,
  value,
  onChange,
  path,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  path: string;
}) {
  const required = new Set(schema.required ?? []);
  const { errors } = useField(path);
  return (
    <>
      {path && <FieldErrors errors={errors} />}
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => (
        <Field
          key={key}
          name={key}
          schema={prop}
          required={required.has(key)}
          value={value[key]}
          path={join(path, key)}
          onChange={(v) => onChange(withKey(value, key, v))}
        />
      ))}
    </>
  );
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  path: string;
  onChange: (v: unknown) => void;
}

function Field(props: FieldProps) {
  const { name, schema, required, value, path, onChange } = props;
  const { id, errors, choices, ui, options } = useField(path);
  const kind = fieldKind(schema);
  const label = schema.title ?? humanize(name);
  const hintId = `${id}-hint`;
  const hint = schema.description;
  if (ui?.widget === 'event-types') {
    const all = listErrors(options.issues, path);
    return (
      <EventTypePicker id={id} label={label} hint={hint} value={asArray(value)} onChange={onChange} errors={all} />
    );
  }
  // Optional fields left empty are removed, so "" never counts as a given value.
  const setText = (v: string) => onChange(v === '' && !required ? undefined : v);

  switch (kind) {
    case 'boolean':
      return (
        <div className="field">
          <label className="toggle">
            <input
              id={id}
              type="checkbox"
              checked={value === undefined ? schema.default === true : value === true}
              onChange={(e) => onChange(e.target.checked)}
            />
            <span>{label}</span>
          </label>
          {hint && <span className="hint">{hint}</span>}
          <FieldErrors errors={errors} />
        </div>
      );
    case 'enum':
      return (
        <Labelled id={id} label={label} required={required} hint={hint} errors={errors}>
          <select
            id={id}
            value={value === undefined ? '' : String(value)}
            onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
            aria-invalid={errors.length > 0 || undefined}
          >
            {(!required || value === undefined) && (
              <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : '—'}</option>
            )}
            {schema.enum!.map((opt) => (
              <option key={String(opt)} value={String(opt)}>
                {String(opt)}
              </option>
            ))}
          </select>
        </Labelled>
      );
    case 'number':
      return (
        <Labelled id={id} label={label} required={required} hint={hint} errors={errors}>
          <input
            id={id}
            type="number"
            value={typeof value === 'number' ? value : ''}
            placeholder={schema.default !== undefined ? String(schema.default) : undefined}
            min={schema.minimum}
            max={schema.maximum}
            onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
            aria-invalid={errors.length > 0 || undefined}
          />
        </Labelled>
      );
    case 'text':
    case 'any':
      return (
        <Labelled id={id} label={label} required={required} hint={hint} errors={errors} hintId={hintId}>
          <ExpressionInput
            id={id}
            field={path}
            value={textOf(value)}
            onChange={setText}
            widget={ui?.widget}
            language={ui?.language}
            invalid={errors.length > 0}
            describedBy={hint ? hintId : undefined}
            placeholder={
              ui?.placeholder ?? (schema.default !== undefined ? `default: ${String(schema.default)}` : undefined)
            }
          />
        </Labelled>
      );
    case 'valueList':
      if (choices)
        return (
          <ChoiceList
            id={id}
            label={label}
            hint={hint}
            choices={choices}
            value={asArray(value)}
            onChange={onChange}
            errors={errors}
          />
        );
      return (
        <ValueList
          id={id}
          label={label}
          hint={hint}
          path={path}
          value={asArray(value)}
          onChange={onChange}
          errors={errors}
        />
      );
    case 'objectList':
      return (
        <ObjectList
          label={label}
          hint={hint}
          schema={schema.items!}
          path={path}
          value={asArray(value)}
          onChange={onChange}
          errors={errors}
        />
      );
    case 'keyValue':
      return (
        <KeyValues
          id={id}
          label={label}
          hint={hint}
          path={path}
          value={asRecord(value)}
          onChange={onChange}
          errors={errors}
        />
      );
    case 'object':
      return (
        <details className="group" open={required}>
          <summary>
            {label}
            {hint && <span className="hint"> — {hint}</span>}
          </summary>
          <ObjectFields
            schema={schema}
            value={asRecord(value)}
            path={path}
            onChange={(v) => onChange(Object.keys(v).length ? v : undefined)}
          />
        </details>
      );
  }
}

function Labelled({
  id,
  label,
  required,
  hint,
  hintId,
  errors,
  children,
}: {
  id: string;
  label: string;
  required: boolean;
  hint?: string | undefined;
  hintId?: string;
  errors: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children}
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      <FieldErrors errors={errors} />
    </div>
  );
}

function FieldErrors({ errors }: { errors: readonly string[] }) {
  if (!errors.length) return null;
  return (
    <ul className="field-errors">
      {errors.map((e) => (
        <li key={e} className="field-error">
          {e}
        </li>
      ))}
    </ul>
  );
}

function ChoiceList({
  id,
  label,
  hint,
  choices,
  value,
  onChange,
  errors,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  choices: readonly string[];
  value: unknown[];
  onChange: (v: unknown) => void;
  errors: readonly string[];
}) {
  const selected = new Set(value.map(String));
  const extra = value.map(String).filter((v) => !choices.includes(v));
  const toggle = (c: string, on: boolean) =>
    onChange([...choices, ...extra].filter((x) => (x === c ? on : selected.has(x))));
  return (
    <fieldset className="field choices" id={id}>
      <legend>{label}</legend>
      {hint && <span className="hint">{hint}</span>}
      <div className="choice-grid">
        {[...choices, ...extra].map((c) => (
          <label key={c} className="toggle">
            <input type="checkbox" checked={selected.has(c)} onChange={(e) => toggle(c, e.target.checked)} />
            <span>{c}</span>
          </label>
        ))}
      </div>
      <FieldErrors errors={errors} />
    </fieldset>
  );
}

function ValueList({
  id,
  label,
  hint,
  path,
  value,
  onChange,
  errors,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  path: string;
  value: unknown[];
  onChange: (v: unknown) => void;
  errors: readonly string[];
}) {
  return (
    <fieldset className="field list" id={id}>
      <legend>{label}</legend>
      {hint && <span className="hint">{hint}</span>}
      {value.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: values have no identity of their own and may repeat
        <div key={i} className="list-row">
          <ExpressionInput
            id={`${id}-${i}`}
            field={join(path, i)}
            value={textOf(item)}
            onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))}
          />
          <button
            type="button"
            className="btn ghost icon"
            aria-label={`Remove item ${i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn small" onClick={() => onChange([...value, ''])}>
        Add value
      </button>
      <FieldErrors errors={errors} />
    </fieldset>
  );
}

function ObjectList({
  label,
  hint,
  schema,
  path,
  value,
  onChange,
  errors,
}: {
  label: string;
  hint?: string | undefined;
  schema: JsonSchema;
  path: string;
  value: unknown[];
  onChange: (v: unknown) => void;
  errors: readonly string[];
}) {
  const singular = label.replace(/s$/, '').toLowerCase();
  const move = (i: number, d: number) => {
    const next = [...value];
    const [item] = next.splice(i, 1);
    next.splice(i + d, 0, item);
    onChange(next);
  };
  return (
    <fieldset className="field object-list">
      <legend>{label}</legend>
      {hint && <span className="hint">{hint}</span>}
      <FieldErrors errors={errors} />
      {value.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items are positional (their ids are being typed), the form is controlled
        <fieldset key={i} className="object-item" aria-label={`${humanize(singular)} ${i + 1}`}>
          <div className="object-item-head">
            <span className="muted">
              {humanize(singular)} {i + 1}
            </span>
            <span className="row">
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Move ${singular} ${i + 1} up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Move ${singular} ${i + 1} down`}
                disabled={i === value.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Remove ${singular} ${i + 1}`}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </span>
          </div>
          <ObjectFields
            schema={schema}
            value={asRecord(item)}
            path={join(path, i)}
            onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))}
          />
        </fieldset>
      ))}
      <button type="button" className="btn small" onClick={() => onChange([...value, emptyItem(schema)])}>
        Add {singular}
      </button>
    </fieldset>
  );
}

function KeyValues({
  id,
  label,
  hint,
  path,
  value,
  onChange,
  errors,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  path: string;
  value: Record<string, unknown>;
  onChange: (v: unknown) => void;
  errors: readonly string[];
}) {
  const entries = Object.entries(value);
  const rename = (from: string, to: string) =>
    onChange(Object.fromEntries(entries.map(([k, v]) => [k === from ? to : k, v])));
  const add = () => {
    let k = 'field';
    for (let i = 2; k in value; i++) k = `field_${i}`;
    onChange({ ...value, [k]: '' });
  };
  return (
    <fieldset className="field kv" id={id}>
      <legend>{label}</legend>
      {hint && <span className="hint">{hint}</span>}
      {entries.map(([k, v], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: keyed by name, a row would remount (and lose focus) on every rename keystroke
        <div key={i} className="kv-row">
          <input
            aria-label={`${label} name ${i + 1}`}
            className="kv-key"
            value={k}
            onChange={(e) => rename(k, e.target.value)}
            spellCheck={false}
          />
          <ExpressionInput
            id={`${id}-v${i}`}
            field={join(path, k)}
            value={textOf(v)}
            onChange={(nv) => onChange({ ...value, [k]: nv })}
          />
          <button
            type="button"
            className="btn ghost icon"
            aria-label={`Remove ${k}`}
            onClick={() => onChange(withKey(value, k, undefined))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn small" onClick={add}>
        Add field
      </button>
      <FieldErrors errors={errors} />
    </fieldset>
  );
}

function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
