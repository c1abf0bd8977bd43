/**
 * Which relay a picker offers first: a mix starts on a mixing or circulation relay, a light timer
 * on a relay named for lights or on none, and neither ever on a fill or drain valve. The relays
 * here come in the simulator's order, where the valves come first: the order that once made a
 * 5.5 s mix drain the tank.
 */
import { describe, expect, it } from 'vitest';
import type { Channel, Tank } from '../../shared/station';
import { checkJob, emptyJobDraft, jobDefaults, jobInput, draftFromJob, relaysFor, tankLimitHint, type StationTables } from './job-spec-form';
import { stationOptions } from './screens/schedules/station-options';
import { newScheduleDraft } from './screens/schedules/schedule-draft';

const relay = (id: string, name: string): Channel => ({ id, kind: 'relay', name });
const SIM_RELAYS = [relay('fill', 'Fill valve'), relay('drain', 'Drain valve'), relay('air', 'Air pump'), relay('mixer', 'Mixer'), relay('circulation', 'Circulation pump'), relay('lights', 'Lights')];
const tank = (channels: readonly Channel[], extra: Partial<Tank> = {}): Tank => ({ id: 'main', name: 'Main tank', capacityL: 100, channelIds: channels.map((c) => c.id), ...extra });
const tablesOf = (channels: Channel[], extra: Partial<Tank> = {}): StationTables => ({ channels, tanks: [tank(channels, extra)], recipes: [] });
const ids = (channels: readonly Channel[]) => channels.map((channel) => channel.id);

describe('relaysFor', () => {
  it('offers mixing and circulation relays first for a mix, and never a valve', () => {
    expect(ids(relaysFor(tablesOf(SIM_RELAYS), 'mix'))).toEqual(['mixer', 'circulation', 'air', 'lights']);
  });

  it('offers relays named for lights first for a light timer, and never a valve', () => {
    expect(ids(relaysFor(tablesOf(SIM_RELAYS), 'light'))).toEqual(['lights', 'air', 'mixer', 'circulation']);
    expect(ids(relaysFor(tablesOf([relay('r1', 'Veg LED bar'), relay('r2', 'Grow-lights'), relay('r3', 'Fan')]), 'light'))).toEqual(['r1', 'r2', 'r3']);
  });

  it('keeps the station order within each group', () => {
    expect(ids(relaysFor(tablesOf([relay('b', 'Recirculation'), relay('a', 'Mix pump')]), 'mix'))).toEqual(['b', 'a']);
  });
});

describe('picker defaults', () => {
  it('start a mix on the mixer, never on the fill or drain valve listed before it', () => {
    const defaults = jobDefaults(tablesOf(SIM_RELAYS));
    expect(defaults.relayId).toBe('mixer');
    expect(emptyJobDraft('mix', defaults).relayId).toBe('mixer');
  });

  it('start a light timer on the lights, or on nothing when no relay is named for lights', () => {
    expect(jobDefaults(tablesOf(SIM_RELAYS)).lightRelayId).toBe('lights');
    const unlit = tablesOf([relay('fill', 'Fill valve'), relay('drain', 'Drain valve'), relay('air', 'Air pump')]);
    expect(jobDefaults(unlit).lightRelayId).toBeUndefined();
    // A mix with no mixer still starts on something that is not a valve.
    expect(jobDefaults(unlit).relayId).toBe('air');
    const options = stationOptions([...unlit.channels], [...unlit.tanks], []);
    expect(newScheduleDraft(options.defaults, 'UTC').relayId).toBe('');
    expect(options.lightRelays.map((option) => option.value)).toEqual(['air']);
  });

  it('on the schedules screen, offer the same order to a mix step and a light timer', () => {
    const tables = tablesOf(SIM_RELAYS);
    const options = stationOptions([...tables.channels], [...tables.tanks], []);
    expect(options.relays.map((option) => option.value)).toEqual(['mixer', 'circulation', 'air', 'lights']);
    expect(options.lightRelays[0]?.value).toBe('lights');
    expect(newScheduleDraft(options.defaults, 'UTC').relayId).toBe('lights');
  });

  it('refuse a mix on the drain valve, pointing to a Drain job', () => {
    const tables = tablesOf(SIM_RELAYS);
    expect(checkJob({ ...emptyJobDraft('mix', jobDefaults(tables)), relayId: 'drain', seconds: '5.5' }, { tables, units: 'metric' })).toMatchObject({
      ok: false,
      problems: { relayId: expect.stringContaining('opens only in a Drain job') },
    });
  });
});

describe('drains and fills to a level in a form', () => {
  const level = [...SIM_RELAYS, { id: 'level1', kind: 'level', name: 'Tank level', unit: 'L' } as Channel];
  const tables = tablesOf(level, { floorL: 30 });
  const context = { tables, units: 'metric' as const };

  it('round-trips each new kind through a draft', () => {
    for (const spec of [
      { kind: 'drain', tankId: 'main', liters: 12 },
      { kind: 'drain-to', tankId: 'main', toLiters: 40 },
      { kind: 'fill-to', tankId: 'main', toLiters: 80 },
    ] as const) {
      expect(jobInput(draftFromJob(spec, jobDefaults(tables), 'metric'), 'metric')).toEqual(spec);
    }
  });

  it('refuses a drain below the floor and a fill past the headroom, naming them', () => {
    const base = emptyJobDraft('drain-to', jobDefaults(tables));
    expect(checkJob({ ...base, toLiters: '20' }, context)).toMatchObject({ ok: false, problems: { toLiters: expect.stringContaining('floor of 30.0 L') } });
    expect(checkJob({ ...base, kind: 'fill-to', toLiters: '97' }, context)).toMatchObject({ ok: false, problems: { toLiters: expect.stringContaining('at most 95.0 L') } });
    expect(checkJob({ ...base, toLiters: '30' }, context)).toMatchObject({ ok: true });
  });

  it('names the floor next to the volume', () => {
    expect(tankLimitHint(tables, 'main', 'drain', 'metric')).toBe("Stops at Main tank's floor of 30.0 L, so the pumps stay primed and the roots wet.");
    // Without floorL, a fifth of the capacity.
    expect(tankLimitHint(tablesOf(level), 'main', 'drain-to', 'us')).toMatch(/floor of 5\.3 gal/);
  });
});
