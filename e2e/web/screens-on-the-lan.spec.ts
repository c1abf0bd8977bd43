/**
 * Settings → "Screens on the LAN" when a room full of screens is watching: every screen is told
 * how many are connected, and an operator pages through who they are. Real Socket.IO clients
 * join headless Tendril; real Chromium reads Settings.
 */
import type { Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { expect, test } from './station-fixture';

const CROWD = 60;
const LEAVING = 30;

async function openSettings(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
}

/** One watching screen, resolved once it holds the station's state. */
function watcher(url: string, token: string, n: number): Promise<Socket> {
  const socket = io(url, { auth: { token, name: `Tent screen ${n}` }, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('initial_state', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

test('an operator pages through sixty watching screens; a viewer sees only how many there are', async ({ page, browser, ownStation }) => {
  await openSettings(page, ownStation.operatorUrl);
  const lan = page.getByRole('region', { name: 'Screens on the LAN' });
  await expect(lan.getByText('1 screen: 1 operator, 0 watching')).toBeVisible();

  const crowd: Socket[] = [];
  try {
    for (let n = 1; n <= CROWD; n++) crowd.push(await watcher(ownStation.url, ownStation.viewerToken, n));
    await expect(lan.getByText(`${CROWD + 1} screens: 1 operator, ${CROWD} watching`)).toBeVisible();

    const list = lan.getByRole('list', { name: 'Screens connected now' });
    await expect(list.getByRole('listitem')).toHaveCount(50);
    await expect(lan.getByText(`1–50 of ${CROWD + 1}`)).toBeVisible();
    await expect(lan.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await lan.getByRole('button', { name: 'Next' }).click();
    await expect(list.getByRole('listitem')).toHaveCount(CROWD + 1 - 50);
    await expect(lan.getByText(`51–${CROWD + 1} of ${CROWD + 1}`)).toBeVisible();
    await expect(list.getByText('Tent screen 60', { exact: true })).toBeVisible();

    // A viewer is told the count, never who is watching or from where.
    const viewer = await browser.newPage();
    await openSettings(viewer, ownStation.viewerUrl);
    const viewersLan = viewer.getByRole('region', { name: 'Screens on the LAN' });
    await expect(viewersLan.getByText(`${CROWD + 2} screens: 1 operator, ${CROWD + 1} watching`)).toBeVisible();
    await expect(viewersLan.getByRole('list', { name: 'Screens connected now' })).toHaveCount(0);
    await viewer.close();

    // Half of them go: the second page is gone, so the list goes back to the one page left.
    for (const socket of crowd.splice(0, LEAVING)) socket.disconnect();
    const left = CROWD - LEAVING;
    await expect(lan.getByText(`${left + 1} screens: 1 operator, ${left} watching`)).toBeVisible();
    await expect(list.getByRole('listitem')).toHaveCount(left + 1);
    await expect(lan.getByRole('button', { name: 'Next' })).toHaveCount(0);
    await expect(list.getByText('Tent screen 1', { exact: true })).toHaveCount(0);
    await expect(list.getByText('Tent screen 31', { exact: true })).toBeVisible();
  } finally {
    for (const socket of crowd) socket.disconnect();
  }
});
