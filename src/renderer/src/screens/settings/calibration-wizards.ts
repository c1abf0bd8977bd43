import { create } from 'zustand';

/**
 * Where each calibration wizard stands. Kept outside the screen, so a grower who looks at the
 * Overview while the pump runs comes back to the same run and the millilitres they typed.
 */
export interface PumpWizard {
  pumpId: string;
  seconds: string;
  jobId: number | null;
  measuredMl: string;
  confirmed: boolean;
  saved: string | null;
}

export interface FlowWizard {
  tankId: string;
  /** In the grower's tank unit (L or gal), as typed. */
  volume: string;
  jobId: number | null;
  measured: string;
  confirmed: boolean;
  saved: string | null;
}

interface Wizards {
  pump: PumpWizard;
  flow: FlowWizard;
  setPump(patch: Partial<PumpWizard>): void;
  setFlow(patch: Partial<FlowWizard>): void;
}

export const useCalibrationWizards = create<Wizards>()((set) => ({
  pump: { pumpId: '', seconds: '30', jobId: null, measuredMl: '', confirmed: false, saved: null },
  flow: { tankId: '', volume: '10', jobId: null, measured: '', confirmed: false, saved: null },
  setPump: (patch) => set((state) => ({ pump: { ...state.pump, ...patch } })),
  setFlow: (patch) => set((state) => ({ flow: { ...state.flow, ...patch } })),
}));
