import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../shared/limits';
import { checkDraft, draftOf } from './caps-draft';

const channels = [{ id: 'nut_a', kind: 'pump' as const, name: 'Nutrient A', maxMl: 250 }];

describe('the caps form', () => {
  it('shows times in seconds and sends only what changed, in milliseconds', () => {
    const draft = draftOf(DEFAULT_LIMITS);
    expect(draft).toMatchObject({ 'pump.maxMlPerDose': '50', 'fill.noFlowMs': '15', 'loop.requireCirculation': 'on' });
    expect(checkDraft(draft, DEFAULT_LIMITS, channels)).toEqual({ ok: true, edit: {}, changes: [] });
    const checked = checkDraft({ ...draft, 'pump.maxMlPerDose': '20', 'loop.abPauseMs': '45,5' }, DEFAULT_LIMITS, channels);
    expect(checked).toMatchObject({ ok: true, edit: { pump: { maxMlPerDose: 20 }, loop: { abPauseMs: 45_500 } } });
    expect(checked.ok && checked.changes.map((change) => [change.label, change.old, change.new])).toEqual([
      ['Each pump, per dose', 50, 20],
      ['Pause between nutrient A and B', 30_000, 45_500],
    ]);
  });

  it('says what is wrong with a field and what to enter, and keeps the draft', () => {
    const draft = draftOf(DEFAULT_LIMITS);
    expect(checkDraft({ ...draft, 'fill.noFlowMs': '0.1' }, DEFAULT_LIMITS, channels)).toEqual({
      ok: false,
      problems: { 'fill.noFlowMs': 'Enter 0.5 s to 600 s (the least the controller accepts is 0.5 s).' },
    });
    expect(checkDraft({ ...draft, 'pump.maxMlPerDay': 'lots' }, DEFAULT_LIMITS, channels)).toEqual({
      ok: false,
      problems: { 'pump.maxMlPerDay': 'Enter a number of millilitres, 0.1 mL to 100000 mL.' },
    });
    expect(checkDraft({ ...draft, 'pump.maxMlPerDose': '300', 'pump.maxMlPerDay': '1000' }, DEFAULT_LIMITS, channels)).toEqual({
      ok: false,
      problems: { 'pump.maxMlPerDose': 'Each pump, per dose (300 mL) is more than any pump on this controller doses at once (at most 250 mL); set 250 mL or less.' },
    });
  });
});
