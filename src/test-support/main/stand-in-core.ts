/**
 * A station core with the real store and no link behind it: changes come from the test, and
 * commands are recorded. For tests of what sits on top of the core (LAN, IPC, benchmarks).
 */
import type { StationChange } from '../../shared/events';
import type { JobSpec } from '../../shared/jobs';
import { initialStationState, type Job } from '../../shared/station';
import type { JobControl } from '../../main/jobs';
import { createSetupDesks, memorySetup, type SetupDesks, type StationConnection, type StationCore, type StationSource } from '../../main/station';
import { StationStore } from '../../main/store';
import { memoryAlarmKeeper, ReadingAlarmDesk } from '../../main/alarms';
import { Refusal } from '../../shared/refusal';
import { StationHistory } from '../../main/history';

export interface StandInCore extends StationCore {
  apply(change: StationChange): void;
  /** Commands the core was asked to carry out, in order. */
  readonly calls: string[];
}

export function standInCore(epoch = 'test-epoch'): StandInCore {
  const store = new StationStore(initialStationState(true, 'simulated'), epoch);
  const calls: string[] = [];
  const jobs: JobControl = {
    start: (spec, requestedBy) => {
      calls.push(`job.start ${spec.kind} by ${requestedBy}`);
      return { ok: true, job: standInJob(spec) };
    },
    cancel: (id) => (calls.push(`job.cancel ${id}`), { ok: true, job: standInJob({ kind: 'mix', relayId: 'mixer', seconds: 1 }, id) }),
    pause: (id) => (calls.push(`job.pause ${id}`), { ok: true, job: standInJob({ kind: 'mix', relayId: 'mixer', seconds: 1 }, id) }),
    resume: (id) => (calls.push(`job.resume ${id}`), { ok: true, job: standInJob({ kind: 'mix', relayId: 'mixer', seconds: 1 }, id) }),
    holding: () => undefined,
  };
  const setup = standInSetup(store, jobs, (relayId, on) => void calls.push(`relay ${relayId} ${on ? 'on' : 'off'}`));
  // Records the readings the test applies from the start, as a core without a database does once started.
  const history = new StationHistory({ changes: (listener) => store.subscribe(listener) });
  history.start();
  return {
    calls,
    state: () => store.state,
    subscribe: (listener) => store.subscribe((_event, state) => listener(state)),
    onEvent: (listener) => store.subscribe((event) => listener(event)),
    apply: (change) => void store.apply(change),
    start: async () => {},
    shutdown: async () => {},
    setRelay: async (channel, on) => void calls.push(`relay ${channel} ${on ? 'on' : 'off'}`),
    dose: async (pump, ml) => {
      calls.push(`dose ${pump} ${ml}`);
      return standInJob({ kind: 'dose', pumpId: pump, ml });
    },
    jobs,
    recipes: setup.recipes,
    schedules: setup.schedules,
    calibration: setup.calibration,
    history,
    connection: standInConnection(calls),
    setPresence: (presence) => void store.apply({ type: 'presence', ...presence }),
    setBrokerLink: (broker) => void store.apply({ type: 'broker_update', broker }),
    setFleet: (fleet) => void store.apply({ type: 'fleet_update', fleet }),
    alarms: new ReadingAlarmDesk({ keeper: memoryAlarmKeeper(), state: () => store.state, apply: (change) => void store.apply(change), alert: () => {} }),
    caps: {
      configure: () => {
        throw new Refusal('NOT_READY', 'this stand-in station keeps its caps');
      },
    },
    tankSettings: {
      configure: () => {
        throw new Refusal('NOT_READY', 'this stand-in station keeps its tanks');
      },
    },
    emergencyStop: () => void calls.push('estop'),
    resetEmergencyStop: async () => void calls.push('estop reset'),
    alerts: {
      raise: (level, code) => void calls.push(`alert ${level} ${code}`),
      acknowledge: (which, by) => {
        const ids = store.state.alerts.filter((alert) => !alert.ack && alert.level !== 'info' && (which === 'all' || which.includes(alert.id))).map((alert) => alert.id);
        if (ids.length > 0) store.apply({ type: 'alerts_ack', ids, by, at: Date.now() });
        calls.push(`alert.ack ${which === 'all' ? 'all' : which.join(',')} by ${by}`);
        return ids;
      },
    },
  };
}

/** A connection with no ports, that records switches instead of making them. */
export function standInConnection(calls: string[] = []): StationConnection {
  let source: StationSource = { kind: 'simulated' };
  return {
    source: () => source,
    ports: async () => [],
    switchTo: async (next) => {
      calls.push(`connect ${next.kind === 'serial' ? next.path : next.kind}`);
      source = next;
      return { opened: true };
    },
  };
}

function standInJob(spec: JobSpec, id = 1): Job {
  return { id, kind: spec.kind, spec, state: 'queued', tankId: null, progress: 0, etaMs: null, detail: '', requestedBy: 'test', createdAt: 0, startedAt: null, endedAt: null };
}

/** The real setup (recipes, schedules, calibrations) in memory, publishing into `store`. */
export function standInSetup(store: StationStore, jobs: JobControl, setRelay: (relayId: string, on: boolean) => void = () => {}): SetupDesks {
  return createSetupDesks({
    keeper: memorySetup(),
    figures: { pump: { configured: {}, default: () => 1.25 }, flow: { configured: {}, default: () => 450 } },
    state: () => store.state,
    apply: (change) => void store.apply(change),
    jobs,
    setRelay: async (relayId, on) => setRelay(relayId, on),
    alert: () => {},
  });
}
