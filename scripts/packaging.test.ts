/**
 * Checks electron-builder.cjs against what is really on disk: the native modules it must unpack,
 * the icons it names, and the fuses of release and test builds. Building an installer needs the
 * Electron binary, which these machines cannot download, so this is what runs here.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const configFile = join(root, 'electron-builder.cjs');

// electron-builder's own pattern matching and schema check, so the test agrees with the build.
// Both come with electron-builder, which pins this exact app-builder-lib.
const { FileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (
    from: string,
    to: string,
    expand: (pattern: string) => string,
    patterns: string[],
  ) => { createFilter(): (file: string, stat: Stats) => boolean };
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };

function loadConfig(testBuild: boolean): Configuration {
  const saved = process.env['TENDRIL_TEST_BUILD'];
  if (testBuild) process.env['TENDRIL_TEST_BUILD'] = '1';
  else delete process.env['TENDRIL_TEST_BUILD'];
  try {
    delete require.cache[configFile];
    return require(configFile) as Configuration;
  } finally {
    delete require.cache[configFile];
    if (saved === undefined) delete process.env['TENDRIL_TEST_BUILD'];
    else process.env['TENDRIL_TEST_BUILD'] = saved;
  }
}

const release = loadConfig(false);
const testBuild = loadConfig(true);
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  productName?: string;
  main: string;
  homepage?: string;
  author?: { name?: string; email?: string };
  dependencies: Record<string, string>;
};

function asList(value: unknown): string[] {
  if (value == null) return [];
  return (Array.isArray(value) ? value : [value]).map((entry) => {
    if (typeof entry === 'string') return entry;
    if (entry && typeof entry === 'object' && 'target' in entry) return String(entry.target);
    throw new Error(`unexpected entry ${JSON.stringify(entry)}`);
  });
}

/** electron-builder's matcher for a list of patterns, relative to the project like the build's. */
function matcher(patterns: string[]): (file: string) => boolean {
  const filter = new FileMatcher(root, root, (pattern) => pattern, patterns).createFilter();
  return (file) => filter(file, existsSync(file) ? lstatSync(file) : ({ isDirectory: () => false } as Stats));
}

/** The packages electron-builder copies into the app: the production dependencies, transitively. */
function runtimePackageDirs(): Set<string> {
  const found = new Set<string>();
  const queue = Object.keys(packageJson.dependencies).map((name) => ({ name, from: root, optional: false }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const dir = installedPackageDir(next.name, next.from);
    if (dir === null) {
      if (next.optional) continue; // another platform's build, such as @libsql/darwin-arm64
      throw new Error(`${next.name}, needed by ${relative(root, next.from) || 'the app'}, is not installed`);
    }
    if (found.has(dir)) continue;
    found.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push({ name, from: dir, optional: false });
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name, from: dir, optional: true });
  }
  return found;
}

/** Node's lookup: node_modules/<name> beside the requiring package, then in each folder above it. */
function installedPackageDir(name: string, from: string): string | null {
  for (let dir = from; dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return null;
}

function nativeFilesIn(packageDir: string): string[] {
  return readdirSync(packageDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.node') && !file.split(/[\\/]/).includes('node_modules'))
    .map((file) => join(packageDir, file));
}

/** Width and height from a PNG's IHDR chunk, which must come first. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex'), `${file} is not a PNG`).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1'), `${file} does not start with IHDR`).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.cjs', () => {
  it('passes electron-builder’s own schema check, as a release and as a test build', async () => {
    await expect(validateConfiguration(release, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration(testBuild, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage and deb on Linux, NSIS on Windows and a dmg on macOS', () => {
    expect(asList(release.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(asList(release.win?.target)).toEqual(['nsis']);
    expect(asList(release.mac?.target)).toEqual(['dmg']);
  });

  it('names each artifact with its version, os and arch, and keeps test builds apart', () => {
    for (const config of [release, testBuild]) {
      for (const macro of ['${productName}', '${version}', '${os}', '${arch}', '${ext}']) {
        expect(config.artifactName).toContain(macro);
      }
    }
    expect(release.directories?.output).toBe('release');
    expect(testBuild.directories?.output).toBe('release/test');
    expect(testBuild.artifactName).not.toBe(release.artifactName);
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('release/');
  });

  it('sets the fuses, and a test build differs only in the inspect fuse', () => {
    expect(release.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(testBuild.electronFuses).toEqual({ ...release.electronFuses, enableNodeCliInspectArguments: true });
  });

  it('makes a test build of the same app: only the fuses, the folder and the names change', () => {
    const rest = (config: Configuration) => ({ ...config, electronFuses: null, directories: null, artifactName: null });
    expect(rest(testBuild)).toEqual(rest(release));
    expect(testBuild.directories?.buildResources).toBe(release.directories?.buildResources);
  });

  it('packs the built app, its package.json and the icons it imports, and no sources', () => {
    const packed = matcher(asList(release.files));
    expect(packageJson.main).toMatch(/^(\.\/)?out\//);
    expect(packed(join(root, packageJson.main))).toBe(true);
    expect(packed(join(root, 'out/preload/index.js'))).toBe(true);
    expect(packed(join(root, 'out/renderer/index.html'))).toBe(true);
    expect(packed(join(root, 'package.json'))).toBe(true);
    expect(packed(join(root, 'resources/tray.png'))).toBe(true);
    expect(packed(join(root, 'src/main/index.ts'))).toBe(false);
    expect(packed(join(root, 'build/icon.svg'))).toBe(false);
    expect(packed(join(root, 'e2e/playwright.config.ts'))).toBe(false);
  });

  describe('asarUnpack', () => {
    const patterns = asList(release.asarUnpack);
    const unpacked = matcher(patterns);
    const nativeFiles = [...runtimePackageDirs()].flatMap(nativeFilesIn);

    it('finds native code among the runtime dependencies', () => {
      expect(nativeFiles.some((file) => file.includes(join('@serialport', 'bindings-cpp')))).toBe(true);
      expect(nativeFiles.some((file) => file.includes(join('node_modules', '@libsql')))).toBe(true);
    });

    it('unpacks every .node file the app ships', () => {
      expect(nativeFiles.filter((file) => !unpacked(file)).map((file) => relative(root, file))).toEqual([]);
    });

    it('unpacks the very files that load on this platform', () => {
      require('libsql');
      require('@serialport/bindings-cpp');
      const loaded = Object.keys(require.cache).filter((file) => file.endsWith('.node'));
      const libsql = loaded.filter((file) => file.includes(join('node_modules', '@libsql')));
      const serialport = loaded.filter((file) => file.includes(join('@serialport', 'bindings-cpp')));
      expect(libsql, 'libsql loaded no native file from @libsql/*').not.toEqual([]);
      expect(serialport, 'serialport loaded no native file from @serialport/bindings-cpp').not.toEqual([]);
      for (const file of [...libsql, ...serialport]) {
        expect(unpacked(file), `${relative(root, file)} would stay in app.asar`).toBe(true);
        expect(nativeFiles).toContain(file);
      }
    });

    it('matches real files with every pattern, so a renamed package cannot slip through', () => {
      for (const pattern of patterns) {
        const matches = matcher([pattern]);
        if (pattern.includes('node_modules')) {
          expect(nativeFiles.filter(matches), `${pattern} matches no .node file`).not.toEqual([]);
        } else {
          const base = pattern.replace(/\/\*\*$/, '');
          expect(existsSync(join(root, base)), `${base} does not exist`).toBe(true);
          const files = readdirSync(join(root, base)).map((file) => join(root, base, file));
          expect(files.length, `${base} is empty`).toBeGreaterThan(0);
          expect(files.filter((file) => !matches(file))).toEqual([]);
        }
      }
    });
  });

  describe('icons', () => {
    it('has a PNG of at least 512 × 512 for the .ico and .icns that electron-builder derives', () => {
      const { width, height } = pngSize(join(root, 'build/icon.png'));
      expect(width).toBeGreaterThanOrEqual(512);
      expect(height).toBe(width);
    });

    it('has every icon at its size: the installers’, the Linux set, the window’s and the tray’s', () => {
      const expected: Array<[string, number]> = [
        ['build/icon.png', 1024],
        ...[16, 24, 32, 48, 64, 128, 256, 512].map((size): [string, number] => [`build/icons/${size}x${size}.png`, size]),
        ['resources/icon.png', 256],
        ['resources/tray.png', 16],
        ['resources/tray@2x.png', 32],
      ];
      for (const [file, size] of expected) {
        expect(existsSync(join(root, file)), `${file} is missing: npm run icons`).toBe(true);
        expect(pngSize(join(root, file)), file).toEqual({ width: size, height: size });
      }
    });

    it('names each PNG in the Linux set after its real size', () => {
      const dir = join(root, 'build/icons');
      for (const file of readdirSync(dir)) {
        const named = /^(\d+)x(\d+)\.png$/.exec(file);
        expect(named, `build/icons/${file} is not named <size>x<size>.png`).not.toBeNull();
        expect(pngSize(join(dir, file))).toEqual({ width: Number(named?.[1]), height: Number(named?.[2]) });
      }
    });
  });

  it('names only paths that exist', () => {
    const named = [
      release.directories?.buildResources,
      release.linux?.icon,
      release.win?.icon,
      release.mac?.icon,
      // out/ is what `npm run build` makes; the files test above checks package.json's main is in it.
      ...asList(release.files).filter((pattern) => !pattern.startsWith('out/')).map((pattern) => pattern.replace(/\/\*\*$/, '')),
    ];
    for (const path of named) {
      expect(path, 'a path in the config is empty').toBeTruthy();
      expect(existsSync(join(root, String(path))), `${path} does not exist`).toBe(true);
    }
  });

  it('names the app as Electron will at run time, which names the data folder headless Tendril shares', () => {
    expect(packageJson.productName).toBe('Tendril');
    expect(release.productName).toBe(packageJson.productName);
  });

  it('gives the deb a maintainer and a homepage', () => {
    expect(packageJson.author?.name).toBeTruthy();
    expect(packageJson.author?.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(packageJson.homepage).toMatch(/^https:\/\//);
  });
});
