import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ConfirmStepProps {
  /** The question, read back in full: "Dose 5 mL with Nutrient A?". */
  question: string;
  /** What confirming does, when the question alone does not say. */
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  sending?: boolean;
  /** Said while the answer is awaited; offline, that wait can be long, and the grower should know why. */
  sendingNote?: string;
  disabled?: boolean;
}

/**
 * A second step in place, rather than a modal: a modal would make the rest of the page inert,
 * and the emergency stop must stay within reach while anyone is making up their mind. Focus
 * goes to the question, not the confirm button, so a second Enter cannot confirm unread.
 */
export function ConfirmStep({ question, children, confirmLabel, cancelLabel, onConfirm, onCancel, sending, sendingNote = 'Sending…', disabled }: ConfirmStepProps) {
  const questionId = useId();
  const explanationId = useId();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    box.current?.focus();
  }, []);

  return (
    <div
      ref={box}
      className="confirm-step"
      role="dialog"
      aria-modal="false"
      aria-labelledby={questionId}
      aria-describedby={children ? explanationId : undefined}
      tabIndex={-1}
      onKeyDown={(event) => {
        // Plain Escape backs out; Shift+Escape is the emergency stop and is left to it.
        if (event.key === 'Escape' && !event.shiftKey) {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <p className="confirm-question" id={questionId}>
        {question}
      </p>
      {children && (
        <p className="confirm-explanation" id={explanationId}>
          {children}
        </p>
      )}
      <div className="confirm-actions">
        <button type="button" className="primary" onClick={onConfirm} disabled={disabled || sending} aria-busy={sending || undefined}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={sending}>
          {cancelLabel}
        </button>
      </div>
      {sending && (
        <p className="confirm-sending" role="status">
          {sendingNote}
        </p>
      )}
    </div>
  );
}
