/**
 * The I/O edge against the real harness and firmware: the harness's lines reach the bench, and
 * a harness that fails or goes away says why. Skips, saying why, until the twin is built.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { firmwareTwinAvailable, waitFor } from '../../test-support/main/sim-process';
import { NOT_BUILT } from './build';
import { FirmwareTwin } from './firmware-twin';
import { CYCLES_PER_MS } from './harness-lines';

const twin = firmwareTwinAvailable();
if (!twin.ok) console.log(`skipped: the firmware twin's harness tests need the firmware twin (${twin.why})`);

function started(options: ConstructorParameters<typeof FirmwareTwin>[0] = {}) {
  const logged: string[] = [];
  const t = new FirmwareTwin({ ...options, log: (line) => logged.push(line) });
  onTestFinished(() => t.killNow());
  return { twin: t, logged };
}

describe('FirmwareTwin', () => {
  it('says the twin is not built, and how to build it, when a file is missing', async () => {
    const { twin: t } = started({ harnessPath: '/nonexistent/tendril-twin', elfPath: '/nonexistent/tendril.elf' });
    await expect(t.start()).rejects.toThrow(NOT_BUILT);
    await expect(t.start()).rejects.toThrow(/\/nonexistent\/tendril-twin \(the harness\) and \/nonexistent\/tendril.elf \(the firmware\)/);
  });

  describe.skipIf(!twin.ok)('with the twin built', () => {
    it('reports every output off at start, and keeps the tank in step with the emulated clock', async () => {
      const { twin: t } = started();
      expect(await t.start()).toMatch(/^\/dev\/pts\/\d+$/);
      expect(t.serialPath).toMatch(/^\/dev\/pts\/\d+$/);
      await waitFor(() => t.snapshot().cycle >= 500 * CYCLES_PER_MS, 5000, 'half a second of emulated time');
      const s = t.snapshot();
      expect(s.outChanges.filter((c) => c.cycle === 0 || !c.on).length).toBeGreaterThanOrEqual(10);
      expect([...Object.values(s.relays), ...Object.values(s.pumps)].every((on) => !on)).toBe(true);
      expect(s.simMs).toBeCloseTo(s.cycle / CYCLES_PER_MS, 0);
      expect(Object.keys(s.sensors).sort()).toEqual(['ec1', 'level1', 'ph1', 'temp1']);
      expect(s.floatSwitch).toEqual({ mode: 'auto', highWater: false, levelL: 103 });
      expect(await t.stackBytes()).toBeGreaterThan(0);
      // Idle, the loop sleeps until the 1 ms tick (1024 µs at 16 MHz): it comes round on every one.
      const loop = await t.loopTiming();
      expect(loop.passes).toBeGreaterThan(100);
      expect(loop.periodUs.typical).toBe(1024);
      expect(loop.passUs.typical).toBeLessThan(loop.periodUs.typical);
      expect(loop.passUs.worst).toBeLessThanOrEqual(loop.periodUs.worst);
      await t.stop();
    });

    it('rejects what is pending, with the harness\'s last words, when it goes away', async () => {
      const { twin: t } = started();
      await t.start();
      t.killNow();
      // Asked before the harness is known to be gone: it stays pending until it is.
      const pending = t.request('stack');
      await expect(pending).rejects.toThrow(/the firmware twin's harness was killed by SIGKILL/);
      await expect(t.pressButton()).rejects.toThrow(/killed by SIGKILL/);
    });

    it('passes on why the harness could not start', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tendril-twin-test-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const elfPath = join(dir, 'not-an.elf');
      writeFileSync(elfPath, 'this is not firmware\n');
      const { twin: t } = started({ elfPath });
      await expect(t.start()).rejects.toThrow(/^the firmware twin's harness exited with code [1-9]\d*: ./);
    });
  });
});
