/**
 * The generic trigger's `types` (a node field whose hint is `widget: 'event-types'`): chosen types and wildcards
 * as removable chips, and a search over the catalogue of Stripe event types the engine takes from stripe-node.
 * Typing `payout` offers `payout.*` (with how many types it covers) and each `payout.…` type. Entries the engine
 * refuses at save (a typo kept from an import) stay visible as chips, with the engine's message under the field.
 */
import { searchEventTypes } from '@switchyard/engine';
import { type KeyboardEvent, useMemo, useState } from 'react';

export interface EventTypePickerProps {
  id: string;
  label: string;
  hint?: string | undefined;
  value: readonly unknown[];
  onChange: (next: string[]) => void;
  errors: readonly string[];
}

const MAX_SUGGESTIONS = 30;

/** The messages of a list field and of its items (`types`, `types[1]`), as the picker shows them together. */
export function listErrors(issues: ReadonlyMap<string, readonly string[]>, path: string): string[] {
  return [...issues].filter(([p]) => p === path || p.startsWith(`${path}[`)).flatMap(([, messages]) => messages);
}

export function EventTypePicker({ id, label, hint, value, onChange, errors }: EventTypePickerProps) {
  const chosen = value.map(String);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = `${id}-types`;
  const inputId = `${id}-search`;
  const chosenKey = chosen.join('\n');
  const suggestions = useMemo(() => {
    if (!query.trim()) return [];
    const taken = new Set(chosenKey.split('\n'));
    return searchEventTypes(query, MAX_SUGGESTIONS + taken.size)
      .filter((s) => !taken.has(s.pattern))
      .slice(0, MAX_SUGGESTIONS);
  }, [query, chosenKey]);

  const add = (pattern: string) => {
    if (!chosen.includes(pattern)) onChange([...chosen, pattern]);
    setQuery('');
    setActive(0);
  };
  const remove = (pattern: string) => onChange(chosen.filter((p) => p !== pattern));

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Backspace' && query === '' && chosen.length) {
      remove(chosen.at(-1)!);
    } else if (!suggestions.length) {
      return;
    } else if (e.key === 'ArrowDown') setActive((a) => (a + 1) % suggestions.length);
    else if (e.key === 'ArrowUp') setActive((a) => (a - 1 + suggestions.length) % suggestions.length);
    else if (e.key === 'Enter') add((suggestions[active] ?? suggestions[0]!).pattern);
    else if (e.key === 'Escape') setQuery('');
    else return;
    e.preventDefault();
  };

  return (
    <fieldset className="field event-types" id={id}>
      <legend>{label}</legend>
      {hint && <span className="hint">{hint}</span>}
      {chosen.length > 0 ? (
        <ul className="chips" aria-label="Chosen event types">
          {chosen.map((pattern) => (
            <li key={pattern} className="chip">
              <code>{pattern}</code>
              <button
                type="button"
                className="btn ghost icon"
                aria-label={`Remove ${pattern}`}
                onClick={() => remove(pattern)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No event type chosen yet.</p>
      )}
      <div className="expr">
        <input
          id={inputId}
          type="text"
          className="expr-input"
          role="combobox"
          aria-label={`Search ${label.toLowerCase()}`}
          aria-autocomplete="list"
          aria-expanded={suggestions.length > 0}
          aria-controls={suggestions.length ? listId : undefined}
          aria-activedescendant={suggestions.length ? `${listId}-${active}` : undefined}
          aria-invalid={errors.length > 0 || undefined}
          placeholder="Search Stripe event types, e.g. payout"
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => window.setTimeout(() => setQuery(''), 150)}
        />
        {suggestions.length > 0 && (
          // The ARIA combobox pattern: focus stays in the input, which points at the active option.
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a list of options is a listbox
          <ul className="suggestions" role="listbox" id={listId} aria-label="Stripe event types">
            {suggestions.map((s, i) => (
              // biome-ignore lint/a11y/useFocusableInteractive: options are reached by aria-activedescendant, not focus
              <li
                key={s.pattern}
                id={`${listId}-${i}`}
                // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: see the listbox above
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(s.pattern);
                }}
              >
                <code>{s.pattern}</code>
                {s.pattern.endsWith('.*') && (
                  <span className="muted">
                    {s.covers} {s.covers === 1 ? 'type' : 'types'}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      {errors.length > 0 && (
        <ul className="field-errors">
          {errors.map((e) => (
            <li key={e} className="field-error">
              {e}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
