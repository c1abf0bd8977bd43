/**
 * A suspect probe reaches phones: the simulator process over a real pty, the LAN server on
 * loopback, and a screen that follows it over a real Socket.IO connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLanStation, TestScreen, VIEWER_TOKEN, type LanStation } from '../../test-support/main/lan-station';
import { socatAvailable, waitFor } from '../../test-support/main/sim-process';

let station: LanStation;
let phone: TestScreen;

describe.skipIf(!socatAvailable())('sensor health over the LAN', () => {
  beforeAll(async () => {
    station = await startLanStation([{ id: 'main', name: 'Main', capacityL: 100, channelIds: ['nut_a', 'ph_down', 'ec1', 'ph1', 'circulation'] }]);
    phone = await new TestScreen(station.url, VIEWER_TOKEN, 'Ana').ready();
  }, 30_000);

  afterAll(async () => {
    phone?.close();
    await station?.close();
  });

  it('shows a probe reading outside what it can read as suspect on the phone, with the alert', async () => {
    await waitFor(() => phone.replica?.state.sensorHealth.ph1?.status === 'ok', 10_000, 'the phone to see the pH probe trusted');
    await station.sim.control('stuck ph1 15');
    await waitFor(() => phone.replica?.state.sensorHealth.ph1?.status === 'suspect', 10_000, 'the phone to see the pH probe suspect');
    expect(phone.replica?.state.sensorHealth.ph1).toMatchObject({ status: 'suspect', reason: 'range', detail: 'reading 15 is outside what it can read (0 to 14)' });
    expect(phone.received.some((message) => message.name === 'sensor_health')).toBe(true);
    expect(phone.replica?.state.alerts.find((alert) => alert.code === 'SENSOR_RANGE')?.message).toMatch(/^pH probe ph1 \(tank Main\) suspect/);
    expect(phone.resyncs).toBe(0);
    expect(phone.replica?.state.sensorHealth.ec1).toEqual({ status: 'ok' });
  });
});
