/** The schedule commands, as the command door runs and logs them. */
import type { CommandTable } from '../../shared/command-table';
import type { ScheduleBook } from './schedule-desk';

type ScheduleCommand = 'schedule.create' | 'schedule.update' | 'schedule.delete' | 'schedule.enable' | 'schedule.preview';

export function scheduleCommands(schedules: ScheduleBook): CommandTable<ScheduleCommand> {
  return {
    'schedule.create': {
      run: (command) => ({ ok: true, result: schedules.create(command.schedule) }),
      describe: (command) => `${command.type} ${command.schedule.id}`,
    },
    'schedule.update': {
      run: async (command) => ({ ok: true, result: await schedules.update(command.schedule) }),
      describe: (command) => `${command.type} ${command.schedule.id}`,
    },
    'schedule.delete': {
      run: async (command) => ({ ok: true, result: { scheduleId: command.scheduleId, ...(await schedules.delete(command.scheduleId)) } }),
      describe: (command) => `${command.type} ${command.scheduleId}`,
    },
    'schedule.enable': {
      run: async (command) => ({ ok: true, result: await schedules.enable(command.scheduleId, command.enabled) }),
      describe: (command) => `${command.type} ${command.scheduleId}`,
    },
    'schedule.preview': {
      run: (command) => ({ ok: true, result: { runs: schedules.preview(command.schedule, command.scheduleId, command.count) } }),
      describe: (command) => command.type,
    },
  };
}
