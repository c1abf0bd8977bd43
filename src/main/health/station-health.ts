/**
 * Sensor health on the live station: every reading the store takes is judged by the pure
 * machine in sensor-health.ts, whether or not a job is running, and each change of verdict goes
 * into the live state (every screen shows it) and raises an alert.
 */
import type { StationChange } from '../../shared/events';
import { SENSOR_KINDS_WORDS, type AlertLevel, type SensorHealth, type SensorKind, type StationState } from '../../shared/station';
import { newWatch, observe, rangeFor, suspect, type HealthRules, type HealthTransition, type SensorWatch, type SuspectReason } from './sensor-health';

export interface StationHealthOptions {
  state(): StationState;
  onChange(listener: (change: StationChange) => void): () => void;
  apply(change: StationChange): void;
  alert(level: AlertLevel, code: string, message: string): void;
  rules: HealthRules;
}

const ALERT_CODE: Record<SuspectReason, string> = {
  stuck: 'SENSOR_STUCK',
  unresponsive: 'SENSOR_STUCK',
  range: 'SENSOR_RANGE',
  jump: 'SENSOR_JUMP',
};

const isSensor = (kind: string): kind is SensorKind => kind === 'ph' || kind === 'ec' || kind === 'temp' || kind === 'level';

export class StationHealth {
  private readonly watches = new Map<string, SensorWatch>();
  private readonly off: () => void;
  private disposed = false;

  constructor(private readonly options: StationHealthOptions) {
    // Judged a moment later: a verdict is itself a change, and applying one while the store is
    // still handing out the reading would reach later listeners ahead of the reading.
    this.off = options.onChange((change) => {
      if (change.type === 'ecph_reading') queueMicrotask(() => this.take(change.sensorId, change.value, change.at));
      else if (change.type === 'device_update') queueMicrotask(() => {
        for (const [id, reading] of Object.entries(change.readings)) this.take(id, reading.value, reading.at);
      });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.off();
  }

  /** A sensor a closed loop found wanting (a dose it did not answer): suspect from now on. */
  suspect(sensorId: string, reason: SuspectReason, detail: string, at: number): void {
    const watch = this.watchOf(sensorId);
    if (!watch) return;
    const { watch: next, transition } = suspect(watch, reason, detail, at);
    this.settle(sensorId, next, transition);
  }

  private take(sensorId: string, value: number, at: number): void {
    if (this.disposed) return;
    const watch = this.watchOf(sensorId);
    if (!watch) return;
    const first = watch.last === null && !this.options.state().sensorHealth[sensorId];
    const { watch: next, transition } = observe(watch, value, at, this.options.rules);
    this.settle(sensorId, next, transition);
    if (first && !transition) this.options.apply({ type: 'sensor_health', sensorId, health: { status: 'ok' } });
  }

  private watchOf(sensorId: string): SensorWatch | null {
    const state = this.options.state();
    const channel = state.channels.find((c) => c.id === sensorId);
    if (!channel || !isSensor(channel.kind)) return null;
    const tank = state.tanks.find((t) => t.channelIds.includes(sensorId));
    // Worked out afresh each time: the tanks can be configured after the first reading.
    const range = rangeFor(channel.kind, this.options.rules, tank?.capacityL ?? null);
    const watch = this.watches.get(sensorId);
    return watch && watch.kind === channel.kind ? { ...watch, range } : newWatch(channel.kind, range);
  }

  private settle(sensorId: string, watch: SensorWatch, transition: HealthTransition | null): void {
    this.watches.set(sensorId, watch);
    if (!transition) return;
    const state = this.options.state();
    const kind = watch.kind;
    const tank = state.tanks.find((t) => t.channelIds.includes(sensorId));
    const named = `${SENSOR_KINDS_WORDS[kind]} ${sensorId}${tank ? ` (tank ${tank.name})` : ''}`;
    let health: SensorHealth;
    if (transition.to === 'suspect') {
      const { reason, detail, since } = transition.suspicion;
      health = { status: 'suspect', reason, detail, since };
      this.options.alert('warning', ALERT_CODE[reason], `${named} suspect: ${detail}; closed loops will not dose on it until it reads normally again`);
    } else {
      health = { status: 'ok' };
      this.options.alert('info', 'SENSOR_OK', `${named} reads normally again (it was suspect: ${transition.was.detail})`);
    }
    this.options.apply({ type: 'sensor_health', sensorId, health });
  }
}
