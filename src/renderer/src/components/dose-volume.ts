/**
 * Checks a dose volume as the grower types it: the shared job schema first (the same words the
 * station would answer with), then the pump's own bound from its channel table. The controller
 * enforces that bound too; checking here refuses early, before anyone confirms.
 */
import { describeIssue } from '../../../shared/commands';
import { pumpBoundRefusal } from '../../../shared/dose';
import { JOB_SPEC_SCHEMA } from '../../../shared/jobs';
import type { Channel } from '../../../shared/station';
import { numberFromText } from '../format';

export type DoseCheck = { ok: true; ml: number } | { ok: false; problem: string };

export function checkDoseVolume(text: string, pump: Pick<Channel, 'id' | 'name' | 'maxMl'>): DoseCheck {
  const ml = numberFromText(text);
  if (ml === undefined) return { ok: false, problem: 'Enter how many mL to dose.' };
  const parsed = JOB_SPEC_SCHEMA.safeParse({ kind: 'dose', pumpId: pump.id, ml });
  if (!parsed.success) return { ok: false, problem: describeIssue(parsed.error.issues[0]) };
  const bound = pumpBoundRefusal(pump, ml);
  if (bound) return { ok: false, problem: bound };
  return { ok: true, ml };
}

/**
 * The question asked before a dose. The volume is shown exactly as it will be sent, never
 * rounded, so the grower reads back what will happen.
 */
export function doseQuestion(ml: number, pumpName: string): string {
  return `Dose ${String(ml)} mL with ${pumpName}?`;
}
