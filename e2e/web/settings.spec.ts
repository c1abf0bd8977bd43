/**
 * Settings as a grower meets them on the first day: pairing a phone with a QR code, taking
 * access back, moving the station from the simulator to the real controller's port, and the
 * caps every job runs within. Real Chromium, headless Tendril, the simulator on a real pty.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './station-fixture';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

async function openSettings(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
}

test.describe('settings', () => {
  test('an operator pairs a phone with a code; the phone watches; revoked, it is shut out', async ({ page, browser, station }) => {
    await openSettings(page, station.operatorUrl);
    const lan = page.getByRole('region', { name: 'Screens on the LAN' });
    await expect(lan.getByText(station.url.replace(/\/$/, ''), { exact: false }).first()).toBeVisible();

    await lan.getByLabel('Screen name').fill('Greenhouse phone');
    await lan.getByLabel('It may').selectOption('viewer');
    await lan.getByRole('button', { name: 'Make a pairing code' }).click();
    await expect(lan.getByRole('img', { name: 'QR code: watch from greenhouse phone' })).toBeVisible();
    const link = (await lan.locator('.pairing-url code').textContent())!;
    expect(link).toMatch(/\?token=[A-Za-z0-9_-]{43}$/);
    await lan.screenshot({ path: join(ARTIFACTS, 'pairing-code.png') });

    const phoneContext = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const phone = await phoneContext.newPage();
    await phone.goto(link);
    await expect(phone.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await expect(phone.getByText('View only', { exact: true })).toBeVisible();

    await lan.getByRole('button', { name: 'Done' }).click();
    const paired = lan.getByRole('list', { name: 'Paired screens' }).getByRole('listitem').filter({ hasText: 'Greenhouse phone' });
    await expect(paired).toBeVisible();

    await paired.getByRole('button', { name: 'Revoke Greenhouse phone' }).click();
    await paired.getByRole('dialog', { name: 'Revoke Greenhouse phone?' }).getByRole('button', { name: 'Revoke' }).click();
    await expect(lan.getByRole('list', { name: 'Paired screens' })).not.toContainText('Greenhouse phone');
    await expect(phone.getByRole('status', { name: 'Connection' })).toContainText(/disconnected/i);
    await expect(phone.getByText(/The station ended this connection/)).toBeVisible();
    await phoneContext.close();
  });

  test('a viewer sees the caps but not the pairing or the port picker', async ({ page, station }) => {
    await openSettings(page, station.viewerUrl);
    await expect(page.getByRole('region', { name: 'Caps and safety limits' }).getByText('at most 50 mL', { exact: true })).toBeVisible();
    await expect(page.getByText('Operators choose the controller’s port here', { exact: false })).toBeVisible();
    await expect(page.getByText('Operators pair screens and manage access here', { exact: false })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Make a pairing code' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Controller connection' }).getByRole('combobox')).toHaveCount(0);
  });

  test('an operator moves the station to the simulator and back to the controller port', async ({ page, ownStation }) => {
    await openSettings(page, ownStation.operatorUrl);
    const controller = page.getByRole('region', { name: 'Controller connection' });
    const picker = controller.getByLabel('Controller', { exact: true });
    await expect(picker).toHaveValue(`port:${ownStation.sim.serialPath}`);
    await expect(controller.getByRole('button', { name: 'In use now' })).toBeDisabled();

    await picker.selectOption('simulated');
    await controller.getByRole('button', { name: 'Use this controller' }).click();
    const confirm = controller.getByRole('dialog', { name: 'Switch the station to the simulated station?' });
    await expect(confirm).toContainText('Every output on the controller in use now is switched off first');
    await confirm.getByRole('button', { name: 'Switch controller' }).click();
    await expect(controller.getByRole('status')).toContainText('Switched to the simulated station');
    await expect(page.getByText('Simulated', { exact: true })).toBeVisible();
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');

    // The overview says so, and leads back here.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Overview' }).click();
    await expect(page.getByRole('heading', { name: 'This is the simulated station' })).toBeVisible();
    await page.getByRole('link', { name: 'Connect your controller' }).click();

    // Settings reads the port list again when it opens, and shows the controller in use once it
    // has: a choice made before that would be replaced by it.
    await expect(picker).toHaveValue('simulated');
    // A pty is not a USB device, so the port list does not show it: type it, as for a symlink.
    await picker.selectOption('typed');
    await controller.getByLabel('Port path').fill(ownStation.sim.serialPath);
    await controller.getByRole('button', { name: 'Use this controller' }).click();
    await controller.getByRole('dialog').getByRole('button', { name: 'Switch controller' }).click();
    await expect(controller.getByRole('status')).toContainText(`Switched to ${ownStation.sim.serialPath} at 115200 baud`);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await expect(page.getByText('Simulated', { exact: true })).toHaveCount(0);

    // And the pty controller answers: a relay switched here reaches it.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('region', { name: 'Relays' }).getByRole('switch', { name: 'Air pump', exact: true }).click();
    await expect.poll(async () => (await ownStation.sim.snapshot()).relays['air']).toBe(true);
  });

  test('a port that does not exist is saved, and the grower is told it could not be opened', async ({ page, ownStation }) => {
    await openSettings(page, ownStation.operatorUrl);
    const controller = page.getByRole('region', { name: 'Controller connection' });
    await controller.getByLabel('Controller', { exact: true }).selectOption('typed');
    await controller.getByLabel('Port path').fill('/dev/tendril-unplugged');
    await controller.getByRole('button', { name: 'Use this controller' }).click();
    await controller.getByRole('dialog').getByRole('button', { name: 'Switch controller' }).click();
    await expect(controller.getByRole('status')).toContainText('/dev/tendril-unplugged at 115200 baud could not be opened');
    await expect(controller.getByRole('status')).toContainText('Tendril keeps trying');
    await expect(page.getByRole('status', { name: 'Controller link' })).not.toContainText('ready');
  });
});
