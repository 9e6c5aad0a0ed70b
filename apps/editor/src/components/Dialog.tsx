import { type ReactNode, useEffect, useRef } from 'react';

/** What gets the focus when a dialog opens: a field marked for it, else the first field, else the first control. */
const INITIAL_FOCUS = ['[data-autofocus]', 'input:not([type="hidden"]), select, textarea', 'button, [href]'];

/**
 * A modal on the native <dialog>: focus trap, Escape to close and the backdrop come from the browser. Opening
 * focuses the body (its `data-autofocus` element or first field), not the close button, so typing goes into
 * the form and Enter submits it; the close button comes last in the tab order.
 */
export function Dialog({
  title,
  open,
  onClose,
  children,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      for (const selector of INITIAL_FOCUS) {
        const target = body.current?.querySelector<HTMLElement>(selector);
        if (target) {
          target.focus();
          break;
        }
      }
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={wide ? 'dialog wide' : 'dialog'} onClose={onClose} aria-label={title}>
      {open && (
        <>
          <header className="dialog-head">
            <h2>{title}</h2>
          </header>
          <div className="dialog-body" ref={body}>
            {children}
          </div>
          <button type="button" className="btn ghost icon dialog-close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </>
      )}
    </dialog>
  );
}
