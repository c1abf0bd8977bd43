/**
 * The station core: the link to the controller and the one live state every screen shows.
 * Plain Node: the Electron entry, the headless entry and the tests all run this same code.
 */
import { initialStationState } from '../../shared/station';
import { CommandError, controllerCommands, detectController, openSerialPort, StationLink, type PortOpener } from '../link';
import { createDuplexPair, StationSimulator } from '../simulator';
import { StationStore } from '../store';
import type { StationCore, StationCoreOptions } from './types';

export function createStationCore(options: StationCoreOptions): StationCore {
  const log = options.log ?? (() => {});
  const source = options.source;
  let simulator: StationSimulator | null = null;
  let open: PortOpener;
  let portLabel: string;

  switch (source.kind) {
    case 'simulated': {
      const sim = new StationSimulator({ timeScale: source.timeScale ?? 1 });
      simulator = sim;
      portLabel = 'simulated';
      open = async () => {
        const [host, device] = createDuplexPair();
        sim.attach(device);
        return {
          stream: host,
          close: async () => {
            sim.detach();
            host.destroy();
          },
        };
      };
      break;
    }
    case 'serial':
      portLabel = source.path;
      open = () => openSerialPort(source.path, source.baud);
      break;
    case 'auto':
      portLabel = 'auto-detect';
      open = async () => {
        const found = await detectController(source.baud);
        if (!found) throw new Error('no controller answered on any serial port; check the USB cable and power');
        log(`station: found ${found.identity.device} ${found.identity.serial} on ${found.path}`);
        return openSerialPort(found.path, source.baud);
      };
      break;
  }

  const link = new StationLink({ open, port: portLabel, simulated: simulator !== null, log });
  const controller = controllerCommands(link);
  const store = new StationStore(initialStationState(simulator !== null, portLabel, Date.now()));
  link.onEvent((change) => store.apply(change));

  let shutdown: Promise<void> | null = null;

  return {
    state: () => store.state,
    snapshot: () => store.snapshot(),
    subscribe: (listener) => store.subscribe((_event, state) => listener(state)),
    onEvent: (listener) => store.subscribe((event) => listener(event)),
    start: () => link.start(),
    shutdown() {
      shutdown ??= (async () => {
        await link.stop();
        simulator?.stop();
      })();
      return shutdown;
    },
    async setRelay(channel, on) {
      const relay = store.state.channels.find((c) => c.id === channel);
      if (!relay || relay.kind !== 'relay') {
        throw new CommandError('CHANNEL', `there is no relay "${channel}" on this controller`);
      }
      // Relays the device bounds must carry that bound; the device would refuse the command.
      await controller.setRelay(channel, on, relay.maxMs);
    },
    emergencyStop: () => link.emergencyStop(),
    resetEmergencyStop: () => link.resetEmergencyStop(),
  };
}
