/**
 * The station core: the link to the controller and the one live state every screen shows.
 * Plain Node: the Electron entry, the headless entry and the tests all run this same code.
 */
import { initialStationState, type Tank } from '../../shared/station';
import { CommandError, controllerCommands, detectController, openSerialPort, StationLink, type PortOpener } from '../link';
import { createDuplexPair, StationSimulator } from '../simulator';
import { StationStore } from '../store';
import { DEFAULT_ML_PER_SECOND, loadStationLayout } from './settings';
import type { StationCore, StationCoreOptions } from './types';

/** Room for the pump to get going, on top of the calibrated run time, before the device cuts it. */
const DOSE_MARGIN = 1.2;
const DOSE_MARGIN_MS = 1000;

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
  const layout = loadStationLayout(options.dataDir);
  if (layout.warning) log(`settings: ${layout.warning}`);
  if (layout.tanks) store.apply({ type: 'tanks_update', tanks: layout.tanks });

  link.onEvent((change) => {
    store.apply(change);
    // No tanks configured: one tank holds whatever the controller reports, so every screen
    // (and every tank-following phone) sees the whole station.
    if (change.type === 'device_update' && !layout.tanks) {
      const channelIds = change.channels.map((channel) => channel.id);
      const current = store.state.tanks;
      if (current.length === 1 && current[0]?.channelIds.join() === channelIds.join()) return;
      const tank: Tank = { id: 'main', name: 'Main tank', capacityL: 100, channelIds };
      store.apply({ type: 'tanks_update', tanks: [tank] });
    }
  });

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
    async dose(pump, ml) {
      const channel = store.state.channels.find((c) => c.id === pump);
      if (!channel || channel.kind !== 'pump') {
        throw new CommandError('CHANNEL', `there is no pump "${pump}" on this controller`);
      }
      if (channel.maxMl !== undefined && ml > channel.maxMl) {
        throw new CommandError('RANGE', `a dose of ${ml} mL exceeds pump ${pump}'s limit of ${channel.maxMl} mL per dose`);
      }
      const rate = layout.mlPerSecond[pump] ?? DEFAULT_ML_PER_SECOND;
      const runMs = (ml / rate) * 1000;
      const maxMs = Math.min(runMs * DOSE_MARGIN + DOSE_MARGIN_MS, channel.maxMs ?? Infinity);
      if (runMs > maxMs) {
        throw new CommandError('RANGE', `${ml} mL at ${rate} mL/s takes ${Math.ceil(runMs / 1000)} s, longer than pump ${pump} may run (${Math.floor(maxMs / 1000)} s); dose less`);
      }
      await controller.dose(pump, ml, rate, maxMs);
    },
    setViewers(viewers) {
      store.apply({ type: 'presence', viewers });
    },
    emergencyStop: () => link.emergencyStop(),
    resetEmergencyStop: () => link.resetEmergencyStop(),
  };
}
