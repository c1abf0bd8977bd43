/**
 * What a job needs, checked before it is accepted: the channels it will hold, the tank whose
 * queue it joins, and every limit that can be known up front. A refusal names the problem and
 * what to do, so nothing is queued that is bound to fail.
 */
import { litres, millilitres } from '../../shared/amounts';
import { pumpBoundRefusal } from '../../shared/dose';
import { abPauseRefusal, type CalibrationRun, type JobSpec, type SimpleJobSpec } from '../../shared/jobs';
import type { Channel, ChannelKind, StationState, Tank } from '../../shared/station';
import { suspectProbeRefusal } from './adjust-loop';
import { doseRefusal, type SafetyLimits } from './limits';
import { DEFAULT_HEADROOM_L, fillLimitOf, floorOf, resolvePlumbing, tankOfChannel, valveRole } from './plumbing';
import type { JobSettings } from './ports';

export interface JobPlan {
  /** The tank whose queue the job joins; null for channels outside every tank. */
  tankId: string | null;
  /** Channels the job holds while it runs, so nothing else drives them. */
  channels: string[];
}

export type PlanResult = { ok: true; plan: JobPlan } | { ok: false; message: string };

/**
 * When the job is judged for: starting now, against this moment's level; or some time later (a
 * schedule's firing, a recipe's later step), when the level will be whatever it is then, so only
 * what can be known up front counts. Each fill and drain checks the level again as it starts.
 */
export type Moment = 'now' | 'later';


const KIND_WORD: Record<ChannelKind, string> = { relay: 'relay', pump: 'pump', flow: 'flow meter', ec: 'EC probe', ph: 'pH probe', temp: 'temperature probe', level: 'level probe' };

/** Where a grower sets what Settings does not: the plumbing of a tank in settings.json. */
const IN_SETTINGS_FILE = "to the tank's plumbing in settings.json in the data folder (Settings → Tanks and channels shows what the station worked out)";
/** Where an operator picks a tank's valves. */
const IN_TANK_SETTINGS = 'in Settings → Tanks and channels';

const nameOf = (channel: Channel) => channel.name || channel.id;

function channelName(state: StationState, id: string): string {
  const found = state.channels.find((c) => c.id === id);
  return found ? nameOf(found) : id;
}

function need(state: StationState, id: string, kind: ChannelKind): Channel | string {
  const found = state.channels.find((c) => c.id === id);
  if (!found) {
    // A job names a channel by id: from a schedule or recipe saved before the channel went away, or from a LAN client.
    const same = state.channels.filter((c) => c.kind === kind).map(nameOf);
    const there = state.channels.length === 0 ? 'the controller has not reported its channels yet (is it connected?)' : same.length > 0 ? `its ${KIND_WORD[kind]}s are ${same.join(', ')}` : `it has no ${KIND_WORD[kind]}s`;
    return `there is no ${KIND_WORD[kind]} "${id}" on this controller (it may have been removed or renamed); ${there}`;
  }
  if (found.kind !== kind) return `${nameOf(found)} is a ${KIND_WORD[found.kind]}, not a ${KIND_WORD[kind]}`;
  return found;
}

/** Why a fill valve is not switched on outside a Fill job, and what to do instead. */
export function fillValveRefusal(valveName: string, tank: { name: string }): string {
  return `${valveName} fills tank ${tank.name}; it opens only in a Fill job, which measures the water and stops before the tank is full. Start a fill in Jobs instead`;
}

/** Why a drain valve is not switched on outside a Drain job, and what to do instead. */
export function drainValveRefusal(valveName: string, tank: Tank): string {
  return `${valveName} drains tank ${tank.name}; it opens only in a Drain job, which watches the level and closes it at the tank's floor of ${litres(floorOf(tank))}. Start a drain in Jobs instead`;
}

/** Why a relay may not be switched on by hand, by a mix or by a light timer, or null when it may. */
export function valveRefusal(state: Pick<StationState, 'tanks' | 'channels'>, relay: Pick<Channel, 'id' | 'name'>): string | null {
  const valve = valveRole(state.tanks, state.channels, relay.id);
  if (!valve) return null;
  return valve.role === 'fill' ? fillValveRefusal(relay.name, valve.tank) : drainValveRefusal(relay.name, valve.tank);
}

function findTank(state: StationState, id: string): Tank | string {
  return state.tanks.find((t) => t.id === id) ?? `there is no tank "${id}" (it may have been removed); the tanks are ${state.tanks.map((t) => t.name).join(', ') || 'not set up yet'}`;
}

/**
 * A drain or a fill to a level is measured by the level probe alone; without a reading there is
 * nothing to stop it by.
 */
function levelNow(state: StationState, tank: Tank, levelSensor: string | undefined, moment: Moment): number | string | null {
  if (!levelSensor) return `tank ${tank.name} has no level sensor set; a drain or a fill to a level is measured by it. Add it as levelSensor ${IN_SETTINGS_FILE}`;
  if (moment === 'later') return null;
  const reading = state.readings[levelSensor];
  if (!reading) return `${channelName(state, levelSensor)} has not reported the level of tank ${tank.name} yet; wait for a reading`;
  return reading.value;
}

/** A fill is let in by its valve and measured by its meter; without either there is no fill. */
function fillPlumbingRefusal(tank: Tank, plumbing: { fillValve?: string }): string {
  if (!plumbing.fillValve) return `tank ${tank.name} has no fill valve set; choose one ${IN_TANK_SETTINGS}`;
  return `tank ${tank.name} has no flow meter set, and a fill is measured by it; add it as flowMeter ${IN_SETTINGS_FILE}`;
}

function planDrain(spec: Extract<SimpleJobSpec, { kind: 'drain' | 'drain-to' }>, state: StationState, moment: Moment): PlanResult {
  const tank = findTank(state, spec.tankId);
  if (typeof tank === 'string') return { ok: false, message: tank };
  const plumbing = resolvePlumbing(tank, state.channels);
  if (!plumbing.drainValve) return { ok: false, message: `tank ${tank.name} has no drain valve set; choose one ${IN_TANK_SETTINGS}` };
  const level = levelNow(state, tank, plumbing.levelSensor, moment);
  if (typeof level === 'string') return { ok: false, message: level };
  const floor = floorOf(tank);
  if (spec.kind === 'drain-to' && spec.toLiters < floor) {
    return { ok: false, message: `${litres(spec.toLiters)} is below tank ${tank.name}'s floor of ${litres(floor)}, kept so the pumps stay primed and the roots wet; drain to ${litres(floor)} or more, or lower the floor ${IN_TANK_SETTINGS}` };
  }
  // Later, the tank holds at most its fill limit.
  const holds = level ?? fillLimitOf(tank);
  if (spec.kind === 'drain' && holds - spec.liters < floor - 0.05) {
    const room = Math.max(0, holds - floor);
    if (level === null) return { ok: false, message: `draining ${litres(spec.liters)} would take tank ${tank.name} below its floor of ${litres(floor)} even from its fill limit of ${litres(holds)}; at most ${litres(room)} can go` };
    return { ok: false, message: `draining ${litres(spec.liters)} would take tank ${tank.name} below its floor of ${litres(floor)}; it holds about ${litres(level)}, so at most ${litres(room)} can go` };
  }
  return { ok: true, plan: { tankId: tank.id, channels: [plumbing.drainValve] } };
}

function planFillTo(spec: Extract<SimpleJobSpec, { kind: 'fill-to' }>, state: StationState, moment: Moment): PlanResult {
  const tank = findTank(state, spec.tankId);
  if (typeof tank === 'string') return { ok: false, message: tank };
  const limit = fillLimitOf(tank);
  if (spec.toLiters > limit) return { ok: false, message: `${litres(spec.toLiters)} is past tank ${tank.name}'s limit of ${litres(limit)} (capacity ${litres(tank.capacityL)} less headroom); fill to ${litres(limit)} or less` };
  const plumbing = resolvePlumbing(tank, state.channels);
  if (!plumbing.fillValve || !plumbing.flowMeter) return { ok: false, message: fillPlumbingRefusal(tank, plumbing) };
  const level = levelNow(state, tank, plumbing.levelSensor, moment);
  if (typeof level === 'string') return { ok: false, message: level };
  return { ok: true, plan: { tankId: tank.id, channels: [plumbing.fillValve, plumbing.flowMeter] } };
}

function planSimple(spec: SimpleJobSpec, state: StationState, deliveredToday: (pumpId: string) => number, limits: SafetyLimits, moment: Moment): PlanResult {
  switch (spec.kind) {
    case 'dose': {
      const pump = need(state, spec.pumpId, 'pump');
      if (typeof pump === 'string') return { ok: false, message: pump };
      const refusal = doseRefusal(pump, spec.ml, deliveredToday(pump.id), limits);
      if (refusal) return { ok: false, message: refusal };
      const bound = pumpBoundRefusal(pump, spec.ml);
      if (bound) return { ok: false, message: bound };
      return { ok: true, plan: { tankId: tankOfChannel(state.tanks, pump.id)?.id ?? null, channels: [pump.id] } };
    }
    case 'mix': {
      const relay = need(state, spec.relayId, 'relay');
      if (typeof relay === 'string') return { ok: false, message: relay };
      const refusal = valveRefusal(state, relay);
      if (refusal) return { ok: false, message: refusal };
      return { ok: true, plan: { tankId: tankOfChannel(state.tanks, relay.id)?.id ?? null, channels: [relay.id] } };
    }
    case 'fill': {
      const tank = findTank(state, spec.tankId);
      if (typeof tank === 'string') return { ok: false, message: tank };
      const plumbing = resolvePlumbing(tank, state.channels);
      if (!plumbing.fillValve || !plumbing.flowMeter) return { ok: false, message: fillPlumbingRefusal(tank, plumbing) };
      const limit = tank.capacityL - (tank.headroomL ?? DEFAULT_HEADROOM_L);
      // With a level probe, a fill waits to hear it: the tank may be nearly full. Without one,
      // the grower chose the capacity less headroom as the bound of each fill.
      if (plumbing.levelSensor) {
        const heard = levelNow(state, tank, plumbing.levelSensor, moment);
        if (typeof heard === 'string') return { ok: false, message: heard };
      }
      const level = plumbing.levelSensor && moment === 'now' ? state.readings[plumbing.levelSensor] : undefined;
      const room = level ? Math.max(0, limit - level.value) : limit;
      if (spec.liters > room) {
        const now = level
          ? `it holds about ${litres(level.value)}, so there is room for ${litres(room)}`
          : plumbing.levelSensor
            ? `even into an empty tank, at most ${litres(limit)} fits`
            : `without a level sensor, one fill adds at most ${litres(limit)}`;
        return { ok: false, message: `${litres(spec.liters)} would take tank ${tank.name} past ${litres(limit)} (capacity ${litres(tank.capacityL)} less headroom); ${now}` };
      }
      return { ok: true, plan: { tankId: tank.id, channels: [plumbing.fillValve, plumbing.flowMeter] } };
    }
    case 'fill-to':
      return planFillTo(spec, state, moment);
    case 'drain':
    case 'drain-to':
      return planDrain(spec, state, moment);
    case 'adjust-ph':
    case 'adjust-ec': {
      const tank = findTank(state, spec.tankId);
      if (typeof tank === 'string') return { ok: false, message: tank };
      const plumbing = resolvePlumbing(tank, state.channels);
      const ph = spec.kind === 'adjust-ph';
      const sensor = ph ? plumbing.phSensor : plumbing.ecSensor;
      const pumps = ph ? [plumbing.phUp, plumbing.phDown].filter((p): p is string => p !== undefined) : plumbing.nutrients;
      if (!sensor) return { ok: false, message: `tank ${tank.name} has no ${ph ? 'pH' : 'EC'} probe set; add it as ${ph ? 'phSensor' : 'ecSensor'} ${IN_SETTINGS_FILE}` };
      if (pumps.length === 0) return { ok: false, message: `tank ${tank.name} has no ${ph ? 'pH up or pH down' : 'nutrient'} pumps set; add them as ${ph ? 'phUp and phDown' : 'nutrients'} ${IN_SETTINGS_FILE}` };
      if (limits.loop.requireCirculation && plumbing.circulation && !state.relays[plumbing.circulation]?.on) {
        return { ok: false, message: `circulation (${channelName(state, plumbing.circulation)}) is off, so a dose would not mix; switch it on first` };
      }
      const suspect = suspectProbeRefusal(spec.kind, sensor, state.sensorHealth[sensor], Date.now());
      if (suspect) return { ok: false, message: `tank ${tank.name}: ${suspect}` };
      return { ok: true, plan: { tankId: tank.id, channels: pumps } };
    }
  }
}

/**
 * A calibration run is planned as what it physically is: a pump run of about `seconds` at the
 * present calibration (within the same caps as any dose, since the liquid is just as real), or
 * a fill (within the tank's headroom).
 */
function planCalibration(spec: CalibrationRun, state: StationState, settings: JobSettings, deliveredToday: (pumpId: string) => number, limits: SafetyLimits, moment: Moment): PlanResult {
  if (spec.kind === 'calibrate-flow') return planSimple({ kind: 'fill', tankId: spec.tankId, liters: spec.liters }, state, deliveredToday, limits, moment);
  const pump = need(state, spec.pumpId, 'pump');
  if (typeof pump === 'string') return { ok: false, message: pump };
  if (pump.maxMs !== undefined && spec.seconds * 1000 > pump.maxMs) {
    return { ok: false, message: `${pump.name} may run at most ${pump.maxMs / 1000} s at a time on the controller; run it for less` };
  }
  const ml = spec.seconds * settings.mlPerSecond(pump.id);
  const refusal = doseRefusal(pump, ml, deliveredToday(pump.id), limits);
  if (refusal) return { ok: false, message: `${spec.seconds} s at the present ${settings.mlPerSecond(pump.id)} mL/s is about ${millilitres(ml)}: ${refusal}` };
  return { ok: true, plan: { tankId: tankOfChannel(state.tanks, pump.id)?.id ?? null, channels: [pump.id] } };
}

/**
 * The plan for a job, or why it cannot run. `deliveredToday` is what a pump has delivered within
 * the daily caps' window (`capDayMs`), before this job.
 */
export function planJob(spec: JobSpec, state: StationState, settings: JobSettings, deliveredToday: (pumpId: string) => number, moment: Moment = 'now'): PlanResult {
  const limits = settings.limits();
  if (spec.kind === 'calibrate-pump' || spec.kind === 'calibrate-flow') return planCalibration(spec, state, settings, deliveredToday, limits, moment);
  if (spec.kind !== 'recipe') return planSimple(spec, state, deliveredToday, limits, moment);
  const recipe = settings.recipe(spec.recipeId);
  if (!recipe) return { ok: false, message: `there is no recipe "${spec.recipeId}"; create it first` };
  // The pause may have been lengthened, or the plumbing changed, since the recipe was saved.
  const tooSoon = abPauseRefusal(recipe, { tanks: state.tanks, channels: state.channels, limits });
  if (tooSoon) return { ok: false, message: tooSoon };
  const channels = new Set<string>();
  const tanks = new Set<string | null>();
  // Doses add up within a recipe: the daily cap must hold for all of them together.
  const dosedHere = new Map<string, number>();
  for (const [index, step] of recipe.steps.entries()) {
    if (step.kind === 'wait-in-band') {
      const sensor = state.channels.find((c) => c.id === step.sensorId);
      if (!sensor) return { ok: false, message: `recipe ${recipe.name}, step ${index + 1}: there is no sensor "${step.sensorId}" on this controller (it may have been removed); choose another in the recipe` };
      continue;
    }
    if (step.kind === 'water-change') {
      // The drain's floor is checked when it runs; what can be known now is the plumbing and the fill's target.
      for (const part of [planDrain({ kind: 'drain-to', tankId: step.tankId, toLiters: Number.MAX_VALUE }, state, 'later'), planFillTo({ kind: 'fill-to', tankId: step.tankId, toLiters: step.toLiters }, state, 'later')]) {
        if (!part.ok) return { ok: false, message: `recipe ${recipe.name}, step ${index + 1}: ${part.message}` };
        for (const channel of part.plan.channels) channels.add(channel);
        tanks.add(part.plan.tankId);
      }
      continue;
    }
    if (step.kind !== 'job') continue;
    // A step runs after those before it, which may fill or drain: its level is judged when it starts.
    const planned = planSimple(step.job, state, (pumpId) => deliveredToday(pumpId) + (dosedHere.get(pumpId) ?? 0), limits, 'later');
    if (!planned.ok) return { ok: false, message: `recipe ${recipe.name}, step ${index + 1}: ${planned.message}` };
    if (step.job.kind === 'dose') dosedHere.set(step.job.pumpId, (dosedHere.get(step.job.pumpId) ?? 0) + step.job.ml);
    for (const channel of planned.plan.channels) channels.add(channel);
    tanks.add(planned.plan.tankId);
  }
  const [only] = tanks;
  return { ok: true, plan: { tankId: tanks.size === 1 ? (only ?? null) : null, channels: [...channels] } };
}
