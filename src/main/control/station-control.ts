/**
 * The one door for commands from any screen: the desktop over IPC, phones and PCs over the LAN.
 * Every command is parsed with the shared schema, checked against the sender's role, run once
 * per idempotency key, and answered with an ack that says what happened or why not.
 */
import { parseCommand, VIEWER_COMMANDS, type Command, type CommandAck, type ErrorCode } from '../../shared/commands';
import type { Role } from '../../shared/station';
import { CommandError } from '../link';
import { describeJob, type JobAnswer } from '../jobs';
import type { StationCore } from '../station';
import { IdempotencyCache } from './idempotency';

/** Who sent a command: the token (or the desktop) it came through, and that token's role. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
}

export interface StationControl {
  handle(principal: Principal, input: unknown): Promise<CommandAck>;
}

export interface StationControlOptions {
  log?: (line: string) => void;
  idempotency?: IdempotencyCache;
}

export function createStationControl(core: StationCore, options: StationControlOptions = {}): StationControl {
  const log = options.log ?? (() => {});
  const seen = options.idempotency ?? new IdempotencyCache();

  async function run(principal: Principal, command: Command): Promise<CommandAck> {
    const jobAck = (answer: JobAnswer): CommandAck => (answer.ok ? { ok: true, result: { job: answer.job } } : { ok: false, error: answer.error });
    switch (command.type) {
      case 'relay.set':
        await core.setRelay(command.relayId, command.on);
        return { ok: true, result: { relayId: command.relayId, on: command.on } };
      case 'pump.dose': {
        const job = await core.dose(command.pumpId, command.ml, principal.name);
        return { ok: true, result: { pumpId: command.pumpId, ml: command.ml, jobId: job.id } };
      }
      case 'estop':
        core.emergencyStop();
        return { ok: true, result: { latched: true } };
      case 'estop.reset':
        await core.resetEmergencyStop();
        return { ok: true, result: { latched: false } };
      case 'job.start':
        return jobAck(core.jobs.start(command.job, principal.name, command.priority));
      case 'job.cancel':
        return jobAck(core.jobs.cancel(command.jobId, principal.name));
      case 'job.pause':
        return jobAck(core.jobs.pause(command.jobId));
      case 'job.resume':
        return jobAck(core.jobs.resume(command.jobId));
      case 'recipe.create':
        return { ok: true, result: { recipe: core.setup.createRecipe(command.recipe) } };
      case 'recipe.update':
        return { ok: true, result: { recipe: core.setup.updateRecipe(command.recipe) } };
      case 'recipe.delete':
        core.setup.deleteRecipe(command.recipeId);
        return { ok: true, result: { recipeId: command.recipeId } };
      case 'schedule.create':
        return { ok: true, result: core.setup.createSchedule(command.schedule) };
      case 'schedule.update':
        return { ok: true, result: core.setup.updateSchedule(command.schedule) };
      case 'schedule.delete':
        core.setup.deleteSchedule(command.scheduleId);
        return { ok: true, result: { scheduleId: command.scheduleId } };
      case 'schedule.enable':
        return { ok: true, result: core.setup.enableSchedule(command.scheduleId, command.enabled) };
      case 'schedule.preview':
        return { ok: true, result: { runs: core.setup.previewSchedule(command.schedule, command.scheduleId, command.count) } };
      case 'calibration.pump.run':
        return jobAck(core.setup.runPumpCalibration(command.pumpId, command.seconds, principal.name));
      case 'calibration.pump.save':
        return { ok: true, result: core.setup.savePumpCalibration(command.jobId, command.measuredMl, command.confirm ?? false) };
      case 'calibration.flow.run':
        return jobAck(core.setup.runFlowCalibration(command.tankId, command.liters, principal.name));
      case 'calibration.flow.save':
        return { ok: true, result: core.setup.saveFlowCalibration(command.jobId, command.measuredLiters, command.confirm ?? false) };
    }
  }

  async function execute(principal: Principal, command: Command): Promise<CommandAck> {
    let ack: CommandAck;
    try {
      ack = await run(principal, command);
    } catch (err) {
      ack = { ok: false, error: { code: errorCode(err), message: (err as Error).message } };
    }
    log(`command: ${principal.name} (${principal.role}) ${describe(command)}: ${ack.ok ? 'done' : `${ack.error.code}, ${ack.error.message}`}`);
    return ack;
  }

  return {
    handle(principal, input) {
      const parsed = parseCommand(input);
      if (!parsed.ok) return Promise.resolve({ ok: false, error: parsed.error });
      const command = parsed.command;
      if (principal.role !== 'operator' && !VIEWER_COMMANDS.has(command.type)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'FORBIDDEN', message: `${command.type} needs an operator token; this screen is paired as a viewer. Pair it again with the operator link to control the station` },
        });
      }
      // Stopping is always safe and always urgent: every estop acts, whatever its id.
      if (command.type === 'estop') return execute(principal, command);
      const { id, ...what } = command;
      return seen.run(`${principal.id}\u0000${id}`, JSON.stringify(what), () => execute(principal, command));
    },
  };
}

function describe(command: Command): string {
  switch (command.type) {
    case 'relay.set':
      return `relay.set ${command.relayId} ${command.on ? 'on' : 'off'}`;
    case 'pump.dose':
      return `pump.dose ${command.pumpId} ${command.ml} mL`;
    case 'job.start':
      return `job.start ${describeJob(command.job)}`;
    case 'recipe.create':
    case 'recipe.update':
      return `${command.type} ${command.recipe.id}`;
    case 'schedule.create':
    case 'schedule.update':
      return `${command.type} ${command.schedule.id}`;
    case 'recipe.delete':
      return `${command.type} ${command.recipeId}`;
    case 'schedule.delete':
    case 'schedule.enable':
      return `${command.type} ${command.scheduleId}`;
    case 'calibration.pump.run':
      return `${command.type} ${command.pumpId} ${command.seconds} s`;
    case 'calibration.flow.run':
      return `${command.type} ${command.tankId} ${command.liters} L`;
    case 'calibration.pump.save':
      return `${command.type} job ${command.jobId}: ${command.measuredMl} mL`;
    case 'calibration.flow.save':
      return `${command.type} job ${command.jobId}: ${command.measuredLiters} L`;
    case 'job.cancel':
    case 'job.pause':
    case 'job.resume':
      return `${command.type} ${command.jobId}`;
    default:
      return command.type;
  }
}

/** The link's reasons, in the LAN API's codes (docs/lan-api.md). */
function errorCode(err: unknown): ErrorCode {
  if (!(err instanceof CommandError)) return 'INTERNAL';
  switch (err.code) {
    case 'LINK_DOWN':
      return 'NOT_READY';
    case 'ESTOP':
      return 'ESTOP';
    case 'TIMEOUT':
      return 'TIMEOUT';
    case 'NOT_READY':
      return 'NOT_READY';
    case 'INVALID':
      return 'INVALID';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    default:
      return 'REFUSED';
  }
}
