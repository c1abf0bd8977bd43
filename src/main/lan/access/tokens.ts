/**
 * Who may use the station from another screen. A phone pairs once and keeps a secret; the
 * station keeps only the secret's SHA-256, so the data folder opens nothing on its own.
 *
 * One process owns the file at a time: the desktop app or the headless server, not both.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../../shared/station';
import { readTokenFile, writeTokenFile, type StoredToken } from './token-file';

export type TokenSource = 'paired' | 'start' | 'environment';

/** What may be shown about a token: never the secret, never its hash. */
export interface TokenInfo {
  id: string;
  role: Role;
  label: string;
  createdAt: number;
  usedAt: number | null;
  source: TokenSource;
}

/** Fresh secrets for the pairing links printed at a headless start. */
export interface StartTokens {
  viewer: string;
  operator: string;
}

/** Secrets chosen by automation must not be guessable; the ones we issue are 43 characters. */
export const MIN_PRESET_LENGTH = 16;

/** Nothing we issue is this long, and refusing early keeps hashing junk input cheap. */
const MAX_TOKEN_LENGTH = 256;

/**
 * Writing on every use would touch the disk on every connection. A minute is precise enough to
 * tell the grower which screens are still in use.
 */
const USED_AT_SAVE_INTERVAL_MS = 60_000;

const START_LABEL = 'printed at start';

interface Entry {
  info: TokenInfo;
  hash: Buffer;
  /** `usedAt` as last written to the file, to space out writes caused by use alone. */
  savedUsedAt: number | null;
}

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function assertRole(role: unknown): asserts role is Role {
  if (role !== 'viewer' && role !== 'operator') throw new Error(`role must be "viewer" or "operator", not ${JSON.stringify(role)}`);
}

export class TokenStore {
  /** Keyed by the hex SHA-256 of the secret, so a presented token is found without scanning. */
  private readonly entries = new Map<string, Entry>();
  private readonly revokeListeners = new Set<(info: TokenInfo) => void>();

  private constructor(
    private readonly file: string | null,
    private readonly now: () => number,
    stored: readonly StoredToken[],
  ) {
    for (const { hash, ...info } of stored) {
      this.entries.set(hash, { info, hash: Buffer.from(hash, 'hex'), savedUsedAt: info.usedAt });
    }
  }

  /**
   * Loads the tokens kept in `file`, or keeps them in memory only when `file` is null. A file
   * that cannot be understood is refused with an error that says how to reset pairing.
   */
  static async open(file: string | null, now: () => number = Date.now): Promise<TokenStore> {
    return new TokenStore(file, now, file === null ? [] : await readTokenFile(file));
  }

  /** Issues a new secret. It is returned here once and can never be read back. */
  create(role: Role, label: string, source: 'paired' | 'start' = 'paired'): { token: string; info: TokenInfo } {
    assertRole(role);
    const token = newSecret();
    const key = this.add(role, label, source, token);
    try {
      this.save();
    } catch (err) {
      this.entries.delete(key);
      throw err;
    }
    return { token, info: this.infoOf(key) };
  }

  /**
   * Accepts a secret chosen by automation (TENDRIL_VIEWER_TOKEN, TENDRIL_OPERATOR_TOKEN). It is
   * held in memory only: the environment supplies it again at every start, and removing it from
   * the environment is how it is retired.
   */
  preset(role: Role, token: string, label: string): TokenInfo {
    assertRole(role);
    if (typeof token !== 'string' || token.length < MIN_PRESET_LENGTH) {
      const length = typeof token === 'string' ? token.length : 0;
      throw new Error(
        `the ${role} token ${label} is ${length} characters long; use at least ${MIN_PRESET_LENGTH}, for example the output of "openssl rand -hex 32"`,
      );
    }
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new Error(`the ${role} token ${label} is ${token.length} characters long; use at most ${MAX_TOKEN_LENGTH}`);
    }
    const existing = this.entries.get(sha256(token).toString('hex'));
    if (existing) {
      throw new Error(`the ${role} token ${label} is the same secret as the token "${existing.info.label}"; give each token its own secret`);
    }
    return this.infoOf(this.add(role, label, 'environment', token));
  }

  /**
   * The token's holder, or null. Safe against timing: the lookup is by hash, and the hash found
   * is compared in constant time, so response time says nothing about how close a guess was.
   */
  verify(token: unknown): TokenInfo | null {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const hash = sha256(token);
    const key = hash.toString('hex');
    const entry = this.entries.get(key);
    if (!entry || !timingSafeEqual(entry.hash, hash)) return null;
    const now = this.now();
    entry.info.usedAt = now;
    const due = entry.savedUsedAt === null || now - entry.savedUsedAt >= USED_AT_SAVE_INTERVAL_MS;
    if (entry.info.source !== 'environment' && due) {
      try {
        this.save();
      } catch {
        // The token is valid whatever the disk says; refusing the grower's phone over a full
        // disk would be worse. The next write, or the next use after this one, tries again.
      }
    }
    return this.infoOf(key);
  }

  /** Every token, oldest first. */
  list(): TokenInfo[] {
    return [...this.entries.keys()].map((key) => this.infoOf(key)).sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * Removes a token and tells the listeners, so live connections using it can be closed. The
   * token stops working at once even if the file cannot be written; the error then says so.
   */
  revoke(id: string): boolean {
    const key = [...this.entries.entries()].find(([, entry]) => entry.info.id === id)?.[0];
    if (key === undefined) return false;
    const info = this.infoOf(key);
    this.entries.delete(key);
    let failure: Error | null = null;
    if (info.source !== 'environment') {
      try {
        this.save();
      } catch (err) {
        failure = err as Error;
      }
    }
    for (const listener of this.revokeListeners) listener(info);
    if (failure) throw new Error(`token "${info.label}" is revoked until Tendril restarts, but ${failure.message}`);
    return true;
  }

  /** Called with each revoked token. Returns a function that stops the calls. */
  onRevoke(listener: (info: TokenInfo) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  /**
   * Called at every headless start. Links printed by an earlier start that nobody opened are
   * dropped, so a screenshot of an old terminal stops being a way in; links that were used stay,
   * because a phone paired with one should keep working. Returns the new secrets to print.
   */
  renewStartTokens(): StartTokens {
    const dropped = [...this.entries.entries()].filter(([, entry]) => entry.info.source === 'start' && entry.info.usedAt === null);
    // No listener is told: a token never used has no connections to close.
    for (const [key] of dropped) this.entries.delete(key);
    const viewer = newSecret();
    const operator = newSecret();
    const added = [this.add('viewer', START_LABEL, 'start', viewer), this.add('operator', START_LABEL, 'start', operator)];
    try {
      this.save();
    } catch (err) {
      for (const key of added) this.entries.delete(key);
      for (const [key, entry] of dropped) this.entries.set(key, entry);
      throw err;
    }
    return { viewer, operator };
  }

  /**
   * Drops the links printed by earlier starts that nobody opened, and prints none: a start that
   * keeps its links to itself leaves no way in behind it in an old terminal or the journal.
   */
  dropUnusedStartTokens(): void {
    const dropped = [...this.entries.entries()].filter(([, entry]) => entry.info.source === 'start' && entry.info.usedAt === null);
    if (dropped.length === 0) return;
    for (const [key] of dropped) this.entries.delete(key);
    try {
      this.save();
    } catch (err) {
      for (const [key, entry] of dropped) this.entries.set(key, entry);
      throw err;
    }
  }

  private add(role: Role, label: string, source: TokenSource, secret: string): string {
    const hash = sha256(secret);
    const key = hash.toString('hex');
    const info: TokenInfo = { id: this.newId(), role, label, createdAt: this.now(), usedAt: null, source };
    this.entries.set(key, { info, hash, savedUsedAt: null });
    return key;
  }

  private newId(): string {
    const taken = new Set([...this.entries.values()].map((entry) => entry.info.id));
    let id: string;
    do id = randomBytes(6).toString('hex');
    while (taken.has(id));
    return id;
  }

  /** A copy, so a caller cannot change what the store holds. */
  private infoOf(key: string): TokenInfo {
    const entry = this.entries.get(key);
    if (!entry) throw new Error('the token was removed while being read');
    return { ...entry.info };
  }

  private save(): void {
    const kept = [...this.entries.values()].filter((entry) => entry.info.source !== 'environment');
    if (this.file !== null) {
      writeTokenFile(
        this.file,
        kept.map(({ info, hash }) => ({ ...info, source: info.source as StoredToken['source'], hash: hash.toString('hex') })),
      );
    }
    for (const entry of kept) entry.savedUsedAt = entry.info.usedAt;
  }
}
