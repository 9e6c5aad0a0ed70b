/**
 * If / Filter conditions without writing JSONata: rows of field (from the sample event's paths), operator and
 * value, joined by all / any, written as the `{{ }}` expression the node evaluates. An expression the builder
 * did not write stays raw, with a note; the raw editor is always one click away.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  CONDITION_OPS,
  type Condition,
  type ConditionOp,
  type ConditionRow,
  needsValue,
  parseCondition,
  patternProblem,
  toExpression,
} from './conditions.js';
import { useExpressionEnv } from './ExpressionContext.js';
import { ExpressionInput } from './ExpressionInput.js';

interface Props {
  path: string;
  label: string;
  required: boolean;
  value: unknown;
  onChange: (v: unknown) => void;
}

const EMPTY_ROW: ConditionRow = { path: '', op: 'eq', value: '' };

export function ConditionField({ path, label, required, value, onChange }: Props) {
  const parsed = useMemo(() => parseCondition(value), [value]);
  const [raw, setRaw] = useState(parsed === null);
  const [cond, setCond] = useState<Condition>(() => withRow(parsed ?? { join: 'all', rows: [] }));
  // What the builder last wrote: anything else arriving (undo, a paste in raw mode) is read again.
  const wrote = useRef<unknown>(value);
  useEffect(() => {
    if (value === wrote.current) return;
    wrote.current = value;
    const p = parseCondition(value);
    if (p) setCond(withRow(p));
    else setRaw(true);
  }, [value]);

  const write = (next: Condition) => {
    setCond(next);
    const expr = toExpression(next);
    wrote.current = expr === '' && !required ? undefined : expr;
    onChange(wrote.current);
  };
  const id = useId();
  const canBuild = parsed !== null;

  return (
    <fieldset className="field condition" data-path={path}>
      <legend>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </legend>
      <div className="condition-mode">
        <button
          type="button"
          aria-pressed={!raw}
          className={`btn small${raw ? ' ghost' : ''}`}
          disabled={!canBuild}
          title={canBuild ? undefined : 'This expression was not made with the builder'}
          onClick={() => setRaw(false)}
        >
          Builder
        </button>
        <button
          type="button"
          aria-pressed={raw}
          className={`btn small${raw ? '' : ' ghost'}`}
          onClick={() => setRaw(true)}
        >
          Expression
        </button>
      </div>
      {raw ? (
        <>
          {!canBuild && (
            <p className="muted small">
              The builder cannot show this expression, so it stays as written. Clear it to start over with the builder.
            </p>
          )}
          <ExpressionInput
            id={`${id}-raw`}
            field={path}
            value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
            onChange={(v) => {
              wrote.current = v === '' && !required ? undefined : v;
              onChange(wrote.current);
              const p = parseCondition(v);
              if (p) setCond(withRow(p));
            }}
            required={required}
            widget="expression"
            ariaLabel={`${label} expression`}
            placeholder="{{ context.event.object.amount_paid > 0 }}"
          />
        </>
      ) : (
        <Builder id={id} label={label} cond={cond} onChange={write} fieldPath={path} />
      )}
    </fieldset>
  );
}

function withRow(c: Condition): Condition {
  return c.rows.length ? c : { ...c, rows: [EMPTY_ROW] };
}

function Builder({
  id,
  label,
  cond,
  onChange,
  fieldPath,
}: {
  id: string;
  label: string;
  cond: Condition;
  onChange: (c: Condition) => void;
  fieldPath: string;
}) {
  const env = useExpressionEnv();
  // Values to compare, not containers: objects and lists are left out of the picker.
  const fields = useMemo(
    () => env.paths.filter((p) => p.preview !== 'object' && !p.preview.startsWith('array(')),
    [env.paths],
  );
  const listId = `${id}-paths`;
  const setRow = (i: number, row: ConditionRow) =>
    onChange({ ...cond, rows: cond.rows.map((r, j) => (j === i ? row : r)) });
  const expression = toExpression(cond);
  return (
    <div className="condition-builder">
      <datalist id={listId}>
        {fields.map((p) => (
          <option key={p.path} value={p.path}>
            {p.preview}
          </option>
        ))}
      </datalist>
      {cond.rows.length > 1 && (
        <label className="condition-join">
          <span>Match</span>
          <select
            aria-label={`${label} match`}
            value={cond.join}
            onChange={(e) => onChange({ ...cond, join: e.target.value as Condition['join'] })}
          >
            <option value="all">all of these</option>
            <option value="any">any of these</option>
          </select>
        </label>
      )}
      {cond.rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional; keying by content would remount while typing
        <fieldset key={i} className="condition-row" aria-label={`Rule ${i + 1}`}>
          <input
            className="condition-path"
            aria-label={`Rule ${i + 1} field`}
            list={listId}
            value={row.path}
            placeholder="context.event.object.status"
            spellCheck={false}
            onChange={(e) => setRow(i, { ...row, path: e.target.value.trim() })}
          />
          <div className="condition-op-row">
            <select
              aria-label={`Rule ${i + 1} operator`}
              value={row.op}
              onChange={(e) => setRow(i, { ...row, op: e.target.value as ConditionOp })}
            >
              {CONDITION_OPS.map((o) => (
                <option key={o.op} value={o.op}>
                  {o.label}
                </option>
              ))}
            </select>
            {needsValue(row.op) && (
              <input
                aria-label={`Rule ${i + 1} value`}
                aria-describedby={
                  row.op === 'matches' && patternProblem(row.value) ? `${id}-rule${i}-problem` : undefined
                }
                value={row.value}
                placeholder={row.op === 'matches' ? '^in_' : 'paid'}
                spellCheck={false}
                onChange={(e) => setRow(i, { ...row, value: e.target.value })}
              />
            )}
            <button
              type="button"
              className="btn ghost icon"
              aria-label={`Remove rule ${i + 1}`}
              disabled={cond.rows.length === 1}
              onClick={() => onChange({ ...cond, rows: cond.rows.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
          {row.op === 'matches' && <PatternProblem id={`${id}-rule${i}-problem`} pattern={row.value} />}
          {row.path && <RowPreview path={row.path} field={fieldPath} />}
        </fieldset>
      ))}
      <button
        type="button"
        className="btn small"
        onClick={() => onChange({ ...cond, rows: [...cond.rows, EMPTY_ROW] })}
      >
        Add rule
      </button>
      {expression && (
        <p className="condition-expr muted small">
          Writes <code>{expression}</code>
        </p>
      )}
    </div>
  );
}

/** A pattern the engine would refuse, said while it is typed rather than at save. */
function PatternProblem({ id, pattern }: { id: string; pattern: string }) {
  const problem = useMemo(() => patternProblem(pattern), [pattern]);
  if (!problem) return null;
  return (
    <p className="field-error" id={id} role="status">
      {problem}
    </p>
  );
}

/** The field's value in the sample (or the run shown), so the user sees what they compare. */
function RowPreview({ path }: { path: string; field: string }) {
  const env = useExpressionEnv();
  const hit = env.paths.find((p) => p.path === path);
  if (!hit) return null;
  return <span className="muted small condition-sample">now {hit.preview}</span>;
}
