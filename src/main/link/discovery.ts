/**
 * Finding the controller: list the serial ports, and try a handshake on each until one answers
 * like a Tendril station controller.
 */
import { SerialPort } from 'serialport';
import { decodeDeviceLine, encodeCommand, PROTOCOL_VERSION, StationLineParser } from '../protocol';
import type { DeviceIdentity } from '../../shared/station';
import { parseIdentity } from './handshake';
import { openSerialPort } from './serial-port';

export interface PortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export async function listPorts(): Promise<PortInfo[]> {
  const ports = await SerialPort.list();
  return ports.map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({ path, manufacturer, serialNumber, vendorId, productId }));
}

/**
 * Asks the device on `path` who it is. Resolves with its identity, or null when it does not
 * answer a HELLO within `timeoutMs` (another kind of device, or none).
 */
export async function probeController(path: string, baudRate: number, timeoutMs = 1500): Promise<DeviceIdentity | null> {
  let port;
  try {
    port = await openSerialPort(path, baudRate);
  } catch {
    return null;
  }
  const parser = new StationLineParser();
  port.stream.on('data', (chunk: Buffer) => parser.write(chunk));
  try {
    return await new Promise<DeviceIdentity | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      // Whatever goes wrong on a port we are only probing means "not our controller".
      port.stream.on('error', () => {
        clearTimeout(timer);
        resolve(null);
      });
      parser.on('data', (line: string) => {
        const message = decodeDeviceLine(line);
        if (typeof message === 'string' || message.type !== 'ack' || message.seq !== 1) return;
        clearTimeout(timer);
        try {
          resolve(parseIdentity(message.fields));
        } catch {
          resolve(null);
        }
      });
      port.stream.write(encodeCommand(1, 'HELLO', { proto: PROTOCOL_VERSION }));
    });
  } finally {
    await port.close();
  }
}

/** The first port whose device handshakes, or null. Tries `candidates`, or every listed port. */
export async function detectController(
  baudRate: number,
  candidates?: string[],
): Promise<{ path: string; identity: DeviceIdentity } | null> {
  const paths = candidates ?? (await listPorts()).map((p) => p.path);
  for (const path of paths) {
    const identity = await probeController(path, baudRate);
    if (identity) return { path, identity };
  }
  return null;
}
