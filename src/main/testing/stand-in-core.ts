/**
 * A station core with the real store and no link behind it: changes come from the test, and
 * commands are recorded. For tests of what sits on top of the core (LAN, IPC, benchmarks).
 */
import type { StationChange } from '../../shared/events';
import { initialStationState } from '../../shared/station';
import type { StationCore } from '../station';
import { StationStore } from '../store';

export interface StandInCore extends StationCore {
  apply(change: StationChange): void;
  /** Commands the core was asked to carry out, in order. */
  readonly calls: string[];
}

export function standInCore(epoch = 'test-epoch'): StandInCore {
  const store = new StationStore(initialStationState(true, 'simulated'), epoch);
  const calls: string[] = [];
  return {
    calls,
    state: () => store.state,
    snapshot: () => store.snapshot(),
    subscribe: (listener) => store.subscribe((_event, state) => listener(state)),
    onEvent: (listener) => store.subscribe((event) => listener(event)),
    apply: (change) => void store.apply(change),
    start: async () => {},
    shutdown: async () => {},
    setRelay: async (channel, on) => void calls.push(`relay ${channel} ${on ? 'on' : 'off'}`),
    dose: async (pump, ml) => void calls.push(`dose ${pump} ${ml}`),
    setViewers: (viewers) => void store.apply({ type: 'presence', viewers }),
    emergencyStop: () => void calls.push('estop'),
    resetEmergencyStop: async () => void calls.push('estop reset'),
  };
}
