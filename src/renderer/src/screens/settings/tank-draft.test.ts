import { describe, expect, it } from 'vitest';
import type { Channel, Tank } from '../../../../shared/station';
import { checkTankDraft, tankDraftOf } from './tank-draft';

const channels: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'drain', kind: 'relay', name: 'Drain valve' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
] as Channel[];
const tank: Tank = { id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['fill', 'drain', 'nut_a'] };

describe('the tank form', () => {
  it('sends only what changed, and reads it back old and new', () => {
    const draft = { ...tankDraftOf(tank), floorL: '30', drainValve: 'drain' };
    expect(checkTankDraft(tankDraftOf(tank), tank, [tank], channels)).toEqual({ ok: true, edit: {}, changes: [] });
    expect(checkTankDraft(draft, tank, [tank], channels)).toEqual({
      ok: true,
      edit: { floorL: 30, plumbing: { drainValve: 'drain' } },
      changes: [
        { label: 'Floor', old: 'the default', new: '30 L' },
        { label: 'Drain valve', old: 'worked out from the names', new: 'Drain valve' },
      ],
    });
  });

  it('says what is wrong in the field it concerns', () => {
    expect(checkTankDraft({ ...tankDraftOf(tank), capacityL: '' }, tank, [tank], channels)).toEqual({ ok: false, problems: { capacityL: 'Enter how many litres the tank holds.' } });
    expect(checkTankDraft({ ...tankDraftOf(tank), floorL: '99' }, tank, [tank], channels)).toMatchObject({ ok: false, problems: { floorL: expect.stringMatching(/^A floor of 99 L and 5 L of headroom leave no water/) } });
    expect(checkTankDraft({ ...tankDraftOf(tank), fillValve: 'drain', drainValve: 'drain' }, tank, [tank], channels)).toEqual({
      ok: false,
      problems: { fillValve: 'Fill valve: Drain valve is already the drain valve; one relay does one job.' },
    });
  });
});
