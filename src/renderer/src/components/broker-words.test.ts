import { describe, expect, it } from 'vitest';
import { brokerWords } from './broker-words';
import { formatMoment } from '../format';

const broker = 'mqtt://tendril@192.168.1.5:1883';

describe('brokerWords', () => {
  it('shows nothing while publishing to a broker is off', () => {
    expect(brokerWords(undefined, 0)).toBeNull();
  });

  it('says connected, connecting the first time, and reconnecting after that', () => {
    expect(brokerWords({ status: 'connected', broker, reason: 'connected', since: 0 }, 0)).toEqual({ state: 'connected', detail: broker });
    expect(brokerWords({ status: 'connecting', broker, reason: 'connecting', since: 0 }, 0)).toEqual({ state: 'connecting', detail: broker });
    expect(brokerWords({ status: 'connecting', broker, reason: 'trying again (attempt 3)', since: 0 }, 0)).toEqual({
      state: 'reconnecting',
      detail: 'trying again (attempt 3)',
    });
  });

  it('says since when the broker is down, for how long, and why', () => {
    const since = Date.UTC(2026, 5, 1, 14, 2);
    const words = brokerWords({ status: 'disconnected', broker, reason: 'connection refused; trying again in 8 s', since }, since + 12 * 60_000);
    expect(words).toEqual({
      state: 'down',
      detail: `since ${formatMoment(since, since + 12 * 60_000)} (12 min): connection refused; trying again in 8 s`,
    });
  });
});
