import type { FieldUi } from '@switchyard/engine';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { CodeEditor } from './CodeEditor.js';
import { applySuggestion, openExpressionAt, type PathSuggestion, suggest } from './contextPaths.js';
import { useExpressionEnv } from './ExpressionContext.js';
import { formatPreview, type PreviewResult, previewTemplate } from './preview.js';

interface Props {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Field path for error messages, e.g. `cases[0].equals`. */
  field: string;
  /** From the node definition's field hint: a text area, a code area or a masked input; default one line. */
  widget?: FieldUi['widget'] | undefined;
  /** For `code`: what the text is, e.g. `json`. */
  language?: string | undefined;
  placeholder?: string | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
  /** A required field: a preview of null or nothing is a warning, not a value. */
  required?: boolean;
  /** Where no <label> names the input. */
  ariaLabel?: string;
}

/** A text field that knows `{{ }}`: path completion from the sample event and a live preview. */
export function ExpressionInput({
  id,
  value,
  onChange,
  field,
  widget,
  language,
  placeholder,
  invalid,
  describedBy,
  required = false,
  ariaLabel,
}: Props) {
  if (widget === 'expression' || widget === 'condition')
    return (
      <ExpressionCode
        id={id}
        value={value}
        onChange={onChange}
        field={field}
        placeholder={placeholder}
        invalid={invalid}
        describedBy={describedBy}
        required={required}
        ariaLabel={ariaLabel}
      />
    );
  return (
    <PlainExpressionInput
      id={id}
      value={value}
      onChange={onChange}
      field={field}
      widget={widget}
      language={language}
      placeholder={placeholder}
      invalid={invalid}
      describedBy={describedBy}
      required={required}
      ariaLabel={ariaLabel}
    />
  );
}

/**
 * A field that is one expression: one line of CodeMirror, `{{ }}` paths completed from the event, the preview
 * below. Loaded on demand with the rest of CodeMirror.
 */
function ExpressionCode({
  id,
  value,
  onChange,
  field,
  placeholder,
  invalid,
  describedBy,
  required = false,
  ariaLabel,
}: Omit<Props, 'widget' | 'language'>) {
  const env = useExpressionEnv();
  const previewId = useId();
  return (
    <div className="expr">
      <CodeEditor
        id={id}
        value={value}
        onChange={onChange}
        singleLine
        paths={env.templates ? env.paths : undefined}
        placeholder={placeholder}
        invalid={invalid}
        describedBy={[describedBy, previewId].filter(Boolean).join(' ') || undefined}
        label={ariaLabel}
      />
      {env.templates && <Preview id={previewId} text={value} field={field} required={required} />}
    </div>
  );
}

function PlainExpressionInput({
  id,
  value,
  onChange,
  field,
  widget,
  language,
  placeholder,
  invalid,
  describedBy,
  required = false,
  ariaLabel,
}: Props) {
  const env = useExpressionEnv();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [open, setOpen] = useState<{ fragment: string; start: number; caret: number } | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const previewId = useId();
  const items: PathSuggestion[] = open && env.templates ? suggest(env.paths, open.fragment) : [];

  const refresh = (text: string, caret: number | null) => {
    if (!env.templates || caret === null) return setOpen(null);
    const at = openExpressionAt(text, caret);
    setOpen(at ? { ...at, caret } : null);
    setActive(0);
  };

  const accept = (s: PathSuggestion) => {
    if (!open) return;
    const next = applySuggestion(value, open.start, open.caret, s.path);
    onChange(next.text);
    setOpen(null);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!items.length) return;
    if (e.key === 'ArrowDown') setActive((a) => (a + 1) % items.length);
    else if (e.key === 'ArrowUp') setActive((a) => (a - 1 + items.length) % items.length);
    else if (e.key === 'Enter' || e.key === 'Tab') accept(items[active] ?? items[0]!);
    else if (e.key === 'Escape') setOpen(null);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const common = {
    id,
    ref,
    value,
    placeholder,
    spellCheck: false,
    'aria-label': ariaLabel,
    autoComplete: 'off',
    'aria-invalid': invalid || undefined,
    'aria-describedby': [describedBy, previewId].filter(Boolean).join(' ') || undefined,
    'aria-autocomplete': env.templates ? ('list' as const) : undefined,
    'aria-controls': items.length ? listId : undefined,
    'aria-expanded': env.templates ? items.length > 0 : undefined,
    'aria-activedescendant': items.length ? `${listId}-${active}` : undefined,
    role: env.templates ? 'combobox' : undefined,
    className: widget === 'code' ? 'expr-input code' : 'expr-input',
    onChange: (e: { target: { value: string; selectionStart: number | null } }) => {
      onChange(e.target.value);
      refresh(e.target.value, e.target.selectionStart);
    },
    onKeyDown,
    onBlur: () => window.setTimeout(() => setOpen(null), 150),
  };

  return (
    <div className="expr">
      {widget === 'code' ? (
        <textarea rows={6} data-language={language} {...common} />
      ) : widget === 'multiline' ? (
        <textarea rows={3} {...common} />
      ) : (
        <input type={widget === 'secret' ? 'password' : 'text'} {...common} />
      )}
      {items.length > 0 && (
        // The ARIA combobox pattern: focus stays in the input, which points at the active option.
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a list of options is a listbox
        <ul className="suggestions" role="listbox" id={listId} aria-label="Expression paths">
          {items.map((s, i) => (
            // biome-ignore lint/a11y/useFocusableInteractive: options are reached by aria-activedescendant, not focus
            <li
              key={s.path}
              id={`${listId}-${i}`}
              // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: see the listbox above
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
            >
              <code>{s.path}</code>
              <span className="muted">{s.preview}</span>
            </li>
          ))}
        </ul>
      )}
      {env.templates && <Preview id={previewId} text={value} field={field} required={required} />}
    </div>
  );
}

function Preview({ id, text, field, required }: { id: string; text: string; field: string; required: boolean }) {
  const { context } = useExpressionEnv();
  const [result, setResult] = useState<PreviewResult>({ kind: 'none' });
  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      void previewTemplate(text, context, field, { required }).then((r) => live && setResult(r));
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [text, context, field, required]);
  if (result.kind === 'none') return <span id={id} hidden />;
  return (
    <output id={id} className={`preview ${result.kind}`} aria-live="polite">
      {result.kind === 'value' ? (
        <>= {formatPreview(result.value)}</>
      ) : result.kind === 'warn' ? (
        <>
          = {formatPreview(result.value)} · {result.message}
        </>
      ) : (
        result.message
      )}
    </output>
  );
}
