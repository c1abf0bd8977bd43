/** Changing the caps jobs run within, as the command door runs and logs it. */
import type { CommandTable } from '../../shared/command-table';
import type { CapsDesk } from './caps-desk';

export function capsCommands(caps: Pick<CapsDesk, 'configure'>): CommandTable<'safety.configure'> {
  return {
    'safety.configure': {
      run: (command, principal) => ({ ok: true, result: caps.configure(command.limits, principal.name) }),
      describe: (command) => `${command.type} ${JSON.stringify(command.limits)}`,
    },
  };
}
