import { create } from 'zustand';
import type { InstrumentKind } from './calibration-instruments';

/**
 * Where each calibration wizard stands. Kept outside the screen, so a grower who looks at the
 * Overview while the pump runs comes back to the same run and the millilitres they typed.
 */
export interface CalibrationWizardState {
  /** The pump, or the tank whose fill the meter counts. */
  target: string;
  /** The run's length as typed: seconds for a pump, the tank unit (L or gal) for a fill. */
  amount: string;
  jobId: number | null;
  /** What the grower measured, as typed: mL for a pump, the tank unit for a fill. */
  measured: string;
  confirmed: boolean;
  saved: string | null;
}

interface Wizards {
  wizards: Record<InstrumentKind, CalibrationWizardState>;
  set(kind: InstrumentKind, patch: Partial<CalibrationWizardState>): void;
}

const fresh = (amount: string): CalibrationWizardState => ({ target: '', amount, jobId: null, measured: '', confirmed: false, saved: null });

export const useCalibrationWizards = create<Wizards>()((set) => ({
  wizards: { pump: fresh('30'), flow: fresh('10') },
  set: (kind, patch) => set((state) => ({ wizards: { ...state.wizards, [kind]: { ...state.wizards[kind], ...patch } } })),
}));
