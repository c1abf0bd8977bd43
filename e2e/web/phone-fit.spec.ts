import type { Browser, Page } from '@playwright/test';
import { expect, test } from './station-fixture';

/** A fingertip's target, as the platform guidelines put it: 44 CSS px. */
const TOUCH_TARGET_PX = 44;
const PHONE = { width: 390, height: 844 };
const SCREENS = ['#/', '#/jobs', '#/schedules', '#/history', '#/alerts', '#/settings'] as const;

interface Control {
  what: string;
  height: number;
}

/*
 * The few parts of the page these checks read inside the browser. The e2e code compiles
 * without the DOM library, so they are spelt out here rather than taken from it.
 */
interface Box {
  width: number;
  height: number;
  top: number;
}
interface PageElement {
  tagName: string;
  type?: string;
  checked?: boolean;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Box;
  getClientRects(): Iterable<Box> & { length: number };
  closest(selector: string): PageElement | null;
}
interface TextNode {
  textContent: string | null;
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } };
}
interface BrowserWindow {
  location: { hash: string };
  getComputedStyle(element: PageElement): { visibility: string; appearance: string };
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  document: {
    querySelectorAll(selector: string): Iterable<PageElement>;
    createTreeWalker(root: PageElement, show: number): { nextNode(): TextNode | null };
    createRange(): { setStart(node: TextNode, offset: number): void; setEnd(node: TextNode, offset: number): void; getClientRects(): Iterable<Box> };
    createElement(tag: 'canvas'): Canvas;
  };
}
/** NodeFilter.SHOW_TEXT */
const SHOW_TEXT = 4;

/**
 * Every visible button, field, picker and navigation link, with the height a finger meets. A
 * checkbox or radio is reached through its label, so the label is what is measured for it.
 */
async function controlHeights(page: Page): Promise<Control[]> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserWindow;
    const selector = "button, input:not([type='hidden']), select, textarea, summary, .screen-nav a, a.button-link";
    const controls: { what: string; height: number }[] = [];
    for (const element of document.querySelectorAll(selector)) {
      const choice = element.tagName === 'INPUT' && (element.type === 'checkbox' || element.type === 'radio');
      const target = choice ? (element.closest('label') ?? element) : element;
      const box = target.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      const name = element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.getAttribute('name') ?? '';
      controls.push({ what: `${element.tagName.toLowerCase()}${choice ? `[${element.type}]` : ''} "${name.slice(0, 40)}"`, height: box.height });
    }
    return controls;
  });
}

/** Words of labels, buttons and headings that a line break cuts in two. */
async function wordsBrokenMidWord(page: Page): Promise<string[]> {
  return page.evaluate((showText) => {
    const { document } = globalThis as unknown as BrowserWindow;
    const broken: string[] = [];
    for (const element of document.querySelectorAll('label, button, legend, th, dt, h1, h2, h3, .screen-nav a')) {
      if (element.getClientRects().length === 0) continue;
      const walker = document.createTreeWalker(element, showText);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S{2,}/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  }, SHOW_TEXT);
}

/** The brightest grey in a screenshot: per pixel the least of red, green and blue, at most. */
async function brightestGrey(browser: Browser, png: Buffer): Promise<number> {
  const blank = await browser.newPage();
  try {
    return await blank.evaluate(async (base64) => {
      const { document, Image } = globalThis as unknown as BrowserWindow;
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let brightest = 0;
      for (let i = 0; i < data.length; i += 4) brightest = Math.max(brightest, Math.min(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0));
      return brightest;
    }, png.toString('base64'));
  } finally {
    await blank.close();
  }
}

/** Width and height from a PNG's header (its IHDR chunk, always first). */
function pngSize(png: Buffer): string {
  return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
}

async function showScreen(page: Page, hash: string): Promise<void> {
  await page.evaluate((address) => ((globalThis as unknown as BrowserWindow).location.hash = address), hash);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.waitForLoadState('networkidle');
}

test.describe('on a phone', () => {
  test.use({ viewport: PHONE, hasTouch: true });

  test('every control on the main screens is at least 44 px tall, and no label breaks mid-word', async ({ page, station }) => {
    await page.goto(station.operatorUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    for (const hash of SCREENS) {
      await showScreen(page, hash);
      const controls = await controlHeights(page);
      expect(controls.length, `controls on ${hash}`).toBeGreaterThan(0);
      const small = controls.filter((control) => control.height < TOUCH_TARGET_PX - 0.5).map((control) => `${control.what}: ${control.height.toFixed(1)} px`);
      expect(small, `controls under ${TOUCH_TARGET_PX} px on ${hash}`).toEqual([]);
      expect(await wordsBrokenMidWord(page), `words broken on ${hash}`).toEqual([]);
    }
  });

  test('night mode draws checkboxes and radios in its own red, never a white tick', async ({ page, station }) => {
    await page.goto(station.operatorUrl);
    await page.getByRole('button', { name: 'Night mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'night');
    const browser = page.context().browser()!;
    // Red on black has no white in it: the least of a pixel's three channels stays low.
    await showScreen(page, '#/jobs');
    const chosen = page.locator("input[type='radio']:checked").first();
    await expect(chosen).toBeVisible();
    expect(await chosen.evaluate((input) => (globalThis as unknown as BrowserWindow).getComputedStyle(input).appearance)).toBe('none');
    expect(await brightestGrey(browser, await chosen.screenshot()), 'the chosen radio').toBeLessThan(64);

    await showScreen(page, '#/settings');
    const checkbox = page.locator("input[type='checkbox']:visible").first();
    await expect(checkbox).toBeVisible();
    await checkbox.evaluate((input: PageElement) => (input.checked = true));
    expect(await checkbox.evaluate((input) => (globalThis as unknown as BrowserWindow).getComputedStyle(input).appearance)).toBe('none');
    expect(await brightestGrey(browser, await checkbox.screenshot()), 'the ticked checkbox').toBeLessThan(64);
  });

  test('a phone can add Tendril to its home screen: the manifest and its icon are linked and served', async ({ page, station, request }) => {
    await page.goto(station.viewerUrl);
    const href = await page.locator("link[rel='manifest']").getAttribute('href');
    expect(href).toBeTruthy();
    const manifestUrl = new URL(href!, page.url()).href;
    const response = await request.get(manifestUrl);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/manifest+json');
    const manifest = (await response.json()) as { name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string }[] };
    expect(manifest.name).toBe('Tendril');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.map((icon) => icon.sizes);
    expect(sizes).toContain('512x512');
    for (const icon of manifest.icons) {
      const image = await request.get(new URL(icon.src, manifestUrl).href);
      expect(image.status(), icon.src).toBe(200);
      expect(image.headers()['content-type']).toBe(icon.type);
      expect(pngSize(await image.body()), icon.src).toBe(icon.sizes);
    }
    const touchIcon = await page.locator("link[rel='apple-touch-icon']").getAttribute('href');
    expect((await request.get(new URL(touchIcon!, page.url()).href)).status()).toBe(200);
  });
});
