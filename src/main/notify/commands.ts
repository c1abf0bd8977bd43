/** The notification commands, as the command door runs and logs them. */
import type { CommandTable } from '../../shared/command-table';
import type { NotifyDesk } from './notifier';

/** `notify`: the desk, looked up when a command comes; it throws when the station sends none. */
export function notifyCommands(notify: () => NotifyDesk): CommandTable<'notify.status' | 'notify.configure' | 'notify.test'> {
  return {
    'notify.status': {
      run: () => ({ ok: true, result: notify().status() }),
      describe: (command) => command.type,
    },
    'notify.configure': {
      run: (command) => ({ ok: true, result: notify().configure(command.settings) }),
      describe: (command) => command.type,
    },
    'notify.test': {
      run: async (command) => ({ ok: true, result: await notify().test(command.channel) }),
      describe: (command) => `${command.type} ${command.channel}`,
    },
  };
}
