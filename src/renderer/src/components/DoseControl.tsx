import { useId, useRef, useState } from 'react';
import type { Channel } from '../../../shared/station';
import { ConfirmStep } from './ConfirmStep';
import { useStationStore } from '../store';
import { checkDoseVolume, doseCapHint, doseQuestion } from './dose-volume';
import { useCommand, useSendingNote } from './use-command';
import { useViewOnly, VIEW_ONLY_HINT } from './view-only';

/**
 * A manual dose: the volume is checked as it is typed, then read back as a question before
 * anything is sent. Dosing is the one action here that cannot be undone.
 */
export function DoseControl({ pump }: { pump: Channel }) {
  const viewOnly = useViewOnly();
  const [text, setText] = useState('');
  const [asking, setAsking] = useState<number | null>(null);
  const sendingNote = useSendingNote();
  const { send, sending, refusal, dismiss } = useCommand();
  const input = useRef<HTMLInputElement>(null);
  const problemId = useId();
  const hintId = useId();
  const limits = useStationStore((s) => s.station?.limits ?? null);
  const check = checkDoseVolume(text, pump, limits);
  const hint = doseCapHint(pump, limits);
  const showProblem = text.trim() !== '' && !check.ok;

  const backToInput = () => {
    setAsking(null);
    // After the question closes, the grower carries on where they were typing.
    requestAnimationFrame(() => input.current?.focus());
  };

  const confirm = async (ml: number) => {
    const ack = await send({ type: 'pump.dose', pumpId: pump.id, ml });
    setAsking(null);
    if (ack.ok) setText('');
    else requestAnimationFrame(() => input.current?.focus());
  };

  return (
    <div className="dose">
      <form
        className="dose-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (check.ok) {
            dismiss();
            setAsking(check.ml);
          }
        }}
      >
        <input
          ref={input}
          className="dose-ml"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          aria-label={`${pump.name} dose in mL`}
          aria-invalid={showProblem || undefined}
          aria-describedby={showProblem ? problemId : hint ? hintId : undefined}
          value={text}
          disabled={viewOnly || asking !== null}
          title={viewOnly ? VIEW_ONLY_HINT : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <span className="dose-unit" aria-hidden="true">
          mL
        </span>
        <button type="submit" aria-label={`Dose ${pump.name}`} disabled={viewOnly || !check.ok || asking !== null}>
          Dose…
        </button>
      </form>
      {showProblem ? (
        <p className="field-problem" id={problemId}>
          {check.problem}
        </p>
      ) : (
        hint && (
          <p className="field-hint dose-cap" id={hintId}>
            {hint}
          </p>
        )
      )}
      {asking !== null && (
        <ConfirmStep
          question={doseQuestion(asking, pump.name)}
          confirmLabel="Confirm dose"
          cancelLabel="Don't dose"
          sending={sending}
          sendingNote={sendingNote}
          onConfirm={() => void confirm(asking)}
          onCancel={backToInput}
        />
      )}
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
