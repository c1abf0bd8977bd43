import { describe, expect, it } from 'vitest';
import type { Channel, Tank } from '../../../../shared/station';
import { jobFromForm, newJobForm, withPicks, type JobForm } from './job-form';

const channels: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'mixer', kind: 'relay', name: 'Mixer' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 250 },
];
const tanks: Tank[] = [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['fill', 'mixer', 'nut_a'] }];
const tables = { channels, tanks };
const form = (changes: Partial<JobForm>): JobForm => ({ ...newJobForm(tables), ...changes });

describe('newJobForm', () => {
  it('points at the first pump, relay and tank the station has', () => {
    expect(newJobForm(tables)).toMatchObject({ kind: 'dose', pumpId: 'nut_a', relayId: 'fill', tankId: 'main' });
  });
});

describe('withPicks', () => {
  it('fills blank pickers once the station has something to pick, and keeps chosen ones', () => {
    const early = newJobForm({ channels: [], tanks: [] });
    expect(early).toMatchObject({ pumpId: '', relayId: '', tankId: '' });
    expect(withPicks({ ...early, relayId: 'mixer' }, tables)).toMatchObject({ pumpId: 'nut_a', relayId: 'mixer', tankId: 'main' });
  });
});

describe('jobFromForm', () => {
  it('builds each kind of job', () => {
    expect(jobFromForm(form({ ml: '5' }), tables)).toEqual({ ok: true, spec: { kind: 'dose', pumpId: 'nut_a', ml: 5 } });
    expect(jobFromForm(form({ kind: 'fill', liters: '20,5' }), tables)).toEqual({ ok: true, spec: { kind: 'fill', tankId: 'main', liters: 20.5 } });
    expect(jobFromForm(form({ kind: 'mix', relayId: 'mixer', seconds: '300' }), tables)).toEqual({
      ok: true,
      spec: { kind: 'mix', relayId: 'mixer', seconds: 300 },
    });
    expect(jobFromForm(form({ kind: 'adjust-ph' }), tables)).toEqual({ ok: true, spec: { kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.2 } });
    expect(jobFromForm(form({ kind: 'adjust-ec', ecTarget: '2' }), tables)).toEqual({
      ok: true,
      spec: { kind: 'adjust-ec', tankId: 'main', target: 2, band: 0.1 },
    });
  });

  it("puts the schema's words under the field they are about", () => {
    expect(jobFromForm(form({ ml: '' }), tables)).toEqual({ ok: false, problems: { ml: 'ml must be a number of millilitres' } });
    expect(jobFromForm(form({ ml: '0' }), tables)).toEqual({ ok: false, problems: { ml: 'ml must be more than 0' } });
    expect(jobFromForm(form({ kind: 'adjust-ph', phTarget: '11', phBand: '4' }), tables)).toEqual({
      ok: false,
      problems: { target: 'target must be at most 9 pH', band: 'band must be at most 1.5 pH' },
    });
  });

  it('takes water in gallons when the grower reads US units', () => {
    expect(jobFromForm(form({ kind: 'fill', liters: '2' }), tables, 'us')).toEqual({ ok: true, spec: { kind: 'fill', tankId: 'main', liters: 7.570823568 } });
  });

  it('keeps what was typed for one kind while another is chosen', () => {
    const typed = form({ ml: '7', kind: 'fill', liters: '10' });
    expect(jobFromForm({ ...typed, kind: 'dose' }, tables)).toEqual({ ok: true, spec: { kind: 'dose', pumpId: 'nut_a', ml: 7 } });
  });

  it("refuses more than the pump's bound or the tank's size", () => {
    expect(jobFromForm(form({ ml: '300' }), tables)).toEqual({ ok: false, problems: { ml: 'Nutrient A doses at most 250 mL at a time.' } });
    expect(jobFromForm(form({ kind: 'fill', liters: '150' }), tables)).toEqual({ ok: false, problems: { liters: 'Main tank holds 100 L in all.' } });
    expect(jobFromForm(form({ kind: 'fill', liters: '30' }), tables, 'us')).toEqual({ ok: false, problems: { liters: 'Main tank holds 26.4 gal in all.' } });
  });

  it('asks for a channel or tank the station does not have', () => {
    expect(jobFromForm(form({ kind: 'mix', relayId: 'nut_a', seconds: '5' }), tables)).toEqual({ ok: false, problems: { relayId: 'Pick a relay.' } });
    expect(jobFromForm(form({ kind: 'fill', tankId: 'veg', liters: '5' }), tables)).toEqual({ ok: false, problems: { tankId: 'Pick a tank.' } });
    expect(jobFromForm(form({ pumpId: '', ml: '5' }), { channels: [], tanks: [] })).toMatchObject({ ok: false });
  });
});
