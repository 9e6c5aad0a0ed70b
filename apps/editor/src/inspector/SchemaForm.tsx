/**
 * A form generated from a node's config JSON Schema (the engine's zod schema via z.toJSONSchema):
 * text with `{{ }}` support, numbers, selects for enums, checkboxes, lists of objects (Switch cases),
 * value lists and key/value pairs. Everything about how a field is shown comes from the node definition's
 * field hints (`ui.fields`), never from the field's name: its label, widget (multi-line, code, JSON, masked,
 * condition builder), whether it waits under "More options", alternatives offered as one choice (`oneOf`)
 * and ids made from a value (`idFrom`). Problems show under the field they name once it has been touched.
 */
import type { FieldUi } from '@switchyard/engine';
import { createContext, type ReactNode, useContext, useState } from 'react';
import { ConditionField } from './ConditionField.js';
import { fallbackId, followId } from './caseIds.js';
import { EventTypePicker, listErrors } from './EventTypePicker.js';
import { ExpressionInput } from './ExpressionInput.js';
import { fieldLabel, hintKey, singular } from './fieldMeta.js';
import { JsonField } from './JsonField.js';
import { emptyItem, fieldKind, type JsonSchema, withKey } from './jsonSchema.js';
import './inspector.css';

export interface FormOptions {
  /** Prefix for element ids (unique per inspector). */
  idPrefix: string;
  /** Plain messages by config field path, e.g. `cases[1].equals`. */
  issues: ReadonlyMap<string, readonly string[]>;
  /** Checkbox choices for array-of-string fields, by field path (the trigger's actions). */
  choices?: Readonly<Record<string, readonly string[]>>;
  /** The node definition's field hints (`ui.fields`), by path without list indexes, e.g. `cases.matches`. */
  fields?: Readonly<Record<string, FieldUi>>;
  /**
   * Paths the user has touched (changed or left): only their problems show. Absent: every problem shows.
   */
  touched?: ReadonlySet<string>;
  onTouch?: (paths: readonly string[]) => void;
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
      {/* Leaving a field marks it touched: one listener, the field named by its wrapper's data-path. */}
      <fieldset
        className="schema-form"
        onBlur={(e) => {
          const path = (e.target as Element).closest('[data-path]')?.getAttribute('data-path');
          if (path) options.onTouch?.(path.split(' '));
        }}
      >
        <ObjectFields schema={schema} value={value} onChange={onChange} path="" />
      </fieldset>
    </Options.Provider>
  );
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

const NO_ERRORS: readonly string[] = [];

/** A field's id, hints and the problems to show now (none until it was touched). */
function useField(path: string) {
  const o = useContext(Options);
  const id = `${o.idPrefix}-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  const ui = o.fields?.[hintKey(path)];
  const shown = (p: string) => !o.touched || o.touched.has(p);
  const errorsAt = (paths: readonly string[]) => paths.flatMap((p) => (shown(p) ? (o.issues.get(p) ?? []) : []));
  const errors = shown(path) ? (o.issues.get(path) ?? NO_ERRORS) : NO_ERRORS;
  const touch = (paths: readonly string[] = [path]) => o.onTouch?.(paths);
  return { id, errors, errorsAt, touch, choices: o.choices?.[path], ui, options: o };
}

const hasValue = (v: unknown) =>
  v !== undefined &&
  v !== '' &&
  !(Array.isArray(v) && v.length === 0) &&
  !(v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

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
  const { errors, options } = useField(path);
  const uiOf = (key: string) => options.fields?.[hintKey(join(path, key))];
  const entries = Object.entries(schema.properties ?? {});
  const groups = new Map<string, string[]>();
  for (const [key] of entries) {
    const g = uiOf(key)?.oneOf;
    if (g) groups.set(g, [...(groups.get(g) ?? []), key]);
  }
  const rendered = new Set<string>();
  const render = (key: string, prop: JsonSchema) => {
    const ui = uiOf(key);
    if (ui?.with && value[ui.with] === undefined) return null;
    if (ui?.oneOf) {
      if (rendered.has(ui.oneOf)) return null;
      rendered.add(ui.oneOf);
      const members = groups.get(ui.oneOf)!;
      return (
        <OneOfField
          key={`oneOf:${ui.oneOf}`}
          name={ui.oneOf}
          members={members.map((k) => ({ key: k, schema: schema.properties![k]! }))}
          value={value}
          path={path}
          onChange={onChange}
        />
      );
    }
    return (
      <Field
        key={key}
        name={key}
        schema={prop}
        required={required.has(key)}
        value={value[key]}
        path={join(path, key)}
        onChange={(v) => onChange(withKey(value, key, v))}
      />
    );
  };
  const common = entries.filter(([key]) => !uiOf(key)?.advanced);
  const advanced = entries.filter(([key]) => uiOf(key)?.advanced);
  return (
    <>
      {path && <FieldErrors errors={errors} />}
      {common.map(([key, prop]) => render(key, prop))}
      {advanced.length > 0 && (
        <MoreOptions startOpen={advanced.some(([key]) => hasValue(value[key]) || options.issues.has(join(path, key)))}>
          {advanced.map(([key, prop]) => render(key, prop))}
        </MoreOptions>
      )}
    </>
  );
}

function MoreOptions({ startOpen, children }: { startOpen: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(startOpen);
  return (
    <details className="more-options" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>More options</summary>
      <div className="more-options-body">{children}</div>
    </details>
  );
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  path: string;
  onChange: (v: unknown) => void;
  /** Instead of the field's own label (an input inside a choice is named by it). */
  label?: string;
  /** Keep an emptied text as "" instead of removing the field (a chosen alternative stays chosen). */
  keepEmpty?: boolean;
}

/** A widget a field hint asks for by name, ahead of the one its schema type implies. */
function hintedWidget(props: FieldProps, label: string, ui: FieldUi | undefined): ReactNode {
  const { schema, value, path, required, onChange } = props;
  if (ui?.widget === 'condition') {
    return <ConditionField path={path} label={label} required={required} value={value} onChange={onChange} />;
  }
  // JSON that is not a string in the document: edited as text, saved parsed.
  if (ui?.language === 'json' && fieldKind(schema) === 'any') {
    return <JsonTextField {...props} label={label} ui={ui} />;
  }
  return null;
}

function Field(props: FieldProps) {
  const { name, schema, required, value, path, onChange, keepEmpty } = props;
  const { id, errors, choices, ui, touch, options } = useField(path);
  const kind = fieldKind(schema);
  const label = props.label ?? fieldLabel(name, schema, ui);
  const hintId = `${id}-hint`;
  const hint = schema.description;
  const change = (v: unknown) => {
    touch();
    onChange(v);
  };
  if (ui?.widget === 'event-types') {
    // The picker lists problems of its entries too (types[1]), once the field has been touched.
    const shown = !options.touched || options.touched.has(path);
    const all = shown ? listErrors(options.issues, path) : [];
    return <EventTypePicker id={id} label={label} hint={hint} value={asArray(value)} onChange={change} errors={all} />;
  }
  // Optional fields left empty are removed, so "" never counts as a given value.
  const setText = (v: string) => change(v === '' && !required && !keepEmpty ? undefined : v);

  const hinted = hintedWidget({ ...props, onChange: change }, label, ui);
  // CodeMirror is named by aria-label: a <label for> cannot point at it.
  const code = ui?.widget === 'expression';
  if (hinted) return hinted;

  switch (kind) {
    case 'boolean':
      return (
        <div className="field">
          <label className="toggle">
            <input
              id={id}
              type="checkbox"
              checked={value === undefined ? schema.default === true : value === true}
              onChange={(e) => change(e.target.checked)}
            />
            <span>{label}</span>
          </label>
          {hint && <span className="hint">{hint}</span>}
          <FieldErrors errors={errors} />
        </div>
      );
    case 'enum':
      return (
        <Labelled id={id} label={label} required={required} hint={hint} errors={errors} path={path}>
          <EnumSelect
            id={id}
            label={label}
            schema={schema}
            required={required}
            value={value}
            invalid={errors.length > 0}
            onChange={change}
          />
        </Labelled>
      );
    case 'number':
      return (
        <Labelled id={id} label={label} required={required} hint={hint} errors={errors} path={path}>
          <input
            id={id}
            type="number"
            value={typeof value === 'number' ? value : ''}
            placeholder={schema.default !== undefined ? String(schema.default) : undefined}
            min={schema.minimum}
            max={schema.maximum}
            onChange={(e) => change(e.target.value === '' ? undefined : Number(e.target.value))}
            aria-invalid={errors.length > 0 || undefined}
          />
        </Labelled>
      );
    case 'text':
    case 'any':
      return (
        <Labelled
          id={id}
          label={label}
          required={required}
          hint={hint}
          errors={errors}
          hintId={hintId}
          path={path}
          labelFor={!code}
        >
          <ExpressionInput
            id={id}
            field={path}
            value={textOf(value)}
            onChange={setText}
            widget={ui?.widget}
            {...(code ? { ariaLabel: label } : {})}
            language={ui?.language}
            invalid={errors.length > 0}
            required={required}
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
            onChange={change}
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
          onChange={change}
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
          onChange={change}
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

/**
 * A select shows what the config holds: a value that is none of the options (an empty required field)
 * shows "Choose…", never the first option it does not have; an unset field with a default shows the default.
 */
function EnumSelect({
  id,
  label,
  schema,
  required,
  value,
  invalid,
  onChange,
}: {
  id: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  invalid: boolean;
  onChange: (v: unknown) => void;
}) {
  const options = schema.enum!.map(String);
  const def = schema.default !== undefined ? String(schema.default) : undefined;
  const given = value !== undefined && options.includes(String(value)) ? String(value) : undefined;
  const shown = given ?? (value === undefined ? def : undefined) ?? '';
  return (
    <select
      id={id}
      value={shown}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      aria-invalid={invalid || undefined}
    >
      {shown === '' && <option value="">{required ? `Choose ${label.toLowerCase()}…` : '—'}</option>}
      {!required && shown !== '' && def === undefined && <option value="">—</option>}
      {options.map((opt) => (
        <option key={opt} value={opt}>
          {opt === def ? `${opt} (default)` : opt}
        </option>
      ))}
    </select>
  );
}

/** JSON edited as text, saved as the value it parses to. */
function JsonTextField(props: FieldProps & { label: string; ui: FieldUi }) {
  const { label, required, path, value, onChange, ui, schema } = props;
  const { id, errors } = useField(path);
  const hintId = `${id}-hint`;
  return (
    <Labelled
      id={id}
      label={label}
      required={required}
      hint={schema.description}
      hintId={hintId}
      errors={errors}
      path={path}
      labelFor={false}
    >
      <JsonField
        id={id}
        field={path}
        label={label}
        value={value}
        onChange={onChange}
        placeholder={ui.placeholder}
        describedBy={schema.description ? hintId : undefined}
      />
    </Labelled>
  );
}

/**
 * Alternatives of one object (a Switch case's equals / in / matches / expression) as one choice and one input;
 * only the chosen field is written, and switching carries the value over where it fits.
 */
function OneOfField({
  name,
  members,
  value,
  path,
  onChange,
}: {
  name: string;
  members: { key: string; schema: JsonSchema }[];
  value: Record<string, unknown>;
  path: string;
  onChange: (v: Record<string, unknown>) => void;
}) {
  const groupPath = join(path, name.toLowerCase());
  const { id, options, errorsAt } = useField(groupPath);
  const chosen = members.find((m) => value[m.key] !== undefined) ?? members[0]!;
  const memberPaths = members.map((m) => join(path, m.key));
  const errors = [...new Set(errorsAt(memberPaths))];
  const uiOf = (key: string) => options.fields?.[hintKey(join(path, key))];
  const dependents = (key: string) =>
    Object.keys(value).filter((k) => uiOf(k)?.with === key && members.every((m) => m.key !== k));
  const choose = (key: string) => {
    if (key === chosen.key) return;
    const current = value[chosen.key];
    let next: Record<string, unknown> = { ...value };
    for (const m of members) delete next[m.key];
    for (const d of dependents(chosen.key)) delete next[d];
    const target = members.find((m) => m.key === key)!;
    const kind = fieldKind(target.schema);
    const carried =
      current === undefined
        ? undefined
        : kind === 'valueList'
          ? Array.isArray(current)
            ? current
            : [current]
          : Array.isArray(current)
            ? current[0]
            : current;
    // An unset choice is written empty, so the choice sticks while its value is typed.
    next = { ...next, [key]: carried ?? (kind === 'valueList' ? [] : '') };
    onChange(next);
  };
  const selectId = `${id}-choice`;
  return (
    <fieldset className="field one-of" data-path={memberPaths.join(' ')}>
      <legend>{name}</legend>
      <div className="one-of-row">
        <select id={selectId} aria-label={`${name} kind`} value={chosen.key} onChange={(e) => choose(e.target.value)}>
          {members.map((m) => (
            <option key={m.key} value={m.key}>
              {fieldLabel(m.key, m.schema, uiOf(m.key))}
            </option>
          ))}
        </select>
        <div className="one-of-input">
          <Field
            name={chosen.key}
            label={`${name}: ${fieldLabel(chosen.key, chosen.schema, uiOf(chosen.key))}`}
            keepEmpty={chosen !== members[0]}
            schema={chosen.schema}
            required={false}
            value={value[chosen.key]}
            path={join(path, chosen.key)}
            onChange={(v) => onChange(withKey(value, chosen.key, v))}
          />
        </div>
      </div>
      <FieldErrors errors={errors.filter((e) => !(options.issues.get(join(path, chosen.key)) ?? []).includes(e))} />
    </fieldset>
  );
}

function Labelled({
  id,
  label,
  required,
  hint,
  hintId,
  errors,
  children,
  path,
  labelFor = true,
}: {
  id: string;
  label: string;
  required: boolean;
  hint?: string | undefined;
  hintId?: string;
  errors: readonly string[];
  children: ReactNode;
  /** The config path, so that leaving the field marks it touched. */
  path?: string;
  /** False where the control is not a native input (CodeMirror names itself). */
  labelFor?: boolean;
}) {
  return (
    <div className="field" data-path={path}>
      {labelFor ? (
        <label htmlFor={id}>
          {label}
          {required && <Req />}
        </label>
      ) : (
        <span className="field-label">
          {label}
          {required && <Req />}
        </span>
      )}
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

function Req() {
  return (
    <span className="req" aria-hidden="true">
      {' '}
      *
    </span>
  );
}

export function FieldErrors({ errors }: { errors: readonly string[] }) {
  if (!errors.length) return null;
  return (
    <ul className="field-errors">
      {[...new Set(errors)].map((e) => (
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
            <span>{breakable(c)}</span>
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
            ariaLabel={`${label} ${i + 1}`}
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
  const { options } = useField(path);
  const single = singular(label);
  const lower = single.toLowerCase();
  // Fields whose id is made from a sibling's value (a case's output name from what it equals).
  const idFields = Object.keys(schema.properties ?? {}).flatMap((key) => {
    const spec = options.fields?.[`${hintKey(path)}.${key}`]?.idFrom;
    return spec ? [{ key, spec }] : [];
  });
  const takenBut = (key: string, except: number) =>
    new Set(value.flatMap((x, j) => (j === except ? [] : [String(asRecord(x)[key] ?? '')])).filter(Boolean));
  const add = () => {
    const item = emptyItem(schema);
    for (const { key, spec } of idFields) item[key] = fallbackId(spec, takenBut(key, -1));
    onChange([...value, item]);
  };
  const changeItem = (i: number, next: Record<string, unknown>) => {
    let item = next;
    for (const { key, spec } of idFields) item = followId(key, spec, asRecord(value[i]), item, takenBut(key, i));
    onChange(value.map((x, j) => (j === i ? item : x)));
  };
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
        <fieldset key={i} className="object-item" aria-label={`${single} ${i + 1}`}>
          <div className="object-item-head">
            <span className="muted">
              {single} {i + 1}
            </span>
            <span className="row">
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Move ${lower} ${i + 1} up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Move ${lower} ${i + 1} down`}
                disabled={i === value.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Remove ${lower} ${i + 1}`}
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
            onChange={(v) => changeItem(i, v)}
          />
        </fieldset>
      ))}
      <button type="button" className="btn small" onClick={add}>
        Add {lower}
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
          <div className="kv-key-row">
            <input
              aria-label={`${label} name ${i + 1}`}
              className="kv-key"
              value={k}
              onChange={(e) => rename(k, e.target.value)}
              spellCheck={false}
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
          <ExpressionInput
            id={`${id}-v${i}`}
            field={join(path, k)}
            value={textOf(v)}
            onChange={(nv) => onChange({ ...value, [k]: nv })}
            ariaLabel={`${label} value ${i + 1}`}
          />
        </div>
      ))}
      <button type="button" className="btn small" onClick={add}>
        Add field
      </button>
      <FieldErrors errors={errors} />
    </fieldset>
  );
}

/** `payment_action_required` may wrap after each `_` (and `.`), not inside a word. */
function breakable(text: string): ReactNode {
  const parts = text.split(/(?<=[_.])/);
  return parts.map((p, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: fixed pieces of one string
    <span key={i}>
      {p}
      {i < parts.length - 1 && <wbr />}
    </span>
  ));
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
