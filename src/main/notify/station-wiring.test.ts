/**
 * The notifier inside the station: settings from settings.json, every alert the station raises
 * on its way to the grower, and nothing left running after shutdown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_SETTINGS } from '../../shared/notify';
import { StationSimulator } from '../simulator';
import { createStationCore } from '../station';
import { waitFor } from '../../test-support/main/sim-process';
import { startHttpSink } from '../../test-support/main/http-sink';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the station sends its alerts', () => {
  it('posts an emergency stop to the webhook set in settings.json', async () => {
    const hook = await startHttpSink();
    cleanups.push(() => hook.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'tendril-notify-station-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const notify = { ...DEFAULT_NOTIFY_SETTINGS, webhook: { enabled: true, minLevel: 'error', url: `${hook.url}/alerts`, authorization: '' } };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ notify }));

    const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator: new StationSimulator({ timeScale: 1 }) });
    cleanups.push(() => core.shutdown());
    expect(core.notify?.status().settings.webhook).toMatchObject({ enabled: true, url: `${hook.url}/alerts` });
    await core.start();
    await waitFor(() => core.state().link.status === 'ready', 10_000, 'the simulated link');

    core.emergencyStop('the bench PC');
    const [request] = await hook.received(1);
    const sent = JSON.parse(request?.body ?? '') as { level: string; alerts: Array<{ code: string; message: string }> };
    expect(sent.level).toBe('error');
    expect(sent.alerts[0]?.code).toBe('ESTOP_LATCHED');
    expect(sent.alerts[0]?.message).toContain('the bench PC');
  });
});
