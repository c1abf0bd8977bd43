export { StationLink, type LinkTarget, type OpenPort, type PortOpener, type StationLinkOptions } from './station-link';
export { type CommandOptions, type CommandResult } from './commands';
export { openSerialPort } from './serial-port';
export { listPorts, probeController, detectController, type PortInfo } from './discovery';
export { type BackoffPolicy } from './backoff';
export { controllerCommands, type ControllerCommands } from './controller-commands';
