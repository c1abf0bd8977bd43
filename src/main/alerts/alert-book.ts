/**
 * The station's alerts, kept once for every screen: raising one, folding its repeats into a count,
 * acknowledging them (one or all, saying who), and bringing back after a restart the ones nobody
 * has acknowledged yet. The live list is the store's; the database keeps them all.
 */
import { foldKey, isActive, needsAck, timesRaised } from '../../shared/alerts';
import type { StationChange } from '../../shared/events';
import type { Alert, AlertLevel } from '../../shared/station';
import type { Alerts as AlertKeeper } from '../db';

export interface AlertInput {
  level: AlertLevel;
  code: string;
  message: string;
  /** What it is about, so repeats fold even when the words change (see Alert.subject). */
  subject?: string;
  source?: Alert['source'];
  /** When it happened, if not now (a controller's alarm is stamped when its line was read). */
  at?: number;
}

export interface AlertBookOptions {
  /** The live list every screen shows. */
  alerts: () => readonly Alert[];
  apply: (change: StationChange) => void;
  /** One numbering with the link's (controller alarms). */
  nextId: () => number;
  now: () => number;
  keeper?: AlertKeeper;
  log?: (line: string) => void;
}

/** Unacknowledged alerts brought back into the live list after a restart. */
const RESTORED_AT_START = 50;

export class AlertBook {
  /** Live id → database row, for folding and acknowledging what is stored. */
  private readonly rows = new Map<number, number>();

  constructor(private readonly options: AlertBookOptions) {}

  /**
   * Raises an alert, or folds it into the entry for the same trouble that still waits for a
   * person (or, for notes, the latest one): one entry with a count and the last time.
   */
  raise(input: AlertInput): Alert {
    const at = input.at ?? this.options.now();
    const source = input.source ?? 'host';
    const key = foldKey(input);
    const same = this.options.alerts().findLast((alert) => foldKey(alert) === key && alert.source === source);
    if (same && (isActive(same) || !needsAck(same))) {
      const folded: Alert = { ...same, message: input.message, count: timesRaised(same) + 1, lastAt: at };
      this.options.apply({ type: 'alert', alert: folded });
      const row = this.rows.get(same.id);
      this.keep((keeper) => row !== undefined && keeper.refold(row, folded.count!, at, input.message));
      return folded;
    }
    const alert: Alert = { id: this.options.nextId(), level: input.level, code: input.code, message: input.message, at, source };
    if (input.subject !== undefined) alert.subject = input.subject;
    this.options.log?.(`alert: ${alert.code} ${alert.message}`);
    this.options.apply({ type: 'alert', alert });
    this.keep((keeper) => this.rows.set(alert.id, keeper.add(alert)));
    return alert;
  }

  /**
   * Acknowledges the alerts with these ids, or every one waiting; returns the ids this acknowledged
   * (those already acknowledged, notes and unknown ids are left out).
   */
  acknowledge(which: readonly number[] | 'all', by: string): number[] {
    const wanted = which === 'all' ? null : new Set(which);
    const ids = this.options
      .alerts()
      .filter((alert) => isActive(alert) && (wanted === null || wanted.has(alert.id)))
      .map((alert) => alert.id);
    if (ids.length === 0) return ids;
    const at = this.options.now();
    this.options.apply({ type: 'alerts_ack', ids, by, at });
    this.keep((keeper) => {
      for (const id of ids) {
        const row = this.rows.get(id);
        if (row !== undefined) keeper.acknowledge(row, at, by);
      }
    });
    return ids;
  }

  /** After a restart: what still waits for a person comes back onto every screen. */
  restore(): number {
    const keeper = this.options.keeper;
    if (!keeper) return 0;
    const waiting = keeper.unacknowledged(RESTORED_AT_START);
    for (const stored of waiting) {
      const { id: row, acknowledgedAt: _acknowledgedAt, ...rest } = stored;
      const alert: Alert = { ...rest, id: this.options.nextId() };
      this.rows.set(alert.id, row);
      this.options.apply({ type: 'alert', alert });
    }
    return waiting.length;
  }

  /** The database is a record, not the station: if it fails, the alert still reaches every screen. */
  private keep(write: (keeper: AlertKeeper) => unknown): void {
    const keeper = this.options.keeper;
    if (!keeper) return;
    try {
      write(keeper);
    } catch (err) {
      this.options.log?.(`alerts: could not store an alert (${(err as Error).message}); the screens still show it`);
    }
  }
}
