/**
 * The one door for commands from any screen: the desktop over IPC, phones and PCs over the LAN.
 * Every command is parsed with the shared schema, checked against the sender's role, run once
 * per idempotency key, and answered with an ack that says what happened or why not.
 */
import { parseCommand, VIEWER_COMMANDS, type Command, type CommandAck, type ErrorCode } from '../../shared/commands';
import type { Role } from '../../shared/station';
import { CommandError } from '../link';
import { describeJob, type JobAnswer } from '../jobs';
import type { StationCore, StationSource } from '../station';
import { IdempotencyCache } from './idempotency';
import type { AccessToken, ChosenSource, ConnectResult, LanStatus, PairingResult, PortList } from '../../shared/admin';
import type { NotifyDesk } from '../notify';

/** Who sent a command: the token (or the desktop) it came through, and that token's role. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
  /** The station's own computer, rather than a screen on the LAN. */
  local?: boolean;
}

/**
 * Pairing as Settings sees it: list the screens that may use the station, pair a new one, and
 * revoke one. The LAN server's token store implements it; the door only asks.
 */
export interface AccessDesk {
  /** Every token, oldest first. */
  tokens(): AccessToken[];
  /** A new token for `role`, in one link per address the LAN server answers on. */
  pair(role: Role, label: string): PairingResult;
  /** Removes a token; its screens are disconnected at once. */
  revoke(tokenId: string): AccessToken;
}

/** The LAN server as Settings sees it. */
export interface LanDesk {
  status(): LanStatus;
  /** Present only where the server can be reconfigured from the app: the desktop. */
  configure?(enabled: boolean, port: number): Promise<LanStatus>;
}

export interface StationControl {
  handle(principal: Principal, input: unknown): Promise<CommandAck>;
}

export interface StationControlOptions {
  log?: (line: string) => void;
  idempotency?: IdempotencyCache;
  /** Pairing and revoking screens; without it (no LAN server) those commands are refused. */
  access?: AccessDesk;
  lan?: LanDesk;
  /** Notifications; the core's own when left out. */
  notify?: NotifyDesk;
}

export function createStationControl(core: StationCore, options: StationControlOptions = {}): StationControl {
  const log = options.log ?? (() => {});
  const seen = options.idempotency ?? new IdempotencyCache();
  const noLan = (): never => {
    throw new CommandError('NOT_READY', 'this station has no LAN server, so there are no screens to pair');
  };
  const access = (): AccessDesk => options.access ?? noLan();
  const lan = (): LanDesk => options.lan ?? noLan();
  const notify = (): NotifyDesk => {
    const desk = options.notify ?? core.notify;
    if (!desk) throw new CommandError('NOT_READY', 'this station sends no notifications');
    return desk;
  };

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
        core.emergencyStop(who(principal));
        return { ok: true, result: { latched: true } };
      case 'estop.reset':
        await core.resetEmergencyStop(who(principal));
        return { ok: true, result: { latched: false } };
      case 'alert.ack':
        return { ok: true, result: { acknowledged: core.alerts.acknowledge(command.all ? 'all' : command.alertIds!, who(principal)) } };
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
        return { ok: true, result: await core.setup.updateSchedule(command.schedule) };
      case 'schedule.delete':
        return { ok: true, result: { scheduleId: command.scheduleId, ...(await core.setup.deleteSchedule(command.scheduleId)) } };
      case 'schedule.enable':
        return { ok: true, result: await core.setup.enableSchedule(command.scheduleId, command.enabled) };
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
      case 'station.ports': {
        const list: PortList = { ports: await core.connection.ports(), current: chosenSource(core.connection.source()) };
        return { ok: true, result: list };
      }
      case 'station.connect': {
        const outcome = await core.connection.switchTo(command.source);
        const result: ConnectResult = { source: command.source, ...outcome };
        return { ok: true, result };
      }
      case 'access.tokens':
        return { ok: true, result: { tokens: access().tokens() satisfies AccessToken[] } };
      case 'access.pair':
        return { ok: true, result: access().pair(command.role, command.label) };
      case 'access.revoke':
        return { ok: true, result: { token: access().revoke(command.tokenId) } };
      case 'lan.status':
        return { ok: true, result: lan().status() };
      case 'lan.configure': {
        const desk = lan();
        if (!principal.local || !desk.configure) {
          return {
            ok: false,
            error: { code: 'FORBIDDEN', message: "the LAN server is switched on or off on the station's own computer (its Settings screen, or lan in settings.json)" },
          };
        }
        return { ok: true, result: await desk.configure(command.enabled, command.port) };
      }
      case 'notify.status':
        return { ok: true, result: notify().status() };
      case 'notify.configure':
        return { ok: true, result: notify().configure(command.settings) };
      case 'notify.test':
        return { ok: true, result: await notify().test(command.channel) };
      case 'alarms.configure':
        return { ok: true, result: core.alarms.configure({ sensorId: command.sensorId, kind: command.kind }, command.limits, principal.name) };
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
    case 'station.connect':
      return `${command.type} ${command.source.kind === 'serial' ? `${command.source.path} at ${command.source.baud}` : command.source.kind}`;
    case 'access.pair':
      return `${command.type} ${command.role} "${command.label}"`;
    case 'access.revoke':
      return `${command.type} ${command.tokenId}`;
    case 'lan.configure':
      return `${command.type} ${command.enabled ? 'on' : 'off'} port ${command.port}`;
    case 'notify.test':
      return `${command.type} ${command.channel}`;
    case 'alarms.configure':
      return `${command.type} ${command.sensorId ?? command.kind}${command.limits ? '' : ' back to defaults'}`;
    case 'alert.ack':
      return `${command.type} ${command.all ? 'all' : command.alertIds!.join(', ')}`;
    default:
      return command.type;
  }
}

/**
 * Who did it, as alerts name them on every screen: a screen by its name, or the station's own
 * computer (its window, its tray), which calls itself "this computer" only in its own log.
 */
function who(principal: Principal): string {
  return principal.local ? principal.name.replace(/^this computer/, "the station's computer") : principal.name;
}

/** The source as a screen may see it: the simulator's time scale is the station's business. */
function chosenSource(source: StationSource): ChosenSource {
  return source.kind === 'simulated' ? { kind: 'simulated' } : source;
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
