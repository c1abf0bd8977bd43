/**
 * Checks a dose volume as the grower types it: the shared job schema first (the same words the
 * station would answer with), then the pump's own bound from its channel table. The controller
 * enforces that bound too; checking here refuses early, before anyone confirms. Tendril's own
 * per-dose cap, when the caps are known, is checked the same way.
 */
import { describeIssue } from '../../../shared/commands';
import { doseCapOf } from '../../../shared/caps';
import { pumpBoundRefusal } from '../../../shared/dose';
import type { SafetyLimits } from '../../../shared/limits';
import { JOB_SPEC_SCHEMA } from '../../../shared/jobs';
import type { Channel } from '../../../shared/station';
import { amountProblem } from '../field-words';
import { numberFromText } from '../format';

export type DoseCheck = { ok: true; ml: number } | { ok: false; problem: string };

export function checkDoseVolume(text: string, pump: Pick<Channel, 'id' | 'name' | 'maxMl'>, limits: SafetyLimits | null = null): DoseCheck {
  const ml = numberFromText(text);
  if (ml === undefined) return { ok: false, problem: 'Enter how many mL to dose.' };
  const parsed = JOB_SPEC_SCHEMA.safeParse({ kind: 'dose', pumpId: pump.id, ml });
  // The schema names the field by its key ("ml must be more than 0"); beside the field it says what to enter.
  if (!parsed.success) return { ok: false, problem: amountProblem('ml', describeIssue(parsed.error.issues[0]), 'metric') ?? 'Enter how many mL to dose.' };
  const bound = pumpBoundRefusal(pump, ml);
  if (bound) return { ok: false, problem: bound };
  const cap = doseCapOf(pump, limits);
  if (cap?.by === 'tendril' && ml > cap.ml) {
    return { ok: false, problem: `Tendril's cap for ${pump.name} is ${cap.ml} mL a dose, not ${ml} mL; dose less, or raise the cap in Settings → Safety` };
  }
  return { ok: true, ml };
}

/** What a dose field says it takes: the cap that applies, Tendril's or the controller's. */
export function doseCapHint(pump: Pick<Channel, 'id' | 'maxMl'>, limits: SafetyLimits | null): string | undefined {
  const cap = doseCapOf(pump, limits);
  if (!cap) return undefined;
  return cap.by === 'tendril' ? `at most ${cap.ml} mL a dose (Tendril's cap)` : `at most ${cap.ml} mL a dose (the pump's own bound)`;
}

/**
 * The question asked before a dose. The volume is shown exactly as it will be sent, never
 * rounded, so the grower reads back what will happen.
 */
export function doseQuestion(ml: number, pumpName: string): string {
  return `Dose ${String(ml)} mL with ${pumpName}?`;
}
