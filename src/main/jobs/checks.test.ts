import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../shared/limits';
import { initialStationState, type Channel, type StationState, type Tank } from '../../shared/station';
import { planJob } from './checks';
import type { JobSettings } from './ports';

// A 50 gal tank, entered in gallons from a US screen: its litres are long decimals.
const tank: Tank = { id: 'main', name: 'Main tank', capacityL: 50 * 3.785411784, headroomL: 2 * 3.785411784, channelIds: ['fill', 'flow1', 'level1', 'ph1', 'mixer'] };
const channels = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'mixer', kind: 'relay', name: 'Mixer' },
  { id: 'flow1', kind: 'flow', name: 'Supply meter' },
  { id: 'level1', kind: 'level', name: 'Tank level' },
  { id: 'ph1', kind: 'ph', name: 'pH probe' },
] as Channel[];

function station(change: Partial<StationState> = {}): StationState {
  return { ...initialStationState(true, null), channels, tanks: [tank], ...change };
}

const settings: JobSettings = { limits: () => DEFAULT_LIMITS, recipe: () => null, pulsesPerLiter: () => 450, mlPerSecond: () => 1 };

const plan = (spec: Parameters<typeof planJob>[0], state = station()) => planJob(spec, state, settings, () => 0);

describe('a job refused before it starts, in the grower’s words', () => {
  it('rounds volumes as a grower reads them, however the tank was entered', () => {
    const level = { value: 150.123456, at: 0 } as StationState['readings'][string];
    const answer = plan({ kind: 'fill', tankId: 'main', liters: 60 }, station({ readings: { level1: level } }));
    expect(answer).toEqual({ ok: false, message: "60 L would take tank Main tank past 181.7 L (capacity 189.3 L less headroom); it holds about 150.1 L, so there is room for 31.6 L" });
  });

  it('names the tanks that exist when one asked for is gone', () => {
    expect(plan({ kind: 'fill', tankId: 'veg', liters: 5 })).toEqual({ ok: false, message: 'there is no tank "veg" (it may have been removed); the tanks are Main tank' });
  });

  it('names a channel by its name, never its id, and lists the channels of the kind asked for', () => {
    expect(plan({ kind: 'mix', relayId: 'flow1', seconds: 30 })).toEqual({ ok: false, message: 'Supply meter is a flow meter, not a relay' });
    expect(plan({ kind: 'mix', relayId: 'stirrer', seconds: 30 })).toEqual({ ok: false, message: 'there is no relay "stirrer" on this controller (it may have been removed or renamed); its relays are Fill valve, Mixer' });
    expect(plan({ kind: 'fill-to', tankId: 'main', toLiters: 100 })).toEqual({ ok: false, message: 'Tank level has not reported the level of tank Main tank yet; wait for a reading' });
    // A plain fill too: without the level, the tank may be nearly full.
    expect(plan({ kind: 'fill', tankId: 'main', liters: 5 })).toEqual({ ok: false, message: 'Tank level has not reported the level of tank Main tank yet; wait for a reading' });
  });

  it('says where to set what is missing: Settings for the valves, settings.json for the rest', () => {
    const bare = station({ tanks: [{ ...tank, channelIds: ['level1'] }] });
    expect(plan({ kind: 'drain', tankId: 'main', liters: 5 }, bare)).toEqual({ ok: false, message: 'tank Main tank has no drain valve set; choose one in Settings → Tanks and channels' });
    expect(plan({ kind: 'fill', tankId: 'main', liters: 5 }, bare)).toEqual({ ok: false, message: 'tank Main tank has no fill valve set; choose one in Settings → Tanks and channels' });
    const noMeter = station({ tanks: [{ ...tank, channelIds: ['fill', 'level1'] }] });
    expect(plan({ kind: 'fill', tankId: 'main', liters: 5 }, noMeter)).toMatchObject({ ok: false, message: expect.stringMatching(/^tank Main tank has no flow meter set, and a fill is measured by it; add it as flowMeter to the tank's plumbing in settings\.json/) });
  });
});

describe('a job judged for later: a schedule’s firing, a recipe’s later step', () => {
  const withDrain = station({ tanks: [{ ...tank, channelIds: [...tank.channelIds, 'drain'], floorL: 20 }], channels: [...channels, { id: 'drain', kind: 'relay', name: 'Drain valve' } as Channel] });
  const later = (spec: Parameters<typeof planJob>[0], state = withDrain) => planJob(spec, state, settings, () => 0, 'later');

  it('needs no level reading now: the level will be what it is then, and is checked as the job starts', () => {
    expect(later({ kind: 'fill-to', tankId: 'main', toLiters: 150 })).toMatchObject({ ok: true });
    expect(later({ kind: 'drain-to', tankId: 'main', toLiters: 30 })).toMatchObject({ ok: true });
    expect(later({ kind: 'fill', tankId: 'main', liters: 20 })).toMatchObject({ ok: true });
  });

  it('still refuses what no level could make right', () => {
    expect(later({ kind: 'fill', tankId: 'main', liters: 200 })).toEqual({ ok: false, message: '200 L would take tank Main tank past 181.7 L (capacity 189.3 L less headroom); even into an empty tank, at most 181.7 L fits' });
    expect(later({ kind: 'drain', tankId: 'main', liters: 170 })).toEqual({ ok: false, message: 'draining 170 L would take tank Main tank below its floor of 20 L even from its fill limit of 181.7 L; at most 161.7 L can go' });
    expect(later({ kind: 'drain-to', tankId: 'main', toLiters: 10 })).toMatchObject({ ok: false, message: expect.stringMatching(/^10 L is below tank Main tank's floor of 20 L/) });
  });
});
