/**
 * What each kind of job does, step by step, written against a JobRun. Checks that can be made
 * before anything moves are in checks.ts; these re-check what may have changed since (a reading,
 * the level, the daily dose total) right before acting.
 */
import { litres } from '../../shared/amounts';
import type { CalibrationRun, RecipeStep, SimpleJobSpec } from '../../shared/jobs';
import type { Job } from '../../shared/station';
import type { Channel, Tank } from '../../shared/station';
import { decideAdjustment, doseStep, judgeResponse, NO_PROGRESS, suspectProbeRefusal, type AdjustPumps, type DoseStep } from './adjust-loop';
import { deliveredBeforeHalt, deliveredKnown, Halt, type JobRun } from './job-run';
import { capDayMs, doseBoundMs, doseRefusal, type LoopLimits } from './limits';
import { drain } from './drain';
import { configuredResponse } from '../health/dose-response';
import { levelStillProblem } from './level-watch';
import { DEFAULT_HEADROOM_L, fillLimitOf, resolvePlumbing } from './plumbing';
import type { JobJournal, JobSettings, JobStation } from './ports';

/** A relay kept on by a job is bounded on the device too, this much past the job's own end. */
const RELAY_BOUND_SLACK_MS = 5_000;

export interface ProgramContext {
  run: JobRun;
  station: JobStation;
  journal: JobJournal;
  settings: JobSettings;
  requestedBy: string;
  /** Reports how far along the job is: 0 to 1, the time left if known, and what it is doing. */
  report(progress: number, etaMs: number | null, detail: string): void;
  /** Tells the grower something without ending the job (a recipe's notification step). */
  notify(message: string): void;
}

const ml2 = (ml: number) => `${(Math.round(ml * 100) / 100).toString()} mL`;
/** Litres as asked, which may have been converted from gallons: to a hundredth. */

function channel(ctx: ProgramContext, id: string): Channel {
  const found = ctx.station.state().channels.find((c) => c.id === id);
  if (!found) throw new Halt('failed', `the controller no longer reports channel "${id}"; check the station's wiring and settings`);
  return found;
}

/** A channel's name for the grower, or its id when the controller does not report it. */
function channelName(ctx: ProgramContext, id: string): string {
  return ctx.station.state().channels.find((c) => c.id === id)?.name ?? id;
}

function tank(ctx: ProgramContext, id: string): Tank {
  const found = ctx.station.state().tanks.find((t) => t.id === id);
  if (!found) throw new Halt('failed', `there is no tank "${id}" any more`);
  return found;
}

/** Doses `ml`, across pauses, and writes what was delivered to the dose audit however it ends. */
export async function dose(ctx: ProgramContext, pumpId: string, ml: number, onProgress?: (fraction: number) => void, purpose?: string): Promise<number> {
  const pump = channel(ctx, pumpId);
  const refusal = doseRefusal({ id: pump.id, name: pump.name }, ml, ctx.journal.deliveredSince(pump.id, Date.now() - capDayMs(ctx.run.timeScale)), ctx.settings.limits());
  if (refusal) throw new Halt('failed', refusal);
  let delivered = 0;
  let outcome = 'complete';
  // Whether the controller reported every end: if not, `delivered` is only what was heard.
  let known = true;
  const audit = ctx.journal.openDose({ at: Date.now(), pumpId: pump.id, requestedMl: ml, jobId: ctx.run.id, requestedBy: ctx.requestedBy });
  try {
    while (ml - delivered > 0.005) {
      await ctx.run.checkpoint();
      const want = ml - delivered;
      const rate = ctx.settings.mlPerSecond(pump.id);
      const boundMs = doseBoundMs(want, rate);
      const end = await ctx.run.deviceAction(
        pump.id,
        () => ctx.station.dose(pump.id, want),
        (change) => (change.type === 'pump_progress' && change.pumpId === pump.id ? { done: change.done, why: change.why, amount: change.ml } : null),
        boundMs,
        (sofar) => onProgress?.((delivered + sofar) / ml),
      );
      delivered += end.amount;
      if (end.known === false) known = false;
      onProgress?.(delivered / ml);
      if (end.why === 'complete') break;
      if (end.why === 'stop' && ctx.run.isPaused) {
        // The rest is dosed on resume, worked out from what went in: unknown, it could overdose.
        if (!known) throw new Halt('failed', `${pump.name} was paused, but the controller did not say how much went in, so it is not resumed; at least ${ml2(delivered)} of ${ml2(ml)} went in`, { code: 'DOSE_SHORT', level: 'error' });
        continue;
      }
      outcome = end.why;
      throw new Halt('failed', `${pump.name} stopped after ${ml2(delivered)} of ${ml2(ml)} (${deviceReason(end.why)})`, { code: 'DOSE_SHORT', level: 'error' });
    }
    return delivered;
  } catch (error) {
    delivered += deliveredBeforeHalt(error) ?? 0;
    if (outcome === 'complete') outcome = error instanceof Error ? error.message : String(error);
    if (!deliveredKnown(error)) known = false;
    throw error;
  } finally {
    if (delivered > 0) ctx.run.record({ pumpId: pump.id, ml: delivered });
    ctx.journal.closeDose(audit, known ? Math.round(delivered * 1000) / 1000 : ml, auditOutcome(outcome, known ? null : delivered, purpose));
  }
}

/**
 * How a dose ended, for the dose audit. A dose whose end the controller never reported is
 * `unknown`, kept at its full amount: the pump may have run on to it after the last report.
 */
function auditOutcome(outcome: string, unknownAfter: number | null, purpose: string | undefined): string {
  if (unknownAfter === null) return purpose ? `${purpose}: ${outcome}` : outcome;
  const how = `unknown: at least ${ml2(unknownAfter)} went in before ${outcome}; counted as the full amount`;
  return purpose ? `${how} (${purpose})` : how;
}

function deviceReason(why: string): string {
  switch (why) {
    case 'bound':
      return 'it reached its time bound on the controller';
    case 'cmd':
      return 'it was switched off on the controller';
    case 'noflow':
      return 'no flow was counted';
    case 'estop':
      return 'emergency stop';
    case 'watchdog':
      return 'the controller lost contact with Tendril and switched outputs off';
    case 'stop':
      return 'stopped';
    default:
      return why;
  }
}

/** Litres a tank can still take without passing capacity minus headroom, from its level probe. */
export function roomInTank(ctx: ProgramContext, target: Tank): { litres: number; known: boolean; level: number | null } {
  const headroom = target.headroomL ?? DEFAULT_HEADROOM_L;
  const plumbing = resolvePlumbing(target, ctx.station.state().channels);
  const level = plumbing.levelSensor ? ctx.run.reading(plumbing.levelSensor) : undefined;
  const fresh = level && Date.now() - level.at <= ctx.settings.limits().loop.maxReadingAgeMs;
  if (!fresh) return { litres: target.capacityL - headroom, known: false, level: null };
  return { litres: Math.max(0, target.capacityL - headroom - level.value), known: true, level: level.value };
}

/**
 * Why a tank's level probe cannot bound a fill now, or null. Without a probe the grower chose the
 * capacity less headroom as the bound; with one, a fill waits for it to be heard and to read what
 * a tank can hold, since the tank may be nearly full. A probe that is only flat ("stuck", maybe a
 * calm tank) or that jumped once (a glitch, a wave) lets the fill go on, and its level must then
 * rise with the meter (level-watch.ts).
 */
function levelProbeProblem(ctx: ProgramContext, target: Tank, levelSensor: string): string | null {
  const health = ctx.station.state().sensorHealth[levelSensor];
  const name = channelName(ctx, levelSensor);
  if (health?.status === 'suspect' && health.reason === 'range') {
    return `${name} is suspect (${health.detail}), so tank ${target.name}'s room cannot be known and no fill is measured against it. Check the level sensor; once its readings are believable again the fill can start`;
  }
  if (!roomInTank(ctx, target).known) {
    const seconds = Math.round(ctx.settings.limits().loop.maxReadingAgeMs / 1000);
    return `${name} has not reported the level of tank ${target.name} for more than ${seconds} s, so its room cannot be known; check the level sensor and its wiring, then fill again`;
  }
  return null;
}

/** What a fill let in: litres by the meter's calibration, and the pulses it counted. */
export interface FillResult {
  liters: number;
  pulses: number;
  meterId: string;
}

export async function fill(ctx: ProgramContext, tankId: string, liters: number, onProgress?: (fraction: number) => void): Promise<FillResult> {
  const target = tank(ctx, tankId);
  const plumbing = resolvePlumbing(target, ctx.station.state().channels);
  const { fillValve, flowMeter, levelSensor } = plumbing;
  if (!fillValve || !flowMeter) throw new Halt('failed', `tank ${target.name} has no fill valve and flow meter set; set them in Settings → Tanks and channels and the tank's plumbing in settings.json`);
  const limits = ctx.settings.limits().fill;
  const perLiter = ctx.settings.pulsesPerLiter(flowMeter) ?? limits.defaultPulsesPerLiter;
  const headroom = target.headroomL ?? DEFAULT_HEADROOM_L;
  if (levelSensor) {
    const problem = levelProbeProblem(ctx, target, levelSensor);
    if (problem) throw new Halt('failed', problem, { code: 'FILL_NO_LEVEL', level: 'warning' });
  }
  let filled = 0;
  let counted = 0;
  /** Pulses the controller has reported for the run now under way. */
  let running = 0;
  /** The level when the water started, for judging whether it rises with the meter. */
  let startLevel: number | null = null;
  /** The fill's line in the fill log, written when the water first starts. */
  let logged: number | null = null;
  const stopLevel = target.capacityL - headroom;
  // The probe watches the fill too: if the tank reaches its headroom, the valve closes whatever
  // the meter says (a meter reading low would otherwise overfill it); and if the meter counts
  // water the level does not show, the valve closes too (a stuck probe would never reach it).
  const offLevel = levelSensor
    ? ctx.station.onChange((change) => {
        if (change.type === 'fill_progress' && change.valveId === fillValve) running = change.pulses;
        if (change.type !== 'ecph_reading' || change.sensorId !== levelSensor || !ctx.run.active.has(fillValve)) return;
        if (change.value >= stopLevel) {
          ctx.run.stop(new Halt('failed', `the level reached ${litres(change.value)}, the tank's limit of ${litres(stopLevel)} (capacity ${litres(target.capacityL)} less ${litres(headroom)} headroom); the fill valve was closed`, { code: 'FILL_LEVEL', level: 'warning' }));
          return;
        }
        if (startLevel === null) return;
        const still = levelStillProblem(target, channelName(ctx, levelSensor), channelName(ctx, flowMeter), startLevel, change.value, filled + running / perLiter);
        if (still) ctx.run.stop(new Halt('failed', still, { code: 'FILL_LEVEL_STILL', level: 'error' }));
      })
    : () => {};
  try {
    while (liters - filled > 0.005) {
      await ctx.run.checkpoint();
      const room = roomInTank(ctx, target);
      if (levelSensor && !room.known) throw new Halt('failed', levelProbeProblem(ctx, target, levelSensor) ?? 'the level of the tank is not known', { code: 'FILL_NO_LEVEL', level: 'warning' });
      startLevel ??= room.level;
      const want = liters - filled;
      if (want > room.litres + 0.005) {
        throw new Halt('failed', `${litres(want)} more would take tank ${target.name} past ${litres(stopLevel)} (capacity less headroom); there is room for ${litres(room.litres)}`, { code: 'FILL_CAPACITY', level: 'warning' });
      }
      const pulses = Math.round(want * perLiter);
      running = 0;
      const expectedMs = (want / limits.nominalLitersPerMinute) * 60_000;
      const maxMs = Math.min(limits.timeoutMs, expectedMs * 1.5 + 30_000);
      logged ??= ctx.journal.openFill({ at: Date.now(), tankId: target.id, jobId: ctx.run.id });
      const end = await ctx.run.deviceAction(
        fillValve,
        () => ctx.station.fill(fillValve, flowMeter, pulses, maxMs, limits.noFlowMs),
        (change) => (change.type === 'fill_progress' && change.valveId === fillValve ? { done: change.done, why: change.why, amount: change.pulses } : null),
        maxMs,
        (sofar) => onProgress?.((filled + sofar / perLiter) / liters),
      );
      filled += end.amount / perLiter;
      counted += end.amount;
      running = 0;
      onProgress?.(filled / liters);
      if (end.why === 'complete') break;
      if (end.why === 'stop' && ctx.run.isPaused) continue;
      if (end.why === 'noflow') {
        throw new Halt('failed', `no water flowed through ${channelName(ctx, flowMeter)} for ${limits.noFlowMs / 1000} s with ${channelName(ctx, fillValve)} open; check the supply, the valve and the meter (${filled.toFixed(1)} of ${litres(liters)} filled)`, { code: 'NO_FLOW', level: 'error' });
      }
      if (end.why === 'bound') {
        throw new Halt('failed', `the fill took longer than its ${Math.round(maxMs / 1000)} s limit and was stopped (${filled.toFixed(1)} of ${litres(liters)} filled); check the supply pressure`, { code: 'FILL_TIMEOUT', level: 'error' });
      }
      throw new Halt('failed', `the fill stopped after ${filled.toFixed(1)} of ${litres(liters)} (${deviceReason(end.why)})`);
    }
    return { liters: filled, pulses: counted, meterId: flowMeter };
  } catch (error) {
    if (error instanceof Halt) filled += (deliveredBeforeHalt(error) ?? 0) / perLiter;
    throw error;
  } finally {
    offLevel();
    if (filled > 0) ctx.run.record({ filledL: filled });
    if (logged !== null) ctx.journal.closeFill(logged, Math.round(filled * 1000) / 1000);
  }
}

/**
 * Fills up to `toLiters`: the litres to add come from the level probe now, not when the job was
 * asked for, and the fill keeps every guard of its own (the meter, the headroom, the time limits).
 */
export async function fillTo(ctx: ProgramContext, tankId: string, toLiters: number, onProgress?: (fraction: number) => void): Promise<{ liters: number; level: number }> {
  const target = tank(ctx, tankId);
  const limit = fillLimitOf(target);
  if (toLiters > limit) throw new Halt('failed', `${litres(toLiters)} is past tank ${target.name}'s limit of ${litres(limit)} (capacity less headroom)`, { code: 'FILL_CAPACITY', level: 'warning' });
  const { levelSensor } = resolvePlumbing(target, ctx.station.state().channels);
  await ctx.run.checkpoint();
  const level = levelSensor ? ctx.run.reading(levelSensor) : undefined;
  if (!level || Date.now() - level.at > ctx.settings.limits().loop.maxReadingAgeMs) {
    throw new Halt('failed', `no recent level reading of tank ${target.name}, so the water to add cannot be worked out; check the level sensor`, { code: 'FILL_NO_LEVEL', level: 'warning' });
  }
  const want = Math.round((toLiters - level.value) * 100) / 100;
  if (want < 0.05) return { liters: 0, level: level.value };
  const filled = await fill(ctx, tankId, want, onProgress);
  return { liters: filled.liters, level: level.value + filled.liters };
}

export async function mix(ctx: ProgramContext, relayId: string, seconds: number, onProgress?: (fraction: number) => void): Promise<void> {
  const relay = channel(ctx, relayId);
  const totalMs = seconds * 1000;
  let started = Date.now();
  let doneMs = 0;
  const on = async () => {
    const left = totalMs - doneMs;
    ctx.run.active.add(relay.id);
    started = Date.now();
    await ctx.station.setRelay(relay.id, true, Math.min(relay.maxMs ?? Infinity, left + RELAY_BOUND_SLACK_MS));
  };
  const off = async () => {
    doneMs += ctx.run.elapsedSince(started);
    ctx.run.active.delete(relay.id);
    await ctx.station.setRelay(relay.id, false);
  };
  // The controller switches the relay off by itself at its bound (or its watchdog); a mix that
  // did not run its time has not mixed, so it fails rather than ends as done.
  const offCut = ctx.station.onChange((change) => {
    if (change.type !== 'relay_update' || change.relayId !== relay.id || change.on) return;
    if (!ctx.run.active.has(relay.id) || ctx.run.isPaused || ctx.run.halt) return;
    ctx.run.active.delete(relay.id);
    const ran = Math.round((doneMs + ctx.run.elapsedSince(started)) / 1000);
    ctx.run.stop(new Halt('failed', `${relay.name} was switched off by the controller after ${ran} s of ${seconds} s (${deviceReason(change.why)}); the mix did not run its time`, { code: 'MIX_CUT', level: 'error' }));
  });
  await ctx.run.checkpoint();
  await on();
  const ticker = setInterval(() => onProgress?.(Math.min(1, (doneMs + ctx.run.elapsedSince(started)) / totalMs)), 1000);
  try {
    await ctx.run.sleep(totalMs, off, on);
  } finally {
    clearInterval(ticker);
    offCut();
    if (ctx.run.active.has(relay.id)) {
      ctx.run.active.delete(relay.id);
      await ctx.station.setRelay(relay.id, false).catch(() => {});
    }
  }
  onProgress?.(1);
}

export async function adjust(ctx: ProgramContext, spec: Extract<SimpleJobSpec, { kind: 'adjust-ph' | 'adjust-ec' }>): Promise<string> {
  const target = tank(ctx, spec.tankId);
  const plumbing = resolvePlumbing(target, ctx.station.state().channels);
  const ph = spec.kind === 'adjust-ph';
  const sensor = ph ? plumbing.phSensor : plumbing.ecSensor;
  if (!sensor) throw new Halt('failed', `tank ${target.name} has no ${ph ? 'pH' : 'EC'} probe set; add it to the tank's plumbing in settings.json in the data folder`);
  const pumps: AdjustPumps = ph
    ? { raise: plumbing.phUp ? [plumbing.phUp] : [], lower: plumbing.phDown ? [plumbing.phDown] : [] }
    : { raise: plumbing.nutrients, lower: [] };
  const responseKind = ph ? 'ph' : 'ec';
  let progress = NO_PROGRESS;
  // The last step, until the reading after its mixing wait has said whether the probe saw it.
  let step: DoseStep | null = null;
  const answered: number[] = [];
  for (;;) {
    await ctx.run.checkpoint();
    const limits = ctx.settings.limits().loop;
    if (limits.requireCirculation && plumbing.circulation && !ctx.station.state().relays[plumbing.circulation]?.on) {
      throw new Halt('failed', `circulation (${channelName(ctx, plumbing.circulation)}) is off; a dose would not mix. Switch it on, or turn off “Circulation must run to adjust” in Settings → Safety`, { code: 'NO_CIRCULATION', level: 'warning' });
    }
    const suspect = suspectProbeRefusal(spec.kind, sensor, ctx.station.state().sensorHealth[sensor], Date.now());
    if (suspect) throw new Halt('failed', suspect, { code: 'SENSOR_SUSPECT', level: 'warning' });
    const reading = ctx.run.reading(sensor);
    if (step && reading && Date.now() - reading.at <= limits.maxReadingAgeMs) {
      const verdict = judgeResponse(spec, step, reading.value);
      if (verdict.kind === 'far-below') {
        const unit = ph ? 'pH' : 'mS/cm';
        const seen = `a ${ml2(step.ml)} dose should have moved it about ${step.expected.toFixed(2)} ${unit}, it moved ${verdict.moved.toFixed(2)}`;
        ctx.station.suspectSensor(sensor, `did not answer a dose (${seen})`);
        throw new Halt(
          'failed',
          `${ph ? 'pH' : 'EC'} read ${reading.value.toFixed(2)} ${unit} after step ${progress.steps}: ${seen}. The sensor may be stuck or the probe out of the water, so dosing stopped. Check the probe, measure by hand, and only then adjust again`,
          { code: 'SENSOR_NO_RESPONSE', level: 'error' },
        );
      }
      if (verdict.kind === 'answered') answered.push(verdict.perMlPerL);
      step = null;
    }
    const response = ctx.settings.doseResponse?.(target, responseKind) ?? configuredResponse(target, responseKind);
    const decision = decideAdjustment(spec, pumps, reading, Date.now(), stepsFor(limits, tankVolume(ctx, target), response), progress);
    if (decision.kind === 'done') {
      if (answered.length > 0) ctx.settings.learnDoseResponse?.(target, responseKind, answered.reduce((sum, x) => sum + x, 0) / answered.length);
      return `${ph ? 'pH' : 'EC'} ${decision.value.toFixed(2)} is within ${spec.band} of ${spec.target} after ${ml2(progress.dosedMl)}`;
    }
    if (decision.kind === 'abort') throw new Halt('failed', decision.message, { code: decision.code, level: 'error' });
    const stepMl = decision.doses.reduce((sum, d) => sum + d.ml, 0);
    // A dose decision is only ever made on a fresh reading.
    step = doseStep(reading?.value ?? NaN, decision.direction, stepMl, tankVolume(ctx, target), response);
    progress = decision.progress;
    ctx.report(Math.min(0.95, progress.dosedMl / limits.maxTotalMl), null, `step ${progress.steps}: dosing ${decision.doses.map((d) => `${ml2(d.ml)} of ${channelName(ctx, d.pumpId)}`).join(', then ')}`);
    for (const [index, step] of decision.doses.entries()) {
      // Concentrates must never meet undiluted: A, a pause to mix, then B.
      if (index > 0) await ctx.run.sleep(limits.abPauseMs);
      await dose(ctx, step.pumpId, step.ml);
    }
    ctx.report(Math.min(0.95, progress.dosedMl / limits.maxTotalMl), null, `step ${progress.steps}: waiting ${limits.mixWaitMs / 1000} s for it to mix`);
    await ctx.run.sleep(limits.mixWaitMs);
  }
}

/**
 * How much stronger than its response figure a tank may really answer a dose: learning keeps a
 * refined figure within this factor of the configured one, and defaults err on the low side.
 */
export const RESPONSE_MARGIN = 3;

/**
 * The loop's limits for this tank: no step larger than what would close the whole error even if
 * the tank answered RESPONSE_MARGIN times its figure. A small tank thus gets small steps, so a
 * probe that cannot see the dose (stuck, out of the water) costs one small step, not a swing of
 * several pH units, before the loop stops.
 */
export function stepsFor(limits: LoopLimits, volumeL: number, responsePerMlPerL: number): LoopLimits {
  if (!(responsePerMlPerL > 0)) return limits;
  const mlPerUnit = volumeL / (RESPONSE_MARGIN * responsePerMlPerL);
  return mlPerUnit < limits.mlPerUnit ? { ...limits, mlPerUnit } : limits;
}

/**
 * The water a dose goes into: the level probe's reading while it is fresh and trusted, else the
 * tank's capacity (which expects the least from a dose, so it never flags a working probe).
 */
function tankVolume(ctx: ProgramContext, target: Tank): number {
  const { levelSensor } = resolvePlumbing(target, ctx.station.state().channels);
  const level = levelSensor ? ctx.run.reading(levelSensor) : undefined;
  const trusted = levelSensor && ctx.station.state().sensorHealth[levelSensor]?.status !== 'suspect';
  if (!level || !trusted || Date.now() - level.at > ctx.settings.limits().loop.maxReadingAgeMs) return target.capacityL;
  return Math.min(target.capacityL, Math.max(1, level.value));
}

export async function runSimple(ctx: ProgramContext, spec: SimpleJobSpec, onProgress: (fraction: number) => void): Promise<string> {
  switch (spec.kind) {
    case 'dose': {
      const delivered = await dose(ctx, spec.pumpId, spec.ml, onProgress);
      return `dosed ${ml2(delivered)} with ${channelName(ctx, spec.pumpId)}`;
    }
    case 'fill': {
      const filled = await fill(ctx, spec.tankId, spec.liters, onProgress);
      return `filled ${litres(filled.liters)}`;
    }
    case 'fill-to': {
      const filled = await fillTo(ctx, spec.tankId, spec.toLiters, onProgress);
      return filled.liters > 0 ? `filled ${litres(filled.liters)}, to about ${litres(filled.level)}` : `already at ${litres(filled.level)}; nothing to fill`;
    }
    case 'drain':
    case 'drain-to': {
      const drained = await drain(ctx, spec.tankId, spec.kind === 'drain' ? { liters: spec.liters } : { toLiters: spec.toLiters }, onProgress);
      return drained.liters > 0 ? `drained ${litres(drained.liters)}, down to ${litres(drained.level)}` : `already at ${litres(drained.level)}; nothing to drain`;
    }
    case 'mix':
      await mix(ctx, spec.relayId, spec.seconds, onProgress);
      return `ran ${channelName(ctx, spec.relayId)} for ${spec.seconds} s`;
    case 'adjust-ph':
    case 'adjust-ec':
      return adjust(ctx, spec);
  }
}

/**
 * A calibration run, and what it measured. The pump runs for its seconds at the present
 * calibration; how long it really ran is what it delivered by that calibration over the rate, so
 * a run cut short still measures correctly. The flow meter's run is a fill that counts pulses.
 */
export async function runCalibration(ctx: ProgramContext, spec: CalibrationRun, onProgress: (fraction: number) => void): Promise<{ summary: string; measured: NonNullable<Job['measured']> }> {
  if (spec.kind === 'calibrate-pump') {
    const rate = ctx.settings.mlPerSecond(spec.pumpId);
    const delivered = await dose(ctx, spec.pumpId, spec.seconds * rate, onProgress, 'calibration run');
    const seconds = Math.round((delivered / rate) * 1000) / 1000;
    return { summary: `ran ${channelName(ctx, spec.pumpId)} for ${seconds.toFixed(1)} s; measure what it pumped and enter it to calibrate`, measured: { pumpId: spec.pumpId, seconds } };
  }
  const filled = await fill(ctx, spec.tankId, spec.liters, onProgress);
  return {
    summary: `${channelName(ctx, filled.meterId)} counted ${filled.pulses} pulses; measure how many litres went in and enter it to calibrate`,
    measured: { meterId: filled.meterId, pulses: filled.pulses },
  };
}

export async function runStep(ctx: ProgramContext, step: RecipeStep, onProgress: (fraction: number) => void): Promise<void> {
  switch (step.kind) {
    case 'job':
      await runSimple(ctx, step.job, onProgress);
      return;
    case 'wait':
      await ctx.run.sleep(step.seconds * 1000);
      return;
    case 'notify':
      ctx.notify(step.message);
      return;
    case 'water-change':
      await drain(ctx, step.tankId, 'floor', (fraction) => onProgress(fraction / 2));
      await fillTo(ctx, step.tankId, step.toLiters, (fraction) => onProgress(0.5 + fraction / 2));
      return;
    case 'wait-in-band': {
      // Counted on the controller's clock, as every wait of a job is.
      const timeoutMs = step.timeoutSeconds * 1000;
      let waitedMs = 0;
      for (;;) {
        const reading = ctx.run.reading(step.sensorId);
        if (reading && Date.now() - reading.at <= ctx.settings.limits().loop.maxReadingAgeMs && reading.value >= step.min && reading.value <= step.max) return;
        if (waitedMs >= timeoutMs) {
          const now = reading ? reading.value.toFixed(2) : 'no reading';
          throw new Halt('failed', `${channelName(ctx, step.sensorId)} did not come within ${step.min}–${step.max} in ${step.timeoutSeconds} s (now ${now})`, { code: 'NOT_IN_BAND', level: 'warning' });
        }
        const started = Date.now();
        await ctx.run.sleep(Math.min(1000, timeoutMs - waitedMs));
        waitedMs += ctx.run.elapsedSince(started);
      }
    }
  }
}
