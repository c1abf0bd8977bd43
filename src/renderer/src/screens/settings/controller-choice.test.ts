import { describe, expect, it } from 'vitest';
import { describeChosen, formFor, pickerOptions, portLabel, sameSource, sourceFromForm } from './controller-choice';

describe('the controller picker', () => {
  it('starts from what the station uses now', () => {
    expect(formFor({ kind: 'serial', path: '/dev/ttyUSB0', baud: 57600 })).toEqual({ picked: 'port:/dev/ttyUSB0', typedPath: '/dev/ttyUSB0', baud: '57600' });
    expect(formFor({ kind: 'simulated' }).picked).toBe('simulated');
    expect(formFor(null)).toEqual({ picked: 'auto', typedPath: '', baud: '115200' });
  });

  it('lists the ports with their maker, and keeps the port in use even when unplugged', () => {
    const options = pickerOptions([{ path: '/dev/ttyACM0', manufacturer: 'Arduino', serialNumber: '95735' }], { kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 });
    expect(options.map((option) => option.label)).toEqual([
      'Auto-detect: the first port whose device answers',
      '/dev/ttyUSB0 (in use now, not listed)',
      '/dev/ttyACM0: Arduino, serial 95735',
      'Another port: type its path',
      'The simulated station (no hardware)',
    ]);
    expect(portLabel({ path: 'COM3' })).toBe('COM3');
  });

  it('turns the form into the source station.connect takes', () => {
    expect(sourceFromForm({ picked: 'port:auto', typedPath: '', baud: '115200' })).toEqual({ source: { kind: 'serial', path: 'auto', baud: 115200 } });
    expect(sourceFromForm({ picked: 'auto', typedPath: '', baud: '9600' })).toEqual({ source: { kind: 'auto', baud: 9600 } });
    expect(sourceFromForm({ picked: 'typed', typedPath: ' COM4 ', baud: '115200' })).toEqual({ source: { kind: 'serial', path: 'COM4', baud: 115200 } });
    expect(sourceFromForm({ picked: 'simulated', typedPath: '', baud: 'junk' })).toEqual({ source: { kind: 'simulated' } });
  });

  it('says what to fix in a form that is not complete', () => {
    expect(sourceFromForm({ picked: 'typed', typedPath: '  ', baud: '115200' })).toEqual({ problem: expect.stringContaining('such as /dev/ttyUSB0') });
    expect(sourceFromForm({ picked: 'auto', typedPath: '', baud: '115201' })).toEqual({ problem: expect.stringContaining('115200') });
  });

  it('describes each choice in words', () => {
    expect(describeChosen({ kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 })).toBe('/dev/ttyUSB0 at 115200 baud');
    expect(describeChosen({ kind: 'auto', baud: 115200 })).toBe('auto-detect at 115200 baud');
    expect(describeChosen({ kind: 'simulated' })).toBe('the simulated station');
    expect(sameSource({ kind: 'simulated' }, { kind: 'simulated' })).toBe(true);
    expect(sameSource(null, { kind: 'simulated' })).toBe(false);
  });
});
