import { describe, expect, it } from 'vitest';
import { REFUSAL_ALERT_EVERY_MS, RefusalAlerts } from './refusal-alerts';

describe('alerts about refused presses', () => {
  it('raises one a minute per switch or button, and counts the presses held in between', () => {
    let now = 0;
    const alerts: string[] = [];
    const refusals = new RefusalAlerts((message) => alerts.push(message), () => now);
    const refused = "Home Assistant's switch Lights was refused: the emergency stop is latched";
    // A stuck automation pressing every second for three minutes.
    for (; now < 3 * REFUSAL_ALERT_EVERY_MS; now += 1_000) refusals.refused('switch Lights', refused);
    expect(alerts).toEqual([
      refused,
      `${refused} (refused 59 more times since the last alert about it, which come at most once a minute)`,
      `${refused} (refused 59 more times since the last alert about it, which come at most once a minute)`,
    ]);
  });

  it('keeps each switch and button apart', () => {
    let now = 0;
    const alerts: string[] = [];
    const refusals = new RefusalAlerts((message) => alerts.push(message), () => now);
    refusals.refused('switch Lights', 'lights refused');
    refusals.refused('recipe button Weekly', 'recipe refused');
    now += 1_000;
    refusals.refused('switch Lights', 'lights refused');
    expect(alerts).toEqual(['lights refused', 'recipe refused']);
    now += REFUSAL_ALERT_EVERY_MS;
    refusals.refused('switch Lights', 'lights refused');
    expect(alerts.at(-1)).toBe('lights refused (refused 1 more time since the last alert about it, which come at most once a minute)');
  });
});
