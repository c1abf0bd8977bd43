import { describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE } from './cli-options';

describe('CLI flags', () => {
  it('parses the documented flags', () => {
    const parsed = parseCliArgs(['--port', '/dev/ttyUSB0', '--baud', '57600', '--time-scale', '10', '--seed', '7', '--stuck', 'ec1=1.5', '--corrupt-rate', '0.1']);
    expect(parsed).toMatchObject({
      ok: true,
      options: { link: { kind: 'port', path: '/dev/ttyUSB0' }, baud: 57600, timeScale: 10, seed: 7, stuck: [{ ch: 'ec1', value: 1.5 }], corruptRate: 0.1 },
    });
    expect(parseCliArgs([])).toMatchObject({ ok: true, options: { link: { kind: 'pty' }, baud: 115200 } });
    expect(parseCliArgs(['--corrupt-rate', '2'])).toMatchObject({ ok: false });
    expect(parseCliArgs([])).toMatchObject({ ok: true, options: { readEveryMs: null } });
    expect(parseCliArgs(['--time-scale', '1000', '--read-every', '1000'])).toMatchObject({ ok: true, options: { timeScale: 1000, readEveryMs: 1000 } });
    expect(parseCliArgs(['--read-every', '0'])).toEqual({ ok: false, error: '--read-every must be whole milliseconds, not "0"' });
    expect(parseCliArgs(['--stuck', 'nope'])).toMatchObject({ ok: false });
    expect(parseCliArgs(['--pty', '--port', 'x'])).toMatchObject({ ok: false });
  });

  it('schedules no drop, replug or reset unless asked', () => {
    expect(parseCliArgs(['--pty'])).toMatchObject({ ok: true, options: { dropAfterMs: null, replugAfterMs: null, resetAfterMs: null } });
  });

  it('parses --drop-after, --replug-after and --reset-after in whole milliseconds', () => {
    expect(parseCliArgs(['--pty', '--drop-after', '5000', '--replug-after', '2000', '--reset-after', '0'])).toMatchObject({
      ok: true,
      options: { dropAfterMs: 5000, replugAfterMs: 2000, resetAfterMs: 0 },
    });
    expect(parseCliArgs(['--port', '/dev/ttyUSB0', '--drop-after', '10'])).toMatchObject({ ok: true, options: { dropAfterMs: 10, replugAfterMs: null } });
    for (const flag of ['--drop-after', '--replug-after', '--reset-after']) {
      for (const bad of ['-1', '1.5', 'soon', '']) {
        expect(parseCliArgs(['--drop-after', '1', flag, bad])).toEqual({ ok: false, error: `${flag} must be whole milliseconds, not "${bad}"` });
      }
      expect(parseCliArgs(['--drop-after', '1', flag])).toEqual({ ok: false, error: `${flag} needs a value` });
    }
  });

  it('refuses --replug-after without a drop to count from', () => {
    expect(parseCliArgs(['--replug-after', '1000'])).toEqual({ ok: false, error: '--replug-after needs --drop-after' });
  });

  it('documents every flag in --help', () => {
    expect(parseCliArgs(['--reset-after', '10', '--help'])).toEqual({ ok: 'help' });
    for (const flag of ['--pty', '--port', '--baud', '--seed', '--time-scale', '--read-every', '--watchdog', '--garbage-every', '--corrupt-rate', '--silent-after', '--stuck', '--drop-after', '--replug-after', '--reset-after']) {
      expect(USAGE).toMatch(new RegExp(`^  ${flag} `, 'm'));
    }
  });
});
