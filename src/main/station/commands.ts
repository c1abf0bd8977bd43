/** The station's own commands (outputs, the emergency stop, the controller's port), as the command door runs and logs them. */
import type { ConnectResult, ChosenSource, PortList } from '../../shared/admin';
import { who, type CommandTable } from '../../shared/command-table';
import type { StationCore, StationSource } from './types';

type StationCommand = 'relay.set' | 'estop' | 'estop.reset' | 'station.ports' | 'station.connect';

export function stationCommands(core: Pick<StationCore, 'setRelay' | 'emergencyStop' | 'resetEmergencyStop' | 'connection'>): CommandTable<StationCommand> {
  return {
    'relay.set': {
      run: async (command) => {
        await core.setRelay(command.relayId, command.on);
        return { ok: true, result: { relayId: command.relayId, on: command.on } };
      },
      describe: (command) => `relay.set ${command.relayId} ${command.on ? 'on' : 'off'}`,
    },
    estop: {
      run: (_command, principal) => {
        core.emergencyStop(who(principal));
        return { ok: true, result: { latched: true } };
      },
      describe: (command) => command.type,
    },
    'estop.reset': {
      run: async (_command, principal) => {
        await core.resetEmergencyStop(who(principal));
        return { ok: true, result: { latched: false } };
      },
      describe: (command) => command.type,
    },
    'station.ports': {
      run: async () => {
        const list: PortList = { ports: await core.connection.ports(), current: chosenSource(core.connection.source()) };
        return { ok: true, result: list };
      },
      describe: (command) => command.type,
    },
    'station.connect': {
      run: async (command) => {
        const outcome = await core.connection.switchTo(command.source);
        const result: ConnectResult = { source: command.source, ...outcome };
        return { ok: true, result };
      },
      describe: (command) => `${command.type} ${command.source.kind === 'serial' ? `${command.source.path} at ${command.source.baud}` : command.source.kind}`,
    },
  };
}

/** The source as a screen may see it: the simulator's time scale is the station's business. */
function chosenSource(source: StationSource): ChosenSource {
  return source.kind === 'simulated' ? { kind: 'simulated' } : source;
}
