/** Changing the caps jobs run within, and the tanks they run on, as the command door runs and logs it. */
import type { CommandTable } from '../../shared/command-table';
import type { CapsDesk } from './caps-desk';
import type { TankDesk } from './tank-desk';

export function capsCommands(caps: Pick<CapsDesk, 'configure'>): CommandTable<'safety.configure'> {
  return {
    'safety.configure': {
      run: (command, principal) => ({ ok: true, result: caps.configure(command.limits, principal.name) }),
      describe: (command) => `${command.type} ${JSON.stringify(command.limits)}`,
    },
  };
}

export function tankCommands(tanks: Pick<TankDesk, 'configure'>): CommandTable<'tanks.configure'> {
  return {
    'tanks.configure': {
      run: (command, principal) => ({ ok: true, result: tanks.configure(command.tankId, command.tank, principal.name) }),
      describe: (command) => `${command.type} ${command.tankId} ${JSON.stringify(command.tank)}`,
    },
  };
}
