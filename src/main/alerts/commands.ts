/** Acknowledging alerts, as the command door runs and logs it. */
import { who, type CommandTable } from '../../shared/command-table';

export interface AlertAcknowledger {
  /** The ids it acknowledged: those waiting for a person among `which`. */
  acknowledge(which: readonly number[] | 'all', by: string): number[];
}

export function alertCommands(alerts: AlertAcknowledger): CommandTable<'alert.ack'> {
  return {
    'alert.ack': {
      run: (command, principal) => ({ ok: true, result: { acknowledged: alerts.acknowledge(command.all ? 'all' : command.alertIds!, who(principal)) } }),
      describe: (command) => `${command.type} ${command.all ? 'all' : command.alertIds!.join(', ')}`,
    },
  };
}
