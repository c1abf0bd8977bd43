import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../shared/limits';
import { checkDraft, draftOf, pumpDraftOf } from './caps-draft';

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

  it('edits a pump’s own caps against the controller’s bound, and hands a pump back to the caps for every pump', () => {
    const draft = draftOf(DEFAULT_LIMITS);
    const pumps = pumpDraftOf(DEFAULT_LIMITS, channels);
    expect(pumps).toEqual({ nut_a: { maxMlPerDose: '', maxMlPerDay: '' } });
    expect(checkDraft(draft, DEFAULT_LIMITS, channels, pumps)).toEqual({ ok: true, edit: {}, changes: [] });

    const own = checkDraft(draft, DEFAULT_LIMITS, channels, { nut_a: { maxMlPerDose: '10', maxMlPerDay: '80' } });
    expect(own).toMatchObject({ ok: true, edit: { pumps: { nut_a: { maxMlPerDose: 10, maxMlPerDay: 80 } } } });
    expect(own.ok && own.changes.map((change) => [change.label, change.old, change.new])).toEqual([
      ['Nutrient A, per dose', null, 10],
      ['Nutrient A, per 24 hours', null, 80],
    ]);

    expect(checkDraft(draft, DEFAULT_LIMITS, channels, { nut_a: { maxMlPerDose: '300', maxMlPerDay: '1000' } })).toEqual({
      ok: false,
      problems: { 'pumps.nut_a.maxMlPerDose': "Nutrient A's cap per dose (300 mL) is more than Nutrient A doses at once (at most 250 mL, the controller's bound); set 250 mL or less." },
    });
    expect(checkDraft(draft, DEFAULT_LIMITS, channels, { nut_a: { maxMlPerDose: '0', maxMlPerDay: '' } })).toEqual({
      ok: false,
      problems: { 'pumps.nut_a.maxMlPerDose': 'Enter 0.1 mL to 10000 mL, or leave it empty to keep to the cap for every pump.' },
    });

    const set = { ...DEFAULT_LIMITS, pumps: { nut_a: { maxMlPerDose: 10, maxMlPerDay: 80 } } };
    expect(pumpDraftOf(set, channels)).toEqual({ nut_a: { maxMlPerDose: '10', maxMlPerDay: '80' } });
    expect(checkDraft(draftOf(set), set, channels, { nut_a: { maxMlPerDose: '', maxMlPerDay: '' } })).toMatchObject({ ok: true, edit: { pumps: { nut_a: null } } });
    expect(checkDraft(draftOf(set), set, channels, { nut_a: { maxMlPerDose: '', maxMlPerDay: '80' } })).toEqual({
      ok: false,
      problems: { 'pumps.nut_a.maxMlPerDose': 'Leave both of this pump’s caps empty to keep it to the caps for every pump, or enter both.' },
    });
  });
});
