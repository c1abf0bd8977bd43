/**
 * One channel's history as a CSV file a grower can open without the API's documentation at
 * hand: the value column is headed by the channel's name and the unit its numbers are in, such
 * as "Water temperature (°F)", and the values are in the units the grower asked for. A probe
 * calibrated during the window adds its controller's own values beside them, headed
 * "pH probe, raw (pH)" and converted the same way.
 */
import type { ChannelHistory } from '../../shared/history';
import { historyHeading, historyScale, type HistoryUnits } from '../../shared/history-units';
import type { StationState } from '../../shared/station';
import { sensorHistoryCsv } from '../db';

export interface ChannelColumn {
  heading: string;
  /** Heads the controller's own values, where a probe calibration changed the readings. */
  rawHeading: string;
  convert: (value: number) => number;
}

/** Converted values keep more digits than any probe resolves, without a float's noise. */
const DIGITS = 1e4;

/**
 * The value column of a channel's export, or null when its values are to be converted but the
 * station does not know the channel now (no controller yet), so it cannot tell how.
 */
export function channelColumn(state: Pick<StationState, 'channels' | 'calibration'>, channelId: string, units: HistoryUnits): ChannelColumn | null {
  const channel = state.channels.find((candidate) => candidate.id === channelId);
  // Samples as recorded need no conversion: a channel the controller has not reported (yet)
  // still exports, headed by its id alone.
  if (!channel) return units === 'station' ? { heading: channelId, rawHeading: `${channelId}, raw`, convert: (value) => value } : null;
  const scale = historyScale(channel, units, state.calibration.flowMeters[channel.id]?.pulsesPerLiter ?? null);
  const converted = units !== 'station' && scale.unit !== historyScale(channel, 'station').unit;
  const name = channel.name || channel.id;
  return {
    heading: historyHeading(name, scale.unit),
    rawHeading: historyHeading(`${name}, raw`, scale.unit),
    convert: converted ? (value) => Math.round(scale.convert(value) * DIGITS) / DIGITS : scale.convert,
  };
}

/** One row per point, the values (and raw values) in the column's units. */
export function channelHistoryCsv(history: ChannelHistory, column: ChannelColumn): string {
  const points = history.points.map(([at, value]): [number, number] => [at, column.convert(value)]);
  const raw = history.raw?.map((value) => (value === null ? null : column.convert(value)));
  return sensorHistoryCsv([{ ...history, points, ...(raw ? { raw } : {}) }], column.heading, column.rawHeading);
}
