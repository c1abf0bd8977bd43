/**
 * Who is connected, kept beside the station, which holds only the count: the same roll for the
 * screens of the one process (live-server.ts) and for those of every worker (workers/station-hub.ts).
 *
 * Counted as they come and go, so a connection costs the same whether it is the first or the
 * five-thousandth. Presence (the count, and a few of the latest comings and goings) goes out at
 * most once a second, so a room full of phones connecting at once costs a few messages, not one
 * per phone.
 */
import type { ScreenPage } from '../../shared/admin';
import { PRESENCE_CHANGES_LISTED, type Presence } from '../../shared/events';
import type { ScreenCount, Viewer } from '../../shared/station';

const PRESENCE_EVERY_MS = 1_000;

/** One connected screen: who it is, and the token it came with. */
export interface RollEntry {
  viewer: Viewer;
  tokenId: string;
}

/** How many live connections one token, and one address, may hold at once. */
export interface ScreenCaps {
  perToken: number;
  perAddress: number;
}

/** A connection refused for holding too many. */
export interface CapRefusal {
  code: 'TOO_MANY_SCREENS';
  limit: number;
  message: string;
}

export class ScreenRoll<Entry extends RollEntry = RollEntry> {
  /** In the order they connected. */
  private readonly entries = new Map<string, Entry>();
  private readonly count: ScreenCount = { operator: 0, viewer: 0 };
  private readonly byToken = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  /** Comings and goings since the last presence, by screen id: a screen that came and went is in neither. */
  private readonly joined = new Map<string, Viewer>();
  private readonly left = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly publish: (presence: Presence) => void) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): Entry | undefined {
    return this.entries.get(id);
  }

  all(): IterableIterator<Entry> {
    return this.entries.values();
  }

  /** A screen connected; one already on the roll under its id is replaced. */
  arrive(entry: Entry): void {
    const { viewer, tokenId } = entry;
    this.depart(viewer.id);
    this.entries.set(viewer.id, entry);
    this.count[viewer.role]++;
    bump(this.byToken, tokenId, 1);
    bump(this.byAddress, viewer.address, 1);
    this.joined.set(viewer.id, viewer);
    this.soon();
  }

  /** A screen went away; what it was, if it was on the roll. */
  depart(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.count[entry.viewer.role]--;
    bump(this.byToken, entry.tokenId, -1);
    bump(this.byAddress, entry.viewer.address, -1);
    if (!this.joined.delete(id)) this.left.add(id);
    this.soon();
    return entry;
  }

  /**
   * Why one more connection of this token from this address is refused, or null. A screen that
   * resumes under its id keeps its place: it is not counted against itself.
   */
  refusal(tokenId: string, address: string, caps: ScreenCaps, resuming?: string): CapRefusal | null {
    const again = resuming === undefined ? undefined : this.entries.get(resuming);
    const token = (this.byToken.get(tokenId) ?? 0) - (again?.tokenId === tokenId ? 1 : 0);
    const fromAddress = (this.byAddress.get(address) ?? 0) - (again?.viewer.address === address ? 1 : 0);
    if (token >= caps.perToken) {
      return { code: 'TOO_MANY_SCREENS', limit: caps.perToken, message: `this token already has ${connections(token)}, the most one token may hold; close a tab or a screen using it, pair this screen with a token of its own, or raise lan.maxScreensPerToken in settings.json` };
    }
    if (fromAddress >= caps.perAddress) {
      return { code: 'TOO_MANY_SCREENS', limit: caps.perAddress, message: `${address} already has ${connections(fromAddress)}, the most one address may hold; close some, or raise lan.maxScreensPerAddress in settings.json` };
    }
    return null;
  }

  /** A page of the screens, in the order they connected, read without copying the whole list. */
  page(offset: number, limit: number): ScreenPage {
    const screens: Viewer[] = [];
    let index = 0;
    for (const { viewer } of this.entries.values()) {
      if (index >= offset + limit) break;
      if (index >= offset) screens.push(viewer);
      index++;
    }
    return { total: this.entries.size, offset, screens };
  }

  /** Stops the presence still to go out. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private soon(): void {
    this.timer ??= setTimeout(() => this.sendPresence(), PRESENCE_EVERY_MS);
  }

  private sendPresence(): void {
    this.timer = null;
    const changes = this.joined.size + this.left.size;
    const joined = [...this.joined.values()].slice(-PRESENCE_CHANGES_LISTED);
    const left = [...this.left].slice(-PRESENCE_CHANGES_LISTED);
    this.joined.clear();
    this.left.clear();
    this.publish({ screens: { ...this.count }, joined, left, unlisted: changes - joined.length - left.length });
  }
}

function bump(counts: Map<string, number>, key: string, by: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

const connections = (count: number): string => `${count} live connection${count === 1 ? '' : 's'}`;
