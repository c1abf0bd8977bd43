/**
 * Draining a tank. There is no meter on the outlet, so the level probe is the only measure: the
 * valve opens, the level is watched, and the valve closes at the goal, which is never below the
 * tank's floor (pumps stay primed, roots stay wet). The device bounds how long the valve stays
 * open, so a host that goes away cannot empty the tank; the watchdog closes it sooner still.
 */
import { litres } from '../../shared/amounts';
import type { Tank } from '../../shared/station';
import { Halt, type JobRun } from './job-run';
import { floorOf, resolvePlumbing } from './plumbing';
import type { JobSettings, JobStation } from './ports';

/** What a drain needs of the running job; every program's context has it. */
export interface DrainContext {
  run: JobRun;
  station: JobStation;
  settings: JobSettings;
}

/** How often the level is looked at between readings; the goal itself closes the valve at once. */
const WATCH_MS = 250;
/** The level must fall by more than probe noise to count as falling. */
const FALLING_L = 0.5;
/** A level within this of the goal is there: the probe reads to a tenth of a litre. */
const CLOSE_ENOUGH_L = 0.05;
/** The device's bound on the valve, past the time the drain should take at the nominal rate. */
const BOUND_SLACK = 1.5;
const BOUND_SLACK_MS = 30_000;

export type DrainGoal = { liters: number } | { toLiters: number } | 'floor';

export interface DrainResult {
  /** Litres let out, by the level probe. */
  liters: number;
  /** The level it stopped at. */
  level: number;
}

function freshLevel(ctx: DrainContext, tank: Tank, sensorId: string): number {
  const reading = ctx.run.reading(sensorId);
  const maxAge = ctx.settings.limits().loop.maxReadingAgeMs;
  if (!reading || Date.now() - reading.at > maxAge) {
    throw new Halt('failed', `no level reading of tank ${tank.name} in the last ${maxAge / 1000} s; a drain is measured by ${sensorId}, so the drain valve was closed. Check the level sensor`, { code: 'DRAIN_NO_LEVEL', level: 'error' });
  }
  return reading.value;
}

export async function drain(ctx: DrainContext, tankId: string, goal: DrainGoal, onProgress?: (fraction: number) => void): Promise<DrainResult> {
  const tank = ctx.station.state().tanks.find((t) => t.id === tankId);
  if (!tank) throw new Halt('failed', `there is no tank "${tankId}" any more`);
  const { drainValve, levelSensor } = resolvePlumbing(tank, ctx.station.state().channels);
  if (!drainValve || !levelSensor) throw new Halt('failed', `tank ${tank.name} needs a drain valve and a level sensor to drain; choose the drain valve in Settings → Tanks and channels, and add the level sensor to the tank's plumbing in settings.json`);
  const valve = ctx.station.state().channels.find((c) => c.id === drainValve);
  if (!valve) throw new Halt('failed', `the controller no longer reports channel "${drainValve}"; check the station's wiring and settings`);
  await ctx.run.checkpoint();
  const floor = floorOf(tank);
  const start = freshLevel(ctx, tank, levelSensor);
  const wanted = goal === 'floor' ? floor : 'liters' in goal ? start - goal.liters : goal.toLiters;
  const stopAt = Math.max(floor, wanted);
  if (start <= stopAt + CLOSE_ENOUGH_L) return { liters: 0, level: start };
  const limits = ctx.settings.limits().drain;

  let level = start;
  let lowest = start;
  let lowestAt = Date.now();
  let openMs = 0;
  let openedAt = 0;
  let reached = false;
  const open = async () => {
    const expectedMs = ((level - stopAt) / limits.nominalLitersPerMinute) * 60_000;
    const boundMs = Math.min(valve.maxMs ?? Infinity, limits.timeoutMs - openMs, expectedMs * BOUND_SLACK + BOUND_SLACK_MS);
    ctx.run.active.add(valve.id);
    openedAt = Date.now();
    // Waiting for the level to fall starts again from here, after a pause as at the start.
    lowest = level;
    lowestAt = openedAt;
    await ctx.station.setRelay(valve.id, true, Math.max(1_000, Math.round(boundMs)));
  };
  const close = async () => {
    if (!ctx.run.active.has(valve.id)) return;
    ctx.run.active.delete(valve.id);
    openMs += ctx.run.elapsedSince(openedAt);
    await ctx.station.setRelay(valve.id, false);
  };
  // Every level reading is checked as it arrives, so the valve closes within one reading of the goal.
  const offLevel = ctx.station.onChange((change) => {
    if (change.type === 'ecph_reading' && change.sensorId === levelSensor && change.value <= stopAt && ctx.run.active.has(valve.id)) {
      reached = true;
      void close().catch(() => {});
    }
  });
  try {
    await open();
    for (;;) {
      await ctx.run.checkpoint();
      level = freshLevel(ctx, tank, levelSensor);
      onProgress?.(Math.min(1, Math.max(0, (start - level) / (start - stopAt))));
      if (reached || level <= stopAt + CLOSE_ENOUGH_L) break;
      const now = Date.now();
      if (!ctx.run.active.has(valve.id)) {
        await open();
      } else if (ctx.station.state().relays[valve.id]?.on === false && now - openedAt > WATCH_MS * 4) {
        throw new Halt('failed', `the controller closed ${valve.name} at ${litres(level)}, short of ${litres(stopAt)} (its time bound ran out); check the outlet, then drain again`, { code: 'DRAIN_TIMEOUT', level: 'error' });
      }
      if (level < lowest - FALLING_L) {
        lowest = level;
        lowestAt = now;
      } else if (ctx.run.elapsedSince(lowestAt) > limits.noFallMs) {
        throw new Halt(
          'failed',
          `the level of tank ${tank.name} did not fall for ${Math.round(limits.noFallMs / 1000)} s with ${valve.name} open (still ${litres(level)}); the valve may be stuck or the outlet blocked. It was closed`,
          { code: 'DRAIN_NO_FALL', level: 'error' },
        );
      }
      if (openMs + ctx.run.elapsedSince(openedAt) > limits.timeoutMs) {
        throw new Halt('failed', `the drain took longer than its ${Math.round(limits.timeoutMs / 1000)} s limit and was stopped at ${litres(level)}; check the outlet`, { code: 'DRAIN_TIMEOUT', level: 'error' });
      }
      await ctx.run.sleep(WATCH_MS, close, open);
    }
    await close();
    return { liters: Math.max(0, start - level), level };
  } finally {
    offLevel();
    if (start > level) ctx.run.record({ drainedL: start - level });
    // Every way out closes the valve: done, failed, cancelled, stopped. With the link lost the
    // command cannot go, and the controller's watchdog has closed it already.
    if (ctx.run.active.has(valve.id)) {
      ctx.run.active.delete(valve.id);
      await ctx.station.setRelay(valve.id, false).catch(() => {});
    }
  }
}
