#!/usr/bin/env node
/**
 * Renders the icons from their SVG sources: build/icon.svg for the installers and the window,
 * build/tray.svg for the tray, where the full icon turns to mush at 16 px. The PNGs are
 * committed; run `npm run icons` after changing either SVG.
 *
 * Chromium draws them, the one from the distribution (`apt-get install chromium`); Playwright
 * never downloads a browser here. Each SVG is drawn onto a canvas at the target size, so every
 * size is rasterised from the vector rather than scaled from a larger bitmap.
 */
/* global document, DOMParser, XMLSerializer, Blob, Image -- drawPng runs in the page */
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const linuxSizes = [16, 24, 32, 48, 64, 128, 256, 512];

/** What electron-builder and the main process read; scripts/packaging.test.ts checks the same list. */
const outputs = [
  // electron-builder makes the Windows .ico and the macOS .icns from this one; both want 512 or more.
  { source: 'build/icon.svg', size: 1024, file: 'build/icon.png' },
  // The Linux set, installed into the hicolor theme by the deb and the AppImage.
  ...linuxSizes.map((size) => ({ source: 'build/icon.svg', size, file: `build/icons/${size}x${size}.png` })),
  // Imported by the main process with `?asset`: the window icon and the tray at 1x and 2x.
  { source: 'build/icon.svg', size: 256, file: 'resources/icon.png' },
  { source: 'build/tray.svg', size: 16, file: 'resources/tray.png' },
  { source: 'build/tray.svg', size: 32, file: 'resources/tray@2x.png' },
];

/** Runs in the page: draws one SVG at size × size and returns the PNG as base64. */
async function drawPng({ svg, size }) {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  // Without a width and height an SVG image is sized 300 × 150 and the square icon would be
  // letterboxed into it.
  doc.documentElement.setAttribute('width', String(size));
  doc.documentElement.setAttribute('height', String(size));
  const blob = new Blob([new XMLSerializer().serializeToString(doc)], { type: 'image/svg+xml' });
  const url = URL.createObjectURL(blob);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    canvas.getContext('2d').drawImage(image, 0, 0, size, size);
    return canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
  } finally {
    URL.revokeObjectURL(url);
  }
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  const sources = new Map();
  for (const { source, size, file } of outputs) {
    if (!sources.has(source)) sources.set(source, readFileSync(join(root, source), 'utf8'));
    const png = Buffer.from(await page.evaluate(drawPng, { svg: sources.get(source), size }), 'base64');
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), png);
    console.log(`${file}  ${size}×${size}  ${png.length} bytes`);
  }
} finally {
  await browser.close();
}
