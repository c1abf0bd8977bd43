/**
 * Commands over MQTT (docs/mqtt.md, "Commands"): the LAN API's JSON commands on
 * `<prefix>/command/<user>`, and Home Assistant's switches and buttons on `<prefix>/ha/…`, carried
 * to the one door like a screen's, with the role settings.json gives the broker user.
 *
 * Who sent a message: a subscriber is never told who published it, so the name cannot come from
 * the message. It comes from the topic, and the broker vouches for it: the ACL documented in
 * docs/mqtt.md (`pattern write tendril/+/command/%u`) lets each user write only the topic named
 * after itself, and only Home Assistant's user write `…/ha/#`. A payload that names a user is
 * never believed; a user not in mqtt.commands.users is refused, and told so, whatever it sends.
 *
 * MQTT delivers at least once: a QoS 1 message may come again after a reconnect or a broker
 * restart. The door acts once per (user, id), so a command must carry its `id`; one without is
 * refused with that advice rather than risk a dose given twice.
 */
import { randomUUID } from 'node:crypto';
import type { CommandAck } from '../../shared/commands';
import type { Principal } from '../../shared/command-table';
import { plainText } from '../../shared/plain-text';
import type { Role, StationState } from '../../shared/station';
import type { StationControl } from '../control';
import { RefusalAlerts } from './refusal-alerts';
import { topicLevel, type StationTopics } from './topics';

/** The LAN's bound for one command: a command that fits one road fits the other. */
export const MAX_COMMAND_BYTES = 64 * 1024;
/** Commands per broker user: a burst of this many, refilled at this rate per second, as per LAN token. */
export const COMMAND_BURST = 20;
export const COMMANDS_PER_SECOND = 10;

export interface MqttCommandSettings {
  /** Broker user name → role; anyone else is refused. */
  users: Record<string, Role>;
  /** The broker user Home Assistant connects as: the ACL lets only it write `…/ha/#`. */
  homeAssistantUser?: string;
}

/** Where an answer goes: the MQTT 5 response topic with its correlation data, or the user's ack topic. */
export interface Reply {
  topic: string;
  payload: string;
  correlationData?: Buffer;
}

/** What came with a message besides its topic and payload (MQTT 5's request-response properties). */
export interface Incoming {
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface MqttCommandsOptions {
  control: Pick<StationControl, 'handle'>;
  settings: MqttCommandSettings;
  state(): Pick<StationState, 'channels' | 'recipes'>;
  log(line: string): void;
  /** A refused Home Assistant press has no one to answer: the grower is told with an alert, at most once a minute per switch or button. */
  alert(message: string): void;
  now?: () => number;
}

export class MqttCommands {
  private readonly allowances = new Map<string, { left: number; at: number }>();
  private readonly now: () => number;
  private readonly refusals: RefusalAlerts;

  constructor(private readonly options: MqttCommandsOptions) {
    this.now = options.now ?? Date.now;
    this.refusals = new RefusalAlerts(options.alert, this.now);
  }

  /** One message on a command topic, answered; null for a topic that is not a command's. */
  async take(topics: StationTopics, topic: string, payload: Buffer, incoming: Incoming = {}): Promise<Reply | null> {
    const levels = topics.within(topic)?.split('/');
    if (!levels) return null;
    if (levels[0] === 'command' && levels.length === 2) return this.command(topics, levels[1]!, payload, incoming);
    if (levels[0] === 'ha') return this.homeAssistant(topics, levels.slice(1), payload);
    return null;
  }

  private async command(topics: StationTopics, user: string, payload: Buffer, incoming: Incoming): Promise<Reply> {
    // A response topic that is itself a command topic would put the answer in someone's name.
    const responseTopic = incoming.responseTopic && !isCommandTopic(topics, incoming.responseTopic) ? incoming.responseTopic : undefined;
    const reply = (ack: CommandAck, id?: string): Reply => ({
      topic: responseTopic ?? topics.commandAck(user),
      payload: JSON.stringify(id === undefined ? ack : { id, ...ack }),
      ...(incoming.correlationData ? { correlationData: incoming.correlationData } : {}),
    });
    const refuse = (code: 'INVALID' | 'FORBIDDEN' | 'RATE_LIMITED', message: string, id?: string): Reply => {
      // The user level is whatever the broker let through: one plain line in the log, always.
      this.options.log(plainText(`mqtt: command from ${user} refused: ${code}, ${message}`));
      return reply({ ok: false, error: { code, message } }, id);
    };
    const role = this.roleOf(user);
    if (!role) return refuse('FORBIDDEN', `the broker user "${user}" may not command this station; add it to mqtt.commands.users in the station's settings as "viewer" or "operator"`);
    if (payload.length > MAX_COMMAND_BYTES) {
      return refuse('INVALID', `a command is at most ${MAX_COMMAND_BYTES / 1024} KiB of JSON; this one is ${Math.ceil(payload.length / 1024)} KiB, so it was not read`);
    }
    let input: unknown;
    try {
      input = JSON.parse(payload.toString('utf8'));
    } catch (error) {
      return refuse('INVALID', `the payload is not JSON (${(error as Error).message}); send one command as a JSON object such as {"id": "…", "type": "estop"}`);
    }
    const id = typeof input === 'object' && input !== null && typeof (input as { id?: unknown }).id === 'string' ? (input as { id: string }).id : undefined;
    if (typeof input === 'object' && input !== null && !Array.isArray(input) && !('id' in input)) {
      return refuse('INVALID', 'id is missing: MQTT may deliver a message twice (after a reconnect or a broker restart), and the station acts once per id; give every command a new id, such as a UUID');
    }
    if (!isStop(input) && !this.spend(user)) {
      return refuse('RATE_LIMITED', `too many commands from this broker user (at most ${COMMAND_BURST} at once, then ${COMMANDS_PER_SECOND} per second); slow down and retry`, id);
    }
    return reply(await this.send(principalOf(user, role), input), id);
  }

  /**
   * Home Assistant's switches and buttons: plain ON, OFF and PRESS, turned into the door's
   * commands with its user's role. Each press is a new command (Home Assistant sends no id): a
   * switch set twice is set, a stop twice is stopped, and a recipe already running is refused.
   */
  private async homeAssistant(topics: StationTopics, levels: string[], payload: Buffer): Promise<Reply | null> {
    const user = this.options.settings.homeAssistantUser;
    const state = this.options.state();
    const text = payload.toString('utf8').trim().toUpperCase();
    let command: Record<string, unknown> | null = null;
    let what = levels.join('/');
    if (levels[0] === 'relays' && levels[2] === 'set' && levels.length === 3) {
      const relay = state.channels.find((channel) => channel.kind === 'relay' && topicLevel(channel.id) === levels[1]);
      what = `switch ${relay?.name || levels[1]}`;
      if (relay && (text === 'ON' || text === 'OFF')) command = { type: 'relay.set', relayId: relay.id, on: text === 'ON' };
    } else if (levels[0] === 'estop' && levels[1] === 'press' && levels.length === 2) {
      what = 'emergency stop button';
      command = { type: 'estop' };
    } else if (levels[0] === 'recipes' && levels[2] === 'run' && levels.length === 3) {
      const recipe = state.recipes.find((r) => topicLevel(r.id) === levels[1]);
      what = `recipe button ${recipe?.name ?? levels[1]}`;
      if (recipe) command = { type: 'job.start', job: { kind: 'recipe', recipeId: recipe.id } };
    } else {
      return null;
    }
    let ack: CommandAck;
    const role = user === undefined ? undefined : this.roleOf(user);
    if (user === undefined || !role) {
      ack = { ok: false, error: { code: 'FORBIDDEN', message: "Home Assistant's switches and buttons are not taken: set mqtt.commands.homeAssistantUser to the broker user Home Assistant connects as, with its role in mqtt.commands.users" } };
    } else if (!command) {
      ack = { ok: false, error: { code: 'INVALID', message: `the ${what} sent "${payload.toString('utf8').slice(0, 40)}", which names nothing the station has (ON or OFF for a switch, PRESS for a button)` } };
    } else {
      ack = await this.send(principalOf(user, role), { id: randomUUID(), ...command });
    }
    if (!ack.ok) this.refusals.refused(what, plainText(`Home Assistant's ${what} was refused: ${ack.error.message}`));
    return user === undefined ? null : { topic: topics.commandAck(user), payload: JSON.stringify(ack) };
  }

  private roleOf(user: string): Role | undefined {
    return Object.hasOwn(this.options.settings.users, user) ? this.options.settings.users[user] : undefined;
  }

  private send(principal: Principal, input: unknown): Promise<CommandAck> {
    return this.options.control.handle(principal, input).catch((error: unknown): CommandAck => ({ ok: false, error: { code: 'INTERNAL', message: (error as Error).message } }));
  }

  /** The LAN's allowance, per broker user; stopping is never rationed. */
  private spend(user: string): boolean {
    const now = this.now();
    const allowance = this.allowances.get(user) ?? { left: COMMAND_BURST, at: now };
    allowance.left = Math.min(COMMAND_BURST, allowance.left + (Math.max(0, now - allowance.at) / 1000) * COMMANDS_PER_SECOND);
    allowance.at = now;
    this.allowances.set(user, allowance);
    if (allowance.left < 1) return false;
    allowance.left -= 1;
    return true;
  }
}

/** A broker user as the door and the audit name it: `mqtt:<user>` keys its ids apart from every screen's. */
function principalOf(user: string, role: Role): Principal {
  return { id: `mqtt:${user}`, role, name: `${user} (MQTT user)`, mqtt: true };
}

function isCommandTopic(topics: StationTopics, topic: string): boolean {
  const levels = topics.within(topic)?.split('/');
  return levels !== undefined && ((levels[0] === 'command' && levels.length === 2) || levels[0] === 'ha');
}

function isStop(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { type?: unknown }).type === 'estop';
}
