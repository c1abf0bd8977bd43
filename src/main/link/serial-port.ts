import { SerialPort } from 'serialport';
import type { OpenPort } from './station-link';

/** Opens a serial port; rejects with the operating system's reason when it cannot. */
export function openSerialPort(path: string, baudRate: number): Promise<OpenPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => {
      if (err) return reject(err);
      resolve({
        stream: port,
        close: () =>
          new Promise<void>((done) => {
            if (!port.isOpen) return done();
            port.close(() => done());
          }),
      });
    });
  });
}
