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

  it('says a floor and headroom that leave no water in gallons on a US screen', () => {
    // 26 gal of floor in a 26.42 gal tank with 5 L of headroom.
    expect(checkTankDraft({ ...tankDraftOf(tank, 'us'), floorL: '26' }, tank, [tank], channels, 'us')).toMatchObject({
      ok: false,
      problems: { floorL: 'A floor of 26.0 gal and 1.3 gal of headroom leave no water to fill or drain in a 26.4 gal tank; lower the floor or the headroom, or give the right capacity.' },
    });
  });

  it('shows and takes gallons with US units, converted exactly, and reads back old and new in gallons', () => {
    const set = { ...tank, headroomL: 5 };
    const shown = tankDraftOf(set, 'us');
    expect(shown).toMatchObject({ capacityL: '26.42', headroomL: '1.32', floorL: '' });
    // Left as shown, the rounded gallons are not sent back as a change.
    expect(checkTankDraft(shown, set, [set], channels, 'us')).toEqual({ ok: true, edit: {}, changes: [] });
    const checked = checkTankDraft({ ...shown, capacityL: '30', floorL: '5' }, set, [set], channels, 'us');
    expect(checked).toEqual({
      ok: true,
      edit: { capacityL: 30 * 3.785411784, floorL: 5 * 3.785411784 },
      changes: [
        { label: 'Capacity', old: '26.4 gal', new: '30.0 gal' },
        { label: 'Floor', old: 'the default', new: '5.0 gal' },
      ],
    });
  });

  it('says what is wrong in gallons with US units', () => {
    const shown = tankDraftOf(tank, 'us');
    expect(checkTankDraft({ ...shown, capacityL: '' }, tank, [tank], channels, 'us')).toEqual({ ok: false, problems: { capacityL: 'Enter how many gallons the tank holds.' } });
    expect(checkTankDraft({ ...shown, headroomL: '-1' }, tank, [tank], channels, 'us')).toEqual({ ok: false, problems: { headroomL: 'Enter a number of gallons, 0 to 26417.21.' } });
  });
});
