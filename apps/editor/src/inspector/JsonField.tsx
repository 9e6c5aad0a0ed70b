/**
 * A JSON value edited as text in CodeMirror: what is saved is the parsed value, so objects stay objects and
 * `null` stays `null`; `{{ }}` templates live inside its string values. Text that does not parse shows a
 * plain error and leaves the last valid value saved.
 */
import { useEffect, useRef, useState } from 'react';
import { CodeEditor } from './CodeEditor.js';
import { useExpressionEnv } from './ExpressionContext.js';
import { jsonTextOf, parseJsonText } from './jsonText.js';
import { formatPreview, type PreviewResult, previewValue } from './preview.js';

interface Props {
  id: string;
  /** Config path, for preview errors. */
  field: string;
  label: string;
  value: unknown;
  /** undefined: the field was emptied. */
  onChange: (value: unknown) => void;
  placeholder?: string | undefined;
  describedBy?: string | undefined;
}

export function JsonField({ id, field, label, value, onChange, placeholder, describedBy }: Props) {
  const env = useExpressionEnv();
  const [text, setText] = useState(() => jsonTextOf(value));
  const [error, setError] = useState<string | null>(null);
  // The value this text last saved: a different one came from outside (undo, another node) and replaces the text.
  const saved = useRef<string>(JSON.stringify(value) ?? '');
  useEffect(() => {
    const key = JSON.stringify(value) ?? '';
    if (key === saved.current) return;
    saved.current = key;
    setText(jsonTextOf(value));
    setError(null);
  }, [value]);

  const edit = (next: string) => {
    setText(next);
    const parsed = parseJsonText(next);
    if (!parsed.ok) return setError(parsed.message);
    setError(null);
    const v = 'empty' in parsed ? undefined : parsed.value;
    saved.current = JSON.stringify(v) ?? '';
    onChange(v);
  };

  const errorId = `${id}-json-error`;
  // A body saved before JSON fields held values: text of JSON, which would be sent as one JSON string.
  const encoded = typeof value === 'string' ? parseJsonText(value) : null;
  const decodable = encoded?.ok && 'value' in encoded && typeof encoded.value === 'object' && encoded.value !== null;
  return (
    <div className="json-field">
      <CodeEditor
        id={id}
        label={label}
        value={text}
        onChange={edit}
        language="json"
        paths={env.templates ? env.paths : undefined}
        placeholder={placeholder ?? '{ "customer": "{{ context.event.object.customer }}" }'}
        invalid={error !== null}
        describedBy={[describedBy, error ? errorId : undefined].filter(Boolean).join(' ') || undefined}
      />
      {decodable && (
        <p className="preview warn">
          This is saved as text, so it is sent as one JSON string.{' '}
          <button type="button" className="btn small" onClick={() => onChange((encoded as { value: unknown }).value)}>
            Send it as JSON
          </button>
        </p>
      )}
      {env.templates && <JsonPreview value={value} field={field} />}
      {error && (
        <p className="field-error" id={errorId} role="status">
          {error} The last valid value is kept.
        </p>
      )}
    </div>
  );
}

/** What the body becomes for the event in view, once its `{{ }}` values are rendered. */
function JsonPreview({ value, field }: { value: unknown; field: string }) {
  const { context } = useExpressionEnv();
  const [result, setResult] = useState<PreviewResult>({ kind: 'none' });
  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      void previewValue(value, context, field).then((r) => live && setResult(r));
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [value, context, field]);
  if (result.kind === 'none') return null;
  return (
    <output className={`preview ${result.kind}`} aria-live="polite">
      {result.kind === 'value' ? <>= {formatPreview(result.value)}</> : result.kind === 'error' ? result.message : null}
    </output>
  );
}
