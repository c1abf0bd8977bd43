/**
 * Labelled inputs for the screens' forms. Each input is named by its visible label, and its
 * problem (from the shared schemas) and hint are tied to it with aria-describedby, so a screen
 * reader reads why a field is refused when the grower lands on it.
 */
import { useId, type ReactNode } from 'react';
import type { Option } from './station-options';
import './forms.css';

interface FieldFrameProps {
  id: string;
  label: string;
  problem?: string;
  hint?: ReactNode;
  children: ReactNode;
}

function FieldFrame({ id, label, problem, hint, children }: FieldFrameProps) {
  return (
    <div className="field" data-invalid={problem ? true : undefined}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, problem?: string, hint?: ReactNode): string | undefined {
  const ids = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string;
  hint?: ReactNode;
  type?: 'text' | 'time';
  /** Numbers stay text while typed ("1." is on its way to "1.5"); decimal brings the number pad. */
  inputMode?: 'text' | 'decimal' | 'numeric';
  list?: string;
  placeholder?: string;
  spellCheck?: boolean;
}

export function TextField({ label, value, onChange, problem, hint, type = 'text', inputMode, list, placeholder, spellCheck }: TextFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} problem={problem} hint={hint}>
      <input
        id={id}
        type={type}
        value={value}
        inputMode={inputMode}
        list={list}
        placeholder={placeholder}
        spellCheck={spellCheck}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(id, problem, hint)}
        onChange={(event) => onChange(event.target.value)}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
  problem?: string;
  hint?: ReactNode;
  /** What to say when the station has none of these (no pumps reported, no recipes saved). */
  none?: string;
}

export function SelectField({ label, value, options, onChange, problem, hint, none = 'none available' }: SelectFieldProps) {
  const id = useId();
  // A saved choice the station no longer reports stays visible, so the grower sees what to fix.
  const missing = value !== '' && !options.some((option) => option.value === value);
  return (
    <FieldFrame id={id} label={label} problem={problem} hint={hint}>
      <select
        id={id}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(id, problem, hint)}
        onChange={(event) => onChange(event.target.value)}
      >
        {value === '' && <option value="">{options.length === 0 ? `(${none})` : '(choose)'}</option>}
        {missing && <option value={value}>{value} (not on this station)</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
