/**
 * The token store against real files in a temporary folder, with a clock the tests move.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStore, type TokenInfo } from './tokens';

let folder: string;
let file: string;
let clock: number;
const now = () => clock;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'tendril-tokens-'));
  file = join(folder, 'tokens.json');
  clock = 1_700_000_000_000;
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const onDisk = () => readFileSync(file, 'utf8');
const savedTokens = () => (JSON.parse(onDisk()) as { tokens: Array<TokenInfo & { hash: string }> }).tokens;

describe('TokenStore', () => {
  it('issues a 32-byte base64url secret that verifies to its role', async () => {
    const store = await TokenStore.open(file, now);
    const { token, info } = store.create('operator', 'Kitchen tablet');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({ id: expect.any(String), role: 'operator', label: 'Kitchen tablet', createdAt: clock, usedAt: null, source: 'paired' });
    expect(store.verify(token)).toMatchObject({ id: info.id, role: 'operator' });
    expect(store.create('viewer', 'Phone').token).not.toBe(token);
  });

  it('refuses wrong, empty, oversized and non-string tokens', async () => {
    const store = await TokenStore.open(null, now);
    const { token } = store.create('viewer', 'Phone');
    for (const guess of [`${token}x`, token.slice(1), '', 'x'.repeat(10_000), undefined, null, 42, { token }, [token]]) {
      expect(store.verify(guess)).toBeNull();
    }
  });

  it('writes only the hash: the secret never appears in the file', async () => {
    const store = await TokenStore.open(file, now);
    const { token, info } = store.create('viewer', 'Phone');
    const text = onDisk();
    expect(text).not.toContain(token);
    expect(savedTokens()).toEqual([{ ...info, hash: createHash('sha256').update(token).digest('hex') }]);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replaces the file in one step and leaves no temporary files behind', async () => {
    const store = await TokenStore.open(file, now);
    for (let i = 0; i < 5; i++) store.create('viewer', `Phone ${i}`);
    expect(readdirSync(folder)).toEqual(['tokens.json']);
    expect(savedTokens()).toHaveLength(5);
  });

  it('starts empty when the file is missing, and creates its folder on the first write', async () => {
    const nested = join(folder, 'data', 'tokens.json');
    const store = await TokenStore.open(nested, now);
    expect(store.list()).toEqual([]);
    store.create('viewer', 'Phone');
    expect(JSON.parse(readFileSync(nested, 'utf8')).tokens).toHaveLength(1);
  });

  it('reloads tokens from disk after a restart', async () => {
    const first = await TokenStore.open(file, now);
    const phone = first.create('viewer', 'Phone');
    clock += 1000;
    const tablet = first.create('operator', 'Tablet');
    const second = await TokenStore.open(file, now);
    expect(second.list()).toEqual([phone.info, tablet.info]);
    expect(second.verify(tablet.token)).toMatchObject({ id: tablet.info.id, role: 'operator', label: 'Tablet' });
  });

  it('revokes: the token stops working, listeners hear of it, and the file forgets it', async () => {
    const store = await TokenStore.open(file, now);
    const phone = store.create('viewer', 'Phone');
    const tablet = store.create('operator', 'Tablet');
    const heard: TokenInfo[] = [];
    const stop = store.onRevoke((info) => heard.push(info));

    expect(store.revoke(phone.info.id)).toBe(true);
    expect(store.verify(phone.token)).toBeNull();
    expect(heard).toEqual([phone.info]);
    expect(savedTokens().map((t) => t.id)).toEqual([tablet.info.id]);
    expect((await TokenStore.open(file, now)).verify(phone.token)).toBeNull();

    expect(store.revoke(phone.info.id)).toBe(false);
    expect(store.revoke('no-such-id')).toBe(false);
    stop();
    store.revoke(tablet.info.id);
    expect(heard).toHaveLength(1);
  });

  it('lists copies, oldest first, so callers cannot change the store', async () => {
    const store = await TokenStore.open(null, now);
    clock += 5;
    const later = store.create('viewer', 'Later');
    clock -= 5;
    const earlier = store.create('viewer', 'Earlier');
    const listed = store.list();
    expect(listed.map((t) => t.label)).toEqual(['Earlier', 'Later']);
    listed[0]!.role = 'operator';
    expect(store.verify(earlier.token)?.role).toBe('viewer');
    expect(store.verify(later.token)?.role).toBe('viewer');
  });

  describe('preset tokens from the environment', () => {
    const secret = 'automation-secret-0123456789';

    it('verify, are listed, and are never written to the file', async () => {
      const store = await TokenStore.open(file, now);
      const info = store.preset('operator', secret, 'TENDRIL_OPERATOR_TOKEN');
      expect(info).toMatchObject({ role: 'operator', label: 'TENDRIL_OPERATOR_TOKEN', source: 'environment' });
      store.create('viewer', 'Phone');
      expect(store.verify(secret)).toMatchObject({ id: info.id, source: 'environment' });
      expect(store.list().map((t) => t.source)).toEqual(['environment', 'paired']);

      const text = onDisk();
      expect(text).not.toContain(secret);
      expect(text).not.toContain(createHash('sha256').update(secret).digest('hex'));
      expect(text).not.toContain('environment');
      expect((await TokenStore.open(file, now)).verify(secret)).toBeNull();
    });

    it('refuse secrets shorter than 16 characters, without echoing them', async () => {
      const store = await TokenStore.open(null, now);
      expect(() => store.preset('viewer', 'short-secret', 'TENDRIL_VIEWER_TOKEN')).toThrow(/TENDRIL_VIEWER_TOKEN is 12 characters long; use at least 16/);
      try {
        store.preset('viewer', 'short-secret', 'TENDRIL_VIEWER_TOKEN');
      } catch (err) {
        expect((err as Error).message).not.toContain('short-secret');
      }
      expect(store.list()).toEqual([]);
      expect(store.preset('viewer', 'x'.repeat(16), 'TENDRIL_VIEWER_TOKEN').role).toBe('viewer');
    });

    it('refuse the same secret for two tokens', async () => {
      const store = await TokenStore.open(null, now);
      store.preset('viewer', secret, 'TENDRIL_VIEWER_TOKEN');
      expect(() => store.preset('operator', secret, 'TENDRIL_OPERATOR_TOKEN')).toThrow(/same secret as the token "TENDRIL_VIEWER_TOKEN"/);
      expect(store.verify(secret)?.role).toBe('viewer');
    });

    it('revoke in memory only', async () => {
      const store = await TokenStore.open(file, now);
      const info = store.preset('viewer', secret, 'TENDRIL_VIEWER_TOKEN');
      const heard: string[] = [];
      store.onRevoke((revoked) => heard.push(revoked.id));
      expect(store.revoke(info.id)).toBe(true);
      expect(store.verify(secret)).toBeNull();
      expect(heard).toEqual([info.id]);
      expect(readdirSync(folder)).toEqual([]);
    });
  });

  describe('a file that cannot be understood', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['torn JSON', '{"version": 1, "tokens": [', /not valid JSON/],
      ['an empty file', '', /not valid JSON/],
      ['the wrong shape', '{"version": 1, "tokens": [{"id": "a", "role": "admin"}]}', /tokens\.0\.role/],
      ['a newer format', '{"version": 2, "tokens": []}', /newer Tendril/],
      ['a stored secret instead of a hash', JSON.stringify({ version: 1, tokens: [{ id: 'a', role: 'viewer', label: 'x', createdAt: 1, usedAt: null, source: 'paired', hash: 'hunter2' }] }), /64 lowercase hex/],
    ];

    it.each(cases)('is refused and left untouched: %s', async (_name, text, problem) => {
      writeFileSync(file, text);
      const opening = TokenStore.open(file, now);
      await expect(opening).rejects.toThrow(problem);
      await expect(opening).rejects.toThrow(file);
      await expect(opening).rejects.toThrow(/move it aside/);
      expect(onDisk()).toBe(text);
      expect(readdirSync(folder)).toEqual(['tokens.json']);
    });

    it('with two tokens sharing an id is refused', async () => {
      const store = await TokenStore.open(file, now);
      store.create('viewer', 'Phone');
      const saved = savedTokens();
      const text = JSON.stringify({ version: 1, tokens: [saved[0], { ...saved[0], hash: 'a'.repeat(64) }] });
      writeFileSync(file, text);
      await expect(TokenStore.open(file, now)).rejects.toThrow(/appears twice/);
      expect(onDisk()).toBe(text);
    });
  });

  describe('use', () => {
    it('records usedAt, writing it at most once a minute', async () => {
      const store = await TokenStore.open(file, now);
      const { token, info } = store.create('viewer', 'Phone');
      const createdAt = clock;

      clock = createdAt + 1000;
      expect(store.verify(token)?.usedAt).toBe(createdAt + 1000);
      expect(savedTokens()[0]!.usedAt).toBe(createdAt + 1000);

      clock = createdAt + 30_000;
      expect(store.verify(token)?.usedAt).toBe(createdAt + 30_000);
      expect(store.list()[0]!.usedAt).toBe(createdAt + 30_000);
      expect(savedTokens()[0]!.usedAt).toBe(createdAt + 1000);

      clock = createdAt + 61_000;
      store.verify(token);
      expect(savedTokens()[0]!.usedAt).toBe(createdAt + 61_000);
      expect((await TokenStore.open(file, now)).list()).toEqual([{ ...info, usedAt: createdAt + 61_000 }]);
    });

    it('any other write carries the latest usedAt along', async () => {
      const store = await TokenStore.open(file, now);
      const { token } = store.create('viewer', 'Phone');
      store.verify(token);
      clock += 10_000;
      store.verify(token);
      store.create('viewer', 'Tablet');
      expect(savedTokens()[0]!.usedAt).toBe(clock);
    });
  });

  describe('when the file cannot be written', () => {
    /** A regular file where the data folder should be: every later write fails. */
    function blockFolder(dataDir: string): void {
      rmSync(dataDir, { recursive: true, force: true });
      writeFileSync(dataDir, 'not a folder');
    }

    it('create throws and keeps nothing, since the secret was never handed out', async () => {
      const dataDir = join(folder, 'data');
      const store = await TokenStore.open(join(dataDir, 'tokens.json'), now);
      blockFolder(dataDir);
      expect(() => store.create('viewer', 'Phone')).toThrow(/could not save pairing tokens to .*tokens\.json/);
      expect(store.list()).toEqual([]);
    });

    it('verify still lets a valid token in, and revoke still takes effect', async () => {
      const dataDir = join(folder, 'data');
      mkdirSync(dataDir);
      const store = await TokenStore.open(join(dataDir, 'tokens.json'), now);
      const { token, info } = store.create('operator', 'Tablet');
      blockFolder(dataDir);
      expect(store.verify(token)?.id).toBe(info.id);

      const heard: string[] = [];
      store.onRevoke((revoked) => heard.push(revoked.id));
      expect(() => store.revoke(info.id)).toThrow(/revoked until Tendril restarts, but could not save/);
      expect(store.verify(token)).toBeNull();
      expect(heard).toEqual([info.id]);
    });

    it('renewStartTokens throws and leaves the earlier start tokens in place', async () => {
      const dataDir = join(folder, 'data');
      const store = await TokenStore.open(join(dataDir, 'tokens.json'), now);
      const first = store.renewStartTokens();
      blockFolder(dataDir);
      expect(() => store.renewStartTokens()).toThrow(/could not save/);
      expect(store.list()).toHaveLength(2);
      expect(store.verify(first.viewer)?.role).toBe('viewer');
      expect(store.verify(first.operator)?.role).toBe('operator');
    });
  });

  describe('renewStartTokens', () => {
    it('issues a viewer and an operator token labelled as printed at start', async () => {
      const store = await TokenStore.open(file, now);
      const { viewer, operator } = store.renewStartTokens();
      expect(store.verify(viewer)).toMatchObject({ role: 'viewer', source: 'start', label: 'printed at start' });
      expect(store.verify(operator)).toMatchObject({ role: 'operator', source: 'start', label: 'printed at start' });
      expect(savedTokens().map((t) => [t.role, t.source])).toEqual([
        ['viewer', 'start'],
        ['operator', 'start'],
      ]);
    });

    it('at the next start drops unused start tokens and keeps used ones and paired ones', async () => {
      const first = await TokenStore.open(file, now);
      const paired = first.create('viewer', 'Phone');
      const earlier = first.renewStartTokens();
      clock += 1000;
      first.verify(earlier.viewer);

      clock += 60 * 60_000;
      const second = await TokenStore.open(file, now);
      const fresh = second.renewStartTokens();

      expect(second.verify(earlier.viewer)?.role).toBe('viewer');
      expect(second.verify(earlier.operator)).toBeNull();
      expect(second.verify(paired.token)?.id).toBe(paired.info.id);
      expect(second.verify(fresh.viewer)?.role).toBe('viewer');
      expect(second.verify(fresh.operator)?.role).toBe('operator');
      expect(fresh.viewer).not.toBe(earlier.viewer);

      const third = await TokenStore.open(file, now);
      expect(third.list().map((t) => [t.role, t.source, t.usedAt === null ? 'unused' : 'used'])).toEqual([
        ['viewer', 'paired', 'used'],
        ['viewer', 'start', 'used'],
        ['viewer', 'start', 'used'],
        ['operator', 'start', 'used'],
      ]);
    });

    it('leaves preset tokens alone', async () => {
      const store = await TokenStore.open(null, now);
      store.preset('viewer', 'automation-secret-0123456789', 'TENDRIL_VIEWER_TOKEN');
      store.renewStartTokens();
      store.renewStartTokens();
      expect(store.list().map((t) => t.source)).toEqual(['environment', 'start', 'start']);
    });
  });
});
