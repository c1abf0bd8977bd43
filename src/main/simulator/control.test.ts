import { afterEach, describe, expect, it } from 'vitest';
import { runControl, type ControlTarget } from './control';
import { createDuplexPair, StationSimulator } from './index';

let sim: StationSimulator;

function target(): ControlTarget {
  sim = new StationSimulator({ seed: 7 });
  const [, stationEnd] = createDuplexPair();
  sim.attach(stationEnd);
  return { sim, unplug: async () => {}, replug: async () => [] };
}

afterEach(() => sim.stop());

describe('relay control', () => {
  it('switches a relay as its button on the station would', async () => {
    const t = target();
    expect(await runControl('relay mixer on', t)).toEqual(['ok relay mixer on']);
    expect(sim.snapshot().relays.mixer).toBe(true);
    expect(await runControl('relay  mixer off', t)).toEqual(['ok relay mixer off']);
    expect(sim.snapshot().relays.mixer).toBe(false);
  });

  it('says what is wrong with a relay command and switches nothing', async () => {
    const t = target();
    expect(await runControl('relay', t)).toEqual(['error: relay needs a relay channel and on or off']);
    expect(await runControl('relay mixer', t)).toEqual(['error: expected on or off']);
    expect(await runControl('relay ph1 on', t)).toEqual(['error: there is no relay "ph1"']);
    expect(Object.values(sim.snapshot().relays).some((on) => on)).toBe(false);
  });
});
