/**
 * CSV for the grower's spreadsheet: the dose audit, the job history and sensor history. RFC 4180
 * (comma separated, CRLF line ends, fields quoted when they hold a comma, quote or line break)
 * with two columns per time: ISO 8601 in UTC for people, epoch milliseconds for programs.
 */
import type { ChannelHistory } from '../../shared/history';
import { plainText } from '../../shared/plain-text';
import type { DoseAuditEntry, JobRecord } from './logbook';

export type CsvCell = string | number | boolean | null | undefined;

/**
 * Spreadsheets run a cell that starts with = + - or @ as a formula, and a tab or carriage return
 * in front can hide one. Job details, requesters' screen names and alert texts come from LAN
 * screens, so an exported file could carry `=HYPERLINK(...)` to whoever opens it. Such text cells
 * get a leading apostrophe, which spreadsheets show as plain text. Numbers are ours and stay as
 * they are, so a negative reading is still a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [columns.map(cellText).join(',')];
  for (const row of rows) {
    if (row.length !== columns.length) throw new RangeError(`a CSV row has ${row.length} cells for ${columns.length} columns`);
    lines.push(row.map(cellText).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const iso = (time: number | null): string | null => (time === null ? null : new Date(time).toISOString());

/**
 * Free text in the records (requesters' names, outcomes, details, recipe and schedule names in a
 * job's spec) with control characters escaped as in the log (shared/plain-text.ts): a line break
 * is kept safe by the quotes, but a bidi override would still make a cell read as something else.
 */
const text = (cell: string | null): string | null => (cell === null ? null : plainText(cell));

export function doseAuditCsv(entries: readonly DoseAuditEntry[]): string {
  return toCsv(
    ['time', 'time_ms', 'pump', 'requested_ml', 'delivered_ml', 'job', 'requested_by', 'outcome'],
    entries.map((entry) => [iso(entry.at), entry.at, entry.pumpId, entry.requestedMl, entry.deliveredMl, entry.jobId, text(entry.requestedBy), text(entry.outcome)]),
  );
}

export function jobHistoryCsv(jobs: readonly JobRecord[]): string {
  return toCsv(
    ['job', 'kind', 'state', 'tank', 'requested_by', 'created', 'created_ms', 'started', 'started_ms', 'ended', 'ended_ms', 'progress', 'detail', 'spec'],
    jobs.map((job) => [
      job.id,
      job.kind,
      job.state,
      job.tankId,
      text(job.requestedBy),
      iso(job.createdAt),
      job.createdAt,
      iso(job.startedAt),
      job.startedAt,
      iso(job.endedAt),
      job.endedAt,
      job.progress,
      text(job.detail),
      text(JSON.stringify(job.spec)),
    ]),
  );
}

/**
 * One row per point; several channels go one after another, so each keeps its own times. An
 * export of one channel heads its values with the channel's name and unit (`valueHeading`,
 * "Water temperature (°F)"), so the file says what its numbers are.
 *
 * Where a probe calibration changed readings, the controller's own values follow in a column of
 * their own (`rawHeading`, "pH probe, raw (pH)"), empty for readings that were not calibrated.
 * A file with no calibrated reading has no such column, as before calibration existed.
 */
export function sensorHistoryCsv(histories: readonly ChannelHistory[], valueHeading = 'value', rawHeading = 'raw'): string {
  const withRaw = histories.some((history) => history.raw !== undefined);
  return toCsv(
    ['time', 'time_ms', 'channel', plainText(valueHeading), ...(withRaw ? [plainText(rawHeading)] : []), 'averaged'],
    histories.flatMap((history) =>
      history.points.map(([at, value], i) => [
        iso(Math.round(at)),
        Math.round(at),
        history.channel,
        value,
        ...(withRaw ? [history.raw?.[i] ?? null] : []),
        history.downsampled,
      ]),
    ),
  );
}
