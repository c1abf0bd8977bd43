export { StationLink, type OpenPort, type PortOpener, type StationLinkOptions } from './station-link';
export { CommandError, type CommandOptions, type CommandResult } from './commands';
export { openSerialPort } from './serial-port';
export { listPorts, probeController, detectController, type PortInfo } from './discovery';
export { backoffDelay, SERIAL_BACKOFF, type BackoffPolicy } from './backoff';
export { stationChangeFromDevice } from './device-events';
export { controllerCommands, type ControllerCommands } from './controller-commands';
