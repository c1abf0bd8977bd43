/**
 * A schedule the safety caps would always refuse, sent from a phone: the refusal travels back in
 * the command's ack over a real Socket.IO connection, naming the cap, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_TOKEN, startLanStation, TestScreen, type LanStation } from '../../test-support/main/lan-station';
import { socatAvailable } from '../../test-support/main/sim-process';

let station: LanStation;
let phone: TestScreen;

describe.skipIf(!socatAvailable())('a schedule refused over the LAN', () => {
  beforeAll(async () => {
    station = await startLanStation([{ id: 'main', name: 'Main', capacityL: 100, channelIds: ['fill', 'nut_a', 'nut_b', 'flow1', 'ec1', 'ph1'] }]);
    phone = await new TestScreen(station.url, OPERATOR_TOKEN, 'Ana').ready();
  }, 30_000);

  afterAll(async () => {
    phone?.close();
    await station?.close();
  });

  it('acks a daily 100 mL dose with the 50 mL per-dose cap and what to change', async () => {
    const ack = await phone.command({
      id: 'feed-1',
      type: 'schedule.create',
      schedule: { id: 'feed', name: 'Daily feed', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '0 8 * * *', action: { kind: 'dose', pumpId: 'nut_a', ml: 100 } } },
    });
    expect(ack).toEqual({
      ok: false,
      error: {
        code: 'REFUSED',
        message: expect.stringMatching(/^schedule "Daily feed" would be refused every time it runs: a dose of 100 mL exceeds the 50 mL per-dose cap for .*; dose less, or raise the cap in Settings → Safety$/),
      },
    });
    expect(station.core.state().schedules).toEqual([]);
  });
});
