import { useRef, useState } from 'react';
import { ConfirmStep } from './ConfirmStep';
import { useCommand, useSendingNote } from './use-command';
import { useViewOnly, VIEW_ONLY_HINT } from './view-only';

/**
 * Resetting the stop only lets the controller act again. It switches nothing on and resumes no
 * job; the confirmation says so, because a grower may expect the station to carry on.
 */
export function EmergencyStopReset() {
  const viewOnly = useViewOnly();
  const [asking, setAsking] = useState(false);
  const sendingNote = useSendingNote();
  const { send, sending, refusal } = useCommand();
  const trigger = useRef<HTMLButtonElement>(null);

  const keepStopped = () => {
    setAsking(false);
    requestAnimationFrame(() => trigger.current?.focus());
  };

  const reset = async () => {
    const ack = await send({ type: 'estop.reset' });
    if (!ack.ok) keepStopped();
    // On success the latched banner, and this with it, goes away with the station's next state.
  };

  return (
    <div className="estop-reset">
      {asking ? (
        <ConfirmStep
          question="Reset the emergency stop?"
          confirmLabel="Confirm reset"
          cancelLabel="Keep stopped"
          sending={sending}
          sendingNote={sendingNote}
          onConfirm={() => void reset()}
          onCancel={keepStopped}
        >
          The controller will accept commands again. Every output stays off until someone or a job switches it on, and the jobs
          that were stopped do not resume: check the tanks, then start again what is still needed.
        </ConfirmStep>
      ) : (
        <button ref={trigger} type="button" className="primary" disabled={viewOnly} title={viewOnly ? VIEW_ONLY_HINT : undefined} onClick={() => setAsking(true)}>
          Reset
        </button>
      )}
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
