import type { RunStage } from './calibration-maths';

interface RunStatusProps {
  stage: RunStage;
  /** "Pump run", "Calibration fill": what the progress bar is named. */
  what: string;
  readOnly: boolean;
  stopping: boolean;
  onStop: () => void;
  onRestart: () => void;
}

/** The part of a calibration wizard that is the same for pumps and flow meters: the run itself. */
export function RunStatus({ stage, what, readOnly, stopping, onStop, onRestart }: RunStatusProps) {
  if (stage.stage === 'running') {
    return (
      <div className="wizard-run">
        <progress max={1} value={stage.progress} aria-label={`${what} progress`} />
        <button type="button" className="danger-quiet" disabled={readOnly || stopping} onClick={onStop}>
          Stop the {what.toLowerCase()}
        </button>
      </div>
    );
  }
  if (stage.stage === 'measured') return null;
  return (
    <div className="wizard-run">
      <p className="field-problem" role="alert">
        {stage.stage === 'gone' ? 'The station no longer lists this run among its recent jobs; run it again.' : `The ${what.toLowerCase()} did not finish: ${stage.why}`}
      </p>
      <button type="button" aria-label={`Start the ${what.toLowerCase()} over`} disabled={readOnly} onClick={onRestart}>
        Start over
      </button>
    </div>
  );
}
