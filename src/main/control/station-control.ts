/**
 * The one door for commands from any screen: the desktop over IPC, phones and PCs over the LAN.
 * Every command is parsed with the shared schema, checked against the sender's role, run once
 * per idempotency key, and answered with an ack that says what happened or why not. What each
 * command does is its subsystem's (its `commands.ts`); the door looks it up in one table.
 */
import { parseCommand, VIEWER_COMMANDS, type Command, type CommandAck, type CommandType, type ErrorCode } from '../../shared/commands';
import type { CommandEntry, CommandTable, Principal } from '../../shared/command-table';
import { plainText } from '../../shared/plain-text';
import { Refusal } from '../../shared/refusal';
import { jobCommands } from '../jobs/commands';
import { capsCommands, tankCommands } from '../jobs';
import { recipeCommands } from '../recipes';
import { calibrationCommands } from '../calibration';
import { scheduleCommands } from '../schedules';
import { alertCommands } from '../alerts/commands';
import { alarmCommands } from '../alarms/commands';
import { notifyCommands } from '../notify/commands';
import { stationCommands, type StationCore } from '../station';
import { IdempotencyCache } from './idempotency';
import { MAX_SCREENS_PAGE, type AccessToken, type LanStatus, type PairingResult, type ScreenPage } from '../../shared/admin';
import type { MqttSettingsInput, MqttStatus } from '../../shared/mqtt-settings';
import type { Role } from '../../shared/station';
import type { NotifyDesk } from '../notify';

export type { Principal } from '../../shared/command-table';

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
  /** The screens connected now, a page of them in the order they connected. */
  screens(offset: number, limit: number): ScreenPage;
  /** Present only where the server can be reconfigured from the app: the desktop. */
  configure?(enabled: boolean, port: number): Promise<LanStatus>;
}

/** The station on the MQTT broker as Settings sees it; main/mqtt's desk implements it. */
export interface MqttDesk {
  status(): MqttStatus;
  /** Saves, audits under `by`, and reconnects with the new settings. */
  configure(input: MqttSettingsInput, by: string): Promise<MqttStatus>;
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
  /** The MQTT settings; without it (a station that cannot publish) those commands are refused. */
  mqtt?: MqttDesk;
}

/** Every command the door takes, by type: leaving one out, or its description, fails to compile. */
type DoorTable = { [K in CommandType]: CommandEntry<K> };

export function createStationControl(core: StationCore, options: StationControlOptions = {}): StationControl {
  const log = options.log ?? (() => {});
  const seen = options.idempotency ?? new IdempotencyCache();
  const notify = (): NotifyDesk => {
    const desk = options.notify ?? core.notify;
    if (!desk) throw new Refusal('NOT_READY', 'this station sends no notifications');
    return desk;
  };

  const table: DoorTable = {
    ...stationCommands(core),
    ...jobCommands(core.jobs, (pumpId, ml, by) => core.dose(pumpId, ml, by)),
    ...alertCommands(core.alerts),
    ...recipeCommands(core.recipes),
    ...scheduleCommands(core.schedules),
    ...calibrationCommands(core.calibration),
    ...accessCommands(options),
    ...alarmCommands(core.alarms),
    ...capsCommands(core.caps),
    ...tankCommands(core.tankSettings),
    ...notifyCommands(notify),
    ...mqttCommands(options),
  };
  const entry = <K extends CommandType>(command: Extract<Command, { type: K }>): CommandEntry<K> => table[command.type as K] as CommandEntry<K>;

  async function execute(principal: Principal, command: Command): Promise<CommandAck> {
    const { run, describe } = entry(command);
    let ack: CommandAck;
    try {
      ack = await run(command, principal);
    } catch (err) {
      ack = { ok: false, error: { code: errorCode(err), message: (err as Error).message } };
    }
    // Labels, names and messages in the line come from screens: one line per command, always.
    log(plainText(`command: ${principal.name} (${principal.role}) ${describe(command)}: ${ack.ok ? 'done' : `${ack.error.code}, ${ack.error.message}`}`));
    return ack;
  }

  return {
    handle(sender, input) {
      // A broker user's name comes from its command topic, which the broker's ACL guards, and
      // already says "MQTT user": it is no LAN screen.
      const principal = sender.local || sender.mqtt ? sender : onTheLan(sender, options.access);
      const parsed = parseCommand(input);
      if (!parsed.ok) return Promise.resolve({ ok: false, error: parsed.error });
      const command = parsed.command;
      if (principal.role !== 'operator' && !VIEWER_COMMANDS.has(command.type)) {
        return Promise.resolve({
          ok: false,
          error: {
            code: 'FORBIDDEN',
            message: principal.mqtt
              ? `${command.type} needs an operator; this broker user is a viewer in mqtt.commands.users. Make it "operator" in the station's settings to control the station`
              : `${command.type} needs an operator token; this screen is paired as a viewer. Pair it again with the operator link to control the station`,
          },
        });
      }
      // Stopping is always safe and always urgent: every estop acts, whatever its id.
      if (command.type === 'estop') return execute(principal, command);
      const { id, ...what } = command;
      return seen.run(`${principal.id}\u0000${id}`, JSON.stringify(what), () => execute(principal, command));
    },
  };
}

/**
 * A screen on the LAN names itself, so it could call itself "desktop", "the station's computer"
 * or "schedule Lights". Whatever it did is recorded (jobs, the dose audit, alerts, the settings
 * audit, the log) under its name marked as a LAN screen, with the label its token was paired
 * under beside it, so the record never passes for the station's own computer or a schedule.
 */
function onTheLan(principal: Principal, access: AccessDesk | undefined): Principal {
  const label = access?.tokens().find((token) => token.id === principal.id)?.label;
  const paired = label === undefined ? '' : ` paired as “${plainText(label)}”`;
  return { ...principal, name: `${principal.name} (LAN screen${paired})` };
}

type AccessCommand = 'access.tokens' | 'access.pair' | 'access.revoke' | 'lan.status' | 'lan.screens' | 'lan.configure';

/** Pairing and the LAN server: the door's own ports, which the LAN server implements. */
function accessCommands(options: Pick<StationControlOptions, 'access' | 'lan'>): CommandTable<AccessCommand> {
  const noLan = (): never => {
    throw new Refusal('NOT_READY', 'this station has no LAN server, so there are no screens to pair');
  };
  const access = (): AccessDesk => options.access ?? noLan();
  const lan = (): LanDesk => options.lan ?? noLan();
  return {
    'access.tokens': {
      run: () => ({ ok: true, result: { tokens: access().tokens() satisfies AccessToken[] } }),
      describe: (command) => command.type,
    },
    'access.pair': {
      run: (command) => ({ ok: true, result: access().pair(command.role, command.label) }),
      describe: (command) => `${command.type} ${command.role} "${command.label}"`,
    },
    'access.revoke': {
      run: (command) => ({ ok: true, result: { token: access().revoke(command.tokenId) } }),
      describe: (command) => `${command.type} ${command.tokenId}`,
    },
    'lan.status': {
      run: () => ({ ok: true, result: lan().status() }),
      describe: (command) => command.type,
    },
    'lan.screens': {
      run: (command) => ({ ok: true, result: lan().screens(command.offset ?? 0, command.limit ?? MAX_SCREENS_PAGE) }),
      describe: (command) => command.type,
    },
    'lan.configure': {
      run: async (command, principal) => {
        const desk = lan();
        if (!principal.local || !desk.configure) {
          return {
            ok: false,
            error: { code: 'FORBIDDEN', message: "the LAN server is switched on or off on the station's own computer (its Settings screen, or lan in settings.json)" },
          };
        }
        return { ok: true, result: await desk.configure(command.enabled, command.port) };
      },
      describe: (command) => `${command.type} ${command.enabled ? 'on' : 'off'} port ${command.port}`,
    },
  };
}

/** The MQTT settings: read by anyone (no secret is in them), changed by an operator on a screen. */
function mqttCommands(options: Pick<StationControlOptions, 'mqtt'>): CommandTable<'mqtt.status' | 'mqtt.configure'> {
  const mqtt = (): MqttDesk => {
    if (!options.mqtt) throw new Refusal('NOT_READY', 'this station does not publish to MQTT');
    return options.mqtt;
  };
  return {
    'mqtt.status': {
      run: () => ({ ok: true, result: mqtt().status() }),
      describe: (command) => command.type,
    },
    'mqtt.configure': {
      run: async (command, principal) => {
        // A broker user could point the station at another broker, or lock every user out of this one.
        if (principal.mqtt) {
          return { ok: false, error: { code: 'FORBIDDEN', message: "MQTT is set up from the station's Settings screen, not over MQTT" } };
        }
        return { ok: true, result: await mqtt().configure(command.settings, principal.name) };
      },
      describe: (command) => `${command.type} ${command.settings.enabled ? 'on' : 'off'}`,
    },
  };
}

/**
 * A refusal says its own code: the modules refuse in the LAN API's codes, and the link turns the
 * controller's reasons into them at its edge. Anything else that escapes a command is a fault.
 */
function errorCode(err: unknown): ErrorCode {
  return err instanceof Refusal ? err.code : 'INTERNAL';
}
