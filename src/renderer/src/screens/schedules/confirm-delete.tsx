import { useEffect, useRef, useState } from 'react';

interface ConfirmDeleteProps {
  /** What is deleted, as the grower named it: "schedule Morning feed". */
  what: string;
  /** Resolves with the station's refusal, or null once it is gone. */
  onDelete: () => Promise<string | null>;
  disabled?: boolean;
}

/**
 * Delete asks once more, in place: a schedule or recipe that doses is not something to lose to
 * a stray tap on a phone. "Keep" takes the focus, so Enter on a second press does not delete.
 */
export function ConfirmDelete({ what, onDelete, disabled }: ConfirmDeleteProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keep = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const refusal = await onDelete();
    setBusy(false);
    if (refusal !== null) setError(refusal);
    else setAsking(false);
  };

  return (
    <span className="confirm-delete">
      {asking ? (
        <span role="group" aria-label={`Confirm deleting ${what}`} className="confirm-ask">
          <span>Delete {what}?</span>
          <button type="button" className="danger" disabled={disabled || busy} onClick={() => void confirm()}>
            Yes, delete
          </button>
          <button type="button" ref={keep} disabled={busy} onClick={() => setAsking(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="danger-quiet" aria-label={`Delete ${what}`} disabled={disabled} onClick={() => setAsking(true)}>
          Delete
        </button>
      )}
      {error && (
        <span role="alert" className="field-problem">
          {error}
        </span>
      )}
    </span>
  );
}
