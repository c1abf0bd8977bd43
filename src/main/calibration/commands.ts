/**
 * The calibration commands, as the command door runs and logs them. Each kind keeps its own
 * command names and answer fields (docs/lan-api.md); the desk behind them is one code path.
 */
import type { CommandTable } from '../../shared/command-table';
import { jobAck } from '../jobs/commands';
import type { CalibrationBook } from './calibration-desk';

type CalibrationCommand =
  | 'calibration.pump.run'
  | 'calibration.pump.save'
  | 'calibration.flow.run'
  | 'calibration.flow.save'
  | 'calibration.pump.reset'
  | 'calibration.flow.reset'
  | 'calibration.probe.capture'
  | 'calibration.probe.save'
  | 'calibration.probe.reset';

export function calibrationCommands(calibration: CalibrationBook): CommandTable<CalibrationCommand> {
  return {
    'calibration.pump.run': {
      run: (command, principal) => jobAck(calibration.run('pump', command.pumpId, command.seconds, principal.name)),
      describe: (command) => `${command.type} ${command.pumpId} ${command.seconds} s`,
    },
    'calibration.pump.save': {
      run: (command) => {
        const { id, figure, previous } = calibration.save('pump', command.jobId, command.measuredMl, command.confirm ?? false);
        return { ok: true, result: { pumpId: id, mlPerSecond: figure, previous } };
      },
      describe: (command) => `${command.type} job ${command.jobId}: ${command.measuredMl} mL`,
    },
    'calibration.flow.run': {
      run: (command, principal) => jobAck(calibration.run('flow', command.tankId, command.liters, principal.name)),
      describe: (command) => `${command.type} ${command.tankId} ${command.liters} L`,
    },
    'calibration.flow.save': {
      run: (command) => {
        const { id, figure, previous } = calibration.save('flow', command.jobId, command.measuredLiters, command.confirm ?? false);
        return { ok: true, result: { meterId: id, pulsesPerLiter: figure, previous } };
      },
      describe: (command) => `${command.type} job ${command.jobId}: ${command.measuredLiters} L`,
    },
    'calibration.pump.reset': {
      run: (command, principal) => {
        const { id, figure, previous } = calibration.reset('pump', command.pumpId, principal.name);
        return { ok: true, result: { pumpId: id, mlPerSecond: figure, previous } };
      },
      describe: (command) => `${command.type} ${command.pumpId}`,
    },
    'calibration.flow.reset': {
      run: (command, principal) => {
        const { id, figure, previous } = calibration.reset('flow', command.meterId, principal.name);
        return { ok: true, result: { meterId: id, pulsesPerLiter: figure, previous } };
      },
      describe: (command) => `${command.type} ${command.meterId}`,
    },
    'calibration.probe.capture': {
      run: (command) => ({ ok: true, result: { ...calibration.probes.capture(command.sensorId, command.solution, command.confirm ?? false, command.first ?? false) } }),
      describe: (command) => `${command.type} ${command.sensorId} in ${command.solution}${command.confirm ? ' (confirmed)' : ''}`,
    },
    'calibration.probe.save': {
      run: (command, principal) => {
        const { calibration: saved, health } = calibration.probes.save(command.sensorId, principal.name, command.confirm ?? false);
        return { ok: true, result: { sensorId: command.sensorId, slope: saved.slope, offset: saved.offset, points: saved.points, health } };
      },
      describe: (command) => `${command.type} ${command.sensorId}${command.confirm ? ' (confirmed)' : ''}`,
    },
    'calibration.probe.reset': {
      run: (command, principal) => ({ ok: true, result: { ...calibration.probes.reset(command.sensorId, principal.name) } }),
      describe: (command) => `${command.type} ${command.sensorId}`,
    },
  };
}
