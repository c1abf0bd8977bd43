/**
 * Alerts as a grower meets them on a phone, in real Chromium against headless Tendril and the
 * simulated controller on a real pty: a stop pressed at the controller and a controller unplugged
 * while idle both reach the page; a critical alert stays as a banner until acknowledged; the
 * header and the tab's title count what waits; toasts never hide the stop or the status.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './station-fixture';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

async function open(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
}

test('on a phone: critical alerts wait as a banner, counted in the header and the title, until acknowledged', async ({ page, ownStation: station }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, station.operatorUrl);
  await expect(page).toHaveTitle('Tendril');

  // A stop pressed on the controller itself: the stop's own banner says so, and it is counted.
  await station.sim.control('button');
  await expect(page.getByRole('region', { name: 'Emergency stop latched' })).toBeVisible();
  const count = page.getByRole('link', { name: /waiting for acknowledgement/ });
  await expect(count).toHaveText('1 alert');
  await expect(page).toHaveTitle('(1) Tendril');

  // The controller unplugged while idle: after the grace, a critical banner on every screen.
  await station.sim.control('unplug');
  const critical = page.getByRole('region', { name: /^Critical: LINK_LOST/ });
  await expect(critical).toBeVisible({ timeout: 15_000 });
  await expect(count).toHaveText('2 alerts');
  await expect(page).toHaveTitle('(2) Tendril');

  // Toasts: at most two, in the bottom third, never over the header with the emergency stop.
  const toasts = page.getByRole('status', { name: 'New alerts' });
  expect(await toasts.locator('.alert-toast').count()).toBeLessThanOrEqual(2);
  const box = await toasts.boundingBox();
  const header = await page.locator('.station-header').boundingBox();
  if (box && box.height > 0) {
    expect(box.height).toBeLessThanOrEqual(740 / 3 + 1);
    expect(box.y).toBeGreaterThanOrEqual(header!.y + header!.height);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-phone.png') });

  await critical.getByRole('button', { name: 'Acknowledge LINK_LOST' }).click();
  await expect(critical).toBeHidden();
  await expect(count).toHaveText('1 alert');

  await station.sim.control('replug');
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready', { timeout: 20_000 });

  // Resetting the stop is acknowledging it.
  const latched = page.getByRole('region', { name: 'Emergency stop latched' });
  await latched.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('dialog', { name: 'Reset the emergency stop?' }).getByRole('button', { name: 'Confirm reset' }).click();
  await expect(latched).toBeHidden();
  await expect(count).toBeHidden();
  await expect(page).toHaveTitle('Tendril');

  await page.getByRole('link', { name: 'Alerts' }).click();
  const past = page.getByRole('list', { name: 'Past alerts' });
  await expect(past.locator('[data-code="ESTOP_LATCHED"]')).toContainText('latched by the stop button on the controller');
  await expect(past.locator('[data-code="ESTOP_LATCHED"]')).toContainText('Acknowledged by');
  await expect(past.locator('[data-code="LINK_LOST"]')).toContainText('Acknowledged by');
  await expect(past.locator('[data-code="LINK_BACK"]')).toBeVisible();
});
