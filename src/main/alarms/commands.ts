/** Changing the reading alarm limits, as the command door runs and logs it. */
import type { CommandTable } from '../../shared/command-table';
import type { ReadingAlarmDesk } from './reading-alarm-desk';

export function alarmCommands(alarms: Pick<ReadingAlarmDesk, 'configure'>): CommandTable<'alarms.configure'> {
  return {
    'alarms.configure': {
      run: (command, principal) => ({ ok: true, result: alarms.configure({ sensorId: command.sensorId, kind: command.kind }, command.limits, principal.name) }),
      describe: (command) => `${command.type} ${command.sensorId ?? command.kind}${command.limits ? '' : ' back to defaults'}`,
    },
  };
}
