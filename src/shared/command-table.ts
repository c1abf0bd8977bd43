/**
 * How a subsystem offers its commands to the one door (src/main/control): for each command type
 * it handles, how to carry it out and how to name it in the station's log. The door composes
 * every subsystem's table into one keyed by every command type, so a command with no handler or
 * no description fails to compile. Types only, here, so that subsystems below the door can
 * offer commands without importing it.
 */
import type { Command, CommandAck, CommandType } from './commands';
import type { Role } from './station';

/** Who sent a command: the token (or the desktop) it came through, and that token's role. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
  /** The station's own computer, rather than a screen on the LAN. */
  local?: boolean;
  /** A broker user commanding over MQTT, named by the broker (its ACL), not by itself. */
  mqtt?: boolean;
}

/** One command type's payload, as the shared schema parsed it. */
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

export interface CommandEntry<K extends CommandType> {
  /** Carries the command out; a refusal is thrown, and the door turns it into the ack's error. */
  run(command: CommandOf<K>, principal: Principal): Promise<CommandAck> | CommandAck;
  /** The command as the station's log names it. */
  describe(command: CommandOf<K>): string;
}

/** The commands one subsystem handles. */
export type CommandTable<K extends CommandType> = { [P in K]: CommandEntry<P> };

/**
 * Who did it, as alerts name them on every screen: a screen by its name, or the station's own
 * computer (its window, its tray), which calls itself "this computer" only in its own log.
 */
export function who(principal: Principal): string {
  return principal.local ? principal.name.replace(/^this computer/, "the station's computer") : principal.name;
}

