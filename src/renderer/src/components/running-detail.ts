/**
 * What a running job's detail adds to its row. The station says "45% of fill Main tank with
 * 37.85 L" and "step 2 of 3: …" in its own units; the row's title, bar and step checklist already
 * say the same in the screen's, so only what they do not say is kept: a pause, a wait for a
 * channel, what an adjustment is dosing now.
 */

/** The station's progress words for a job that reports nothing else. */
const PERCENT_OF = /^\d+% of /;
/** A recipe's step label, with what a step that reports for itself is doing, in brackets. */
const RECIPE_STEP = /^step \d+ of \d+: /;
const STEP_REPORT = /^step \d+ of \d+: .* \((step \d+: .+)\)$/;

export function runningDetail(detail: string, stepsShown: boolean): string | null {
  if (PERCENT_OF.test(detail)) return null;
  if (stepsShown && RECIPE_STEP.test(detail)) return STEP_REPORT.exec(detail)?.[1] ?? null;
  return detail || null;
}
