import { useId, type ReactNode } from 'react';

interface NumberFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown once the grower has typed here, or tried to start the job. */
  problem?: string;
  hint?: ReactNode;
}

/** A number as text: commas are fine, and the schema says what is wrong rather than the browser. */
export function NumberField({ label, value, onChange, problem, hint }: NumberFieldProps) {
  const id = useId();
  const problemId = useId();
  const hintId = useId();
  const describedBy = [problem ? problemId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {problem && (
        <span className="field-problem" id={problemId}>
          {problem}
        </span>
      )}
    </div>
  );
}

interface PickerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  /** What to say when the station has none to pick from. */
  none: string;
  problem?: string;
}

export function Picker({ label, value, onChange, options, none, problem }: PickerProps) {
  const id = useId();
  const problemId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} aria-invalid={problem ? true : undefined} aria-describedby={problem ? problemId : undefined} onChange={(event) => onChange(event.target.value)}>
        {options.length === 0 && <option value="">{none}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {problem && (
        <span className="field-problem" id={problemId}>
          {problem}
        </span>
      )}
    </div>
  );
}
