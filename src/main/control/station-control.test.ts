import { describe, expect, it } from 'vitest';
import { asRefusal, CommandError } from '../link/commands';
import { standInCore } from '../../test-support/main/stand-in-core';
import { IdempotencyCache } from './idempotency';
import { createStationControl, type Principal } from './station-control';

const operator: Principal = { id: 'tok-op', role: 'operator', name: 'bench PC' };
const viewer: Principal = { id: 'tok-view', role: 'viewer', name: 'phone' };

describe('station control', () => {
  it('carries out each command and says what it did', async () => {
    const core = standInCore();
    const control = createStationControl(core);
    expect(await control.handle(operator, { id: '1', type: 'relay.set', relayId: 'fill', on: true })).toEqual({ ok: true, result: { relayId: 'fill', on: true } });
    expect(await control.handle(operator, { id: '2', type: 'pump.dose', pumpId: 'nut_a', ml: 4.5 })).toEqual({ ok: true, result: { pumpId: 'nut_a', ml: 4.5, jobId: 1 } });
    expect(await control.handle(operator, { id: '3', type: 'estop' })).toEqual({ ok: true, result: { latched: true } });
    expect(await control.handle(operator, { id: '4', type: 'estop.reset' })).toEqual({ ok: true, result: { latched: false } });
    expect(core.calls).toEqual(['relay fill on', 'dose nut_a 4.5', 'estop', 'estop reset']);
  });

  it('lets a viewer stop the station and nothing else', async () => {
    const core = standInCore();
    const control = createStationControl(core);
    for (const command of [
      { id: 'a', type: 'relay.set', relayId: 'fill', on: true },
      { id: 'b', type: 'pump.dose', pumpId: 'nut_a', ml: 1 },
      { id: 'c', type: 'estop.reset' },
    ]) {
      expect(await control.handle(viewer, command)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/operator/) } });
    }
    expect(await control.handle(viewer, { id: 'd', type: 'estop' })).toMatchObject({ ok: true });
    expect(core.calls).toEqual(['estop']);
  });

  it('turns the controller’s refusals into the API’s codes, with its words', async () => {
    const core = standInCore();
    const refusals: Array<[string, string]> = [
      ['LINK_DOWN', 'NOT_READY'],
      ['ESTOP', 'ESTOP'],
      ['TIMEOUT', 'TIMEOUT'],
      ['BUSY', 'REFUSED'],
      ['RANGE', 'REFUSED'],
    ];
    const control = createStationControl(core);
    for (const [index, [linkCode, apiCode]] of refusals.entries()) {
      // As the link hands the controller's reasons on: translated at its edge.
      core.setRelay = async () => {
        throw asRefusal(new CommandError(linkCode, `because ${linkCode}`));
      };
      expect(await control.handle(operator, { id: `r${index}`, type: 'relay.set', relayId: 'fill', on: true })).toEqual({
        ok: false,
        error: { code: apiCode, message: `because ${linkCode}` },
      });
    }
    core.setRelay = async () => {
      throw new Error('disk on fire');
    };
    expect(await control.handle(operator, { id: 'x', type: 'relay.set', relayId: 'fill', on: true })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('lets a command that certainly did not act be retried with its id, but never one that may have', async () => {
    const core = standInCore();
    const control = createStationControl(core);
    let answer: unknown = asRefusal(new CommandError('LINK_DOWN', 'the controller is not connected'));
    core.setRelay = async (channel, on) => {
      if (answer) throw answer;
      core.calls.push(`relay ${channel} ${on ? 'on' : 'off'}`);
    };
    const command = { id: 'queued-offline', type: 'relay.set', relayId: 'fill', on: true };
    expect(await control.handle(operator, command)).toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
    answer = null;
    expect(await control.handle(operator, command)).toMatchObject({ ok: true });
    expect(core.calls).toEqual(['relay fill on']);

    const dose = { id: 'timed-out', type: 'pump.dose', pumpId: 'nut_a', ml: 5 };
    core.dose = async () => {
      throw asRefusal(new CommandError('TIMEOUT', 'no answer'));
    };
    expect(await control.handle(operator, dose)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    core.dose = async (pump, ml) => {
      core.calls.push('dose again');
      return standInCore().dose(pump, ml);
    };
    expect(await control.handle(operator, dose)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(core.calls).not.toContain('dose again');
  });

  it('stops the station on every estop, even one repeating an id', async () => {
    const core = standInCore();
    const control = createStationControl(core);
    await control.handle(viewer, { id: 'stop', type: 'estop' });
    await control.handle(viewer, { id: 'stop', type: 'estop' });
    expect(core.calls).toEqual(['estop', 'estop']);
  });

  it('keeps one token’s ids apart from another’s', async () => {
    const core = standInCore();
    const control = createStationControl(core);
    await control.handle(operator, { id: 'same', type: 'relay.set', relayId: 'fill', on: true });
    await control.handle({ ...operator, id: 'tok-other' }, { id: 'same', type: 'relay.set', relayId: 'fill', on: true });
    expect(core.calls).toEqual(['relay fill on', 'relay fill on']);
  });
});

describe('IdempotencyCache', () => {
  it('runs a key once, answers retries alike even while the first is running, and forgets after the window', async () => {
    let now = 0;
    const cache = new IdempotencyCache({ windowMs: 1000, now: () => now });
    let runs = 0;
    let finish: () => void = () => {};
    const act = () =>
      new Promise<{ ok: true }>((resolve) => {
        runs++;
        finish = () => resolve({ ok: true });
      });
    const first = cache.run('k', 'relay', act);
    const retry = cache.run('k', 'relay', act);
    finish();
    expect(await first).toEqual({ ok: true });
    expect(await retry).toEqual({ ok: true });
    expect(runs).toBe(1);
    now = 1001;
    const later = cache.run('k', 'relay', act);
    finish();
    await later;
    expect(runs).toBe(2);
  });

  it('refuses a key reused for a different command', async () => {
    const cache = new IdempotencyCache();
    await cache.run('k', 'relay fill on', async () => ({ ok: true }));
    expect(await cache.run('k', 'relay fill off', async () => ({ ok: true }))).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('stays bounded, forgetting the oldest keys first', async () => {
    const cache = new IdempotencyCache({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await cache.run(key, key, async () => ({ ok: true }));
    expect(cache.size).toBe(3);
    let ran = false;
    await cache.run('a', 'a', async () => {
      ran = true;
      return { ok: true };
    });
    expect(ran).toBe(true);
  });
});
