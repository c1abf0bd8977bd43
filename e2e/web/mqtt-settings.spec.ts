/**
 * Settings → MQTT in Chromium: an operator points a station that publishes nowhere at a test's
 * Mosquitto, the broker link shows connected with no restart, the station's state is on the
 * broker, and the password shows only as "set", never itself. A viewer sees the form read-only.
 */
import { existsSync } from 'node:fs';
import { expect, test } from './station-fixture';
import { MOSQUITTO, startBroker, type Broker } from '../../src/main/mqtt/test-support/mosquitto';
import { subscribe } from '../../src/main/mqtt/test-support/subscriber';

const STATION = { name: 'tendril', password: 'form-typed-secret' };
const WATCHER = { username: 'watcher', password: 'watcher-secret' };

const missing = existsSync(MOSQUITTO) ? null : `${MOSQUITTO} is not installed (apt-get install mosquitto)`;
if (missing) console.log(`skipped: Settings → MQTT (${missing})`);

test.describe('Settings → MQTT', () => {
  test.skip(missing !== null, missing ?? '');

  let broker: Broker;
  test.beforeAll(async () => {
    broker = await startBroker([
      { ...STATION, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'] },
      { name: WATCHER.username, password: WATCHER.password, acl: ['topic read tendril/#'] },
    ]);
  });
  test.afterAll(async () => {
    await broker?.stop();
  });

  test('an operator points the station at a broker, and the link connects', async ({ page, ownStation }) => {
    const onBroker = await subscribe(broker.url, WATCHER, ['tendril/#']);
    try {
      await page.goto(`${ownStation.operatorUrl}#/settings`);
      await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
      const section = page.getByRole('region', { name: 'MQTT and Home Assistant' });
      await expect(section.getByRole('status', { name: 'MQTT connection' })).toContainText('MQTT is off');
      await expect(section.getByLabel('Saved password')).toContainText('not set');

      await section.getByLabel('Publish this station to an MQTT broker').check();
      // A mistake is named before anything is sent, and what was typed stays.
      await section.getByLabel('Station id').fill('greenhouse 1');
      await expect(section.getByText('must be letters, digits, - and _, such as "greenhouse-1"')).toBeVisible();
      await expect(section.getByRole('button', { name: 'Save MQTT settings' })).toBeDisabled();
      await section.getByLabel('Station id').fill('form-station');
      await section.getByLabel('Broker address').fill(broker.url);
      await section.getByLabel('User name').fill(STATION.name);
      await section.getByLabel('Password', { exact: true }).fill(STATION.password);
      await section.getByRole('button', { name: 'Save MQTT settings' }).click();

      // Connected without a restart, in the section and the status strip alike.
      await expect(section.getByRole('status', { name: 'MQTT connection' })).toContainText('connected');
      await expect(page.getByRole('status', { name: 'Broker link' })).toContainText('connected');
      await onBroker.next((m) => m.topic === 'tendril/form-station/state', 'the station state on the broker');

      // The password is "set", the field empty again, and the password is nowhere on the page.
      await expect(section.getByLabel('Saved password')).toContainText('set');
      await expect(section.getByLabel('Saved password')).not.toContainText('not set');
      await expect(section.getByLabel('Password', { exact: true })).toHaveValue('');
      expect(await page.content()).not.toContain(STATION.password);
      await page.reload();
      await expect(page.getByRole('region', { name: 'MQTT and Home Assistant' }).getByLabel('Saved password')).toContainText('set');
      expect(await page.content()).not.toContain(STATION.password);

      // A viewer sees the settings and the link, and cannot change them.
      await page.goto(`${ownStation.viewerUrl}#/settings`);
      const watched = page.getByRole('region', { name: 'MQTT and Home Assistant' });
      await expect(watched.getByRole('status', { name: 'MQTT connection' })).toContainText('connected');
      await expect(watched.getByLabel('Station id')).toHaveValue('form-station');
      await expect(watched.getByLabel('Station id')).toBeDisabled();
      await expect(watched.getByRole('button', { name: 'Save MQTT settings' })).toHaveCount(0);
    } finally {
      await onBroker.close();
    }
  });
});
