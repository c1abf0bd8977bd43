/**
 * The last step of a calibration wizard, the same for a pump and a flow meter: the figure the
 * measurement gives, the confirmation a far-off figure needs, save or start over, and the
 * station's refusal if it has one.
 */
export interface SaveMeasurementProps {
  /** The new figure, or null while the measurement is missing or not a number. */
  result: number | null;
  unit: string;
  /** How far it is from the figure in use, e.g. "+12%"; empty when there is none. */
  change: string;
  confirmNeeded: boolean;
  confirmed: boolean;
  onConfirmed(confirmed: boolean): void;
  /** "pump" or "flow meter", for the buttons' names. */
  what: string;
  saving: boolean;
  refusal: string | null;
  onSave(): void;
  onStartOver(): void;
}

export function SaveMeasurement({ result, unit, change, confirmNeeded, confirmed, onConfirmed, what, saving, refusal, onSave, onStartOver }: SaveMeasurementProps) {
  return (
    <>
      {result !== null && (
        <p className="wizard-result" aria-live="polite">
          = {result} {unit}
          {change ? `, ${change}` : ''}
        </p>
      )}
      {confirmNeeded && (
        <label className="check">
          <input type="checkbox" checked={confirmed} onChange={(event) => onConfirmed(event.target.checked)} />
          The measurement is right: save it although it is far from the current figure
        </label>
      )}
      <div className="editor-actions">
        <button type="button" className="primary" disabled={result === null || (confirmNeeded && !confirmed) || saving} onClick={onSave}>
          Save {what} calibration
        </button>
        <button type="button" aria-label={`Start the ${what} calibration over`} onClick={onStartOver}>
          Start over
        </button>
      </div>
      {refusal && (
        <p className="field-problem" role="alert">
          {refusal}
        </p>
      )}
    </>
  );
}
