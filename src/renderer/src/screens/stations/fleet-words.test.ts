import { describe, expect, it } from 'vitest';
import type { FleetStation } from '../../../../shared/station';
import { fleetCard } from './fleet-words';

const station: FleetStation = {
  id: 'gh1',
  name: 'Greenhouse 1',
  online: true,
  link: 'ready',
  estop: false,
  ec: 1.624,
  ph: 5.9,
  levelL: 42.5,
  capacityL: 60,
  runningJob: 'fill: 40 L of 60 L',
  unreadAlerts: 2,
  url: 'http://192.168.1.20:4600/',
  seenAt: 0,
};

describe('fleetCard', () => {
  it('says what a grower reads on a station, in the screen’s units', () => {
    expect(fleetCard(station, 'metric')).toEqual({
      presence: 'online',
      presenceWords: 'online',
      status: 'controller connected',
      ec: '1.62 mS/cm',
      ph: '5.90',
      level: '42.5 L of 60.0 L',
      job: 'fill: 40 L of 60 L',
      alerts: '2 waiting',
    });
    expect(fleetCard(station, 'us')).toMatchObject({ level: '11.2 gal of 15.9 gal', job: 'fill: 10.6 gal of 15.9 gal' });
  });

  it('puts the stop latch before the link, and says offline with what it last said', () => {
    expect(fleetCard({ ...station, online: false, estop: true, unreadAlerts: 0, runningJob: null }, 'metric')).toMatchObject({
      presence: 'offline',
      presenceWords: 'offline (showing what it last said)',
      status: 'emergency stop latched',
      job: 'idle',
      alerts: 'none waiting',
    });
  });

  it('shows a dash for what a station has not said', () => {
    expect(fleetCard({ ...station, online: null, link: null, ec: null, ph: null, levelL: null, unreadAlerts: null }, 'metric')).toMatchObject({
      presence: 'unknown',
      presenceWords: 'not heard yet',
      status: 'no state yet',
      ec: '–',
      ph: '–',
      level: '–',
      alerts: '–',
    });
  });
});
