import { describe, expect, it } from 'vitest';
import { parseTwinCliArgs, USAGE } from './cli-options';

describe('firmware twin CLI flags', () => {
  it('builds first and uses the default files unless told otherwise', () => {
    expect(parseTwinCliArgs([])).toEqual({ ok: true, options: { harnessPath: null, elfPath: null, build: true, seed: 1, stuck: [], bootloader: null } });
    expect(parseTwinCliArgs(['--pty'])).toMatchObject({ ok: true, options: { build: true } });
    expect(parseTwinCliArgs(['--pty', '--no-build'])).toMatchObject({ ok: true, options: { build: false } });
  });

  it('takes other files, and then builds nothing', () => {
    expect(parseTwinCliArgs(['--harness', '/opt/twin', '--elf', 'my.elf'])).toMatchObject({
      ok: true,
      options: { harnessPath: '/opt/twin', elfPath: 'my.elf', build: false },
    });
    expect(parseTwinCliArgs(['--elf'])).toEqual({ ok: false, error: '--elf needs a value' });
  });

  it('parses --seed and --stuck as the simulator does', () => {
    expect(parseTwinCliArgs(['--seed', '7', '--stuck', 'ec1=1.5', '--stuck', 'ph1'])).toMatchObject({
      ok: true,
      options: { seed: 7, stuck: [{ ch: 'ec1', value: 1.5 }, { ch: 'ph1' }] },
    });
    expect(parseTwinCliArgs(['--seed', 'x'])).toEqual({ ok: false, error: '--seed must be a whole number, not "x"' });
    expect(parseTwinCliArgs(['--stuck', 'nope'])).toMatchObject({ ok: false, error: expect.stringMatching(/^--stuck: no sensor "nope"/) });
    expect(parseTwinCliArgs(['--stuck', 'ec1='])).toMatchObject({ ok: false });
    expect(parseTwinCliArgs(['--port', '/dev/ttyUSB0'])).toEqual({ ok: false, error: 'unknown flag "--port"' });
  });

  it('plays the stock bootloader only when asked, and only the one it knows', () => {
    expect(parseTwinCliArgs(['--bootloader', 'stk500v2'])).toMatchObject({ ok: true, options: { bootloader: 'stk500v2' } });
    expect(parseTwinCliArgs(['--bootloader', 'optiboot'])).toEqual({ ok: false, error: '--bootloader knows only stk500v2, not "optiboot"' });
  });

  it('documents every flag and control command in --help', () => {
    expect(parseTwinCliArgs(['--pty', '--help'])).toEqual({ ok: 'help' });
    for (const word of ['--pty', '--harness', '--elf', '--no-build', '--seed', '--stuck', '--bootloader', 'snapshot', 'button', 'float on|off|auto', 'hang', 'stall', 'stuck CH', 'supply on|off', 'stack']) {
      expect(USAGE).toContain(word);
    }
  });
});
