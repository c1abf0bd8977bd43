import { describe, expect, it } from 'vitest';
import type { FleetStation } from '../../shared/station';
import { FLEET_MAX_PAYLOAD_BYTES, FLEET_MAX_STATIONS, fleetFilters, fleetRoot, reduceFleet } from './fleet';

const root = 'tendril';
const summary = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    link: 'ready',
    estop: false,
    tanks: [{ id: 'main', name: 'Main', capacityL: 60, levelL: 42.5 }],
    jobs: [{ id: 3, kind: 'fill', state: 'running', detail: '40 L of 60 L' }],
    name: 'Greenhouse 1',
    ec: 1.62,
    ph: 5.9,
    unreadAlerts: 2,
    url: 'http://192.168.1.20:4600/',
    ...extra,
  });

function run(messages: Array<[string, string]>, start: FleetStation[] = []): { fleet: FleetStation[]; logs: string[] } {
  const logs: string[] = [];
  let fleet = start;
  for (const [topic, payload] of messages) fleet = reduceFleet(fleet, root, { topic, payload }, 1_000, (line) => logs.push(line));
  return { fleet, logs };
}

describe('fleet', () => {
  it('subscribes to every station one level under the prefix root', () => {
    expect(fleetRoot('tendril/greenhouse-1')).toBe('tendril');
    expect(fleetRoot('farm/north/tendril-2')).toBe('farm/north');
    expect(fleetRoot('tendril')).toBeNull();
    expect(fleetFilters('tendril')).toEqual(['tendril/+/availability', 'tendril/+/state']);
  });

  it('keeps what the Stations screen shows from availability and the state summary', () => {
    const { fleet, logs } = run([
      ['tendril/gh1/availability', 'online'],
      ['tendril/gh1/state', summary()],
    ]);
    expect(logs).toEqual([]);
    expect(fleet).toEqual([
      {
        id: 'gh1',
        name: 'Greenhouse 1',
        online: true,
        link: 'ready',
        estop: false,
        ec: 1.62,
        ph: 5.9,
        levelL: 42.5,
        capacityL: 60,
        runningJob: 'fill: 40 L of 60 L',
        unreadAlerts: 2,
        url: 'http://192.168.1.20:4600/',
        seenAt: 1_000,
      },
    ]);
  });

  it('shows a station offline when its Last Will arrives, keeping what it last said', () => {
    const before = run([['tendril/gh1/availability', 'online'], ['tendril/gh1/state', summary()]]).fleet;
    const { fleet } = run([['tendril/gh1/availability', 'offline']], before);
    expect(fleet[0]).toMatchObject({ online: false, ec: 1.62, name: 'Greenhouse 1' });
  });

  it('sorts stations by name, and forgets one whose retained topics are cleared', () => {
    const { fleet } = run([
      ['tendril/b/state', summary({ name: 'Veg room' })],
      ['tendril/a/state', summary({ name: 'Bloom room' })],
    ]);
    expect(fleet.map((station) => station.name)).toEqual(['Bloom room', 'Veg room']);
    expect(run([['tendril/a/state', '']], fleet).fleet.map((station) => station.id)).toEqual(['b']);
  });

  it('names a station by its id when it publishes no name, and leaves out what an older station does not say', () => {
    const { fleet } = run([['tendril/gh2/state', JSON.stringify({ link: 'connecting', estop: true, tanks: [], jobs: [] })]]);
    expect(fleet[0]).toMatchObject({ id: 'gh2', name: 'gh2', online: null, estop: true, ec: null, levelL: null, runningJob: null, unreadAlerts: null, url: null });
  });

  it('ignores malformed and oversized payloads with a log line, and topics that are not a station', () => {
    const before = run([['tendril/gh1/state', summary()]]).fleet;
    const { fleet, logs } = run(
      [
        ['tendril/gh1/state', '{not json'],
        ['tendril/gh1/state', JSON.stringify({ estop: 'yes' })],
        ['tendril/gh1/availability', 'maybe'],
        ['tendril/gh1/state', summary({ pad: 'x'.repeat(FLEET_MAX_PAYLOAD_BYTES) })],
        ['tendril/gh1/readings/ec1', '{"value":1}'],
        ['other/gh1/state', summary()],
      ],
      before,
    );
    expect(fleet).toBe(before);
    expect(logs).toHaveLength(4);
    expect(logs[0]).toContain('not a Tendril state summary');
    expect(logs[2]).toContain('neither online nor offline');
    expect(logs[3]).toContain('bytes');
  });

  it('opens only http(s) addresses', () => {
    expect(run([['tendril/x/state', summary({ url: 'javascript:alert(1)' })]]).fleet[0]!.url).toBeNull();
  });

  it('leaves out stations past its bound', () => {
    const many: Array<[string, string]> = [];
    for (let n = 0; n <= FLEET_MAX_STATIONS; n++) many.push([`tendril/s${String(n).padStart(3, '0')}/availability`, 'online']);
    const { fleet, logs } = run(many);
    expect(fleet).toHaveLength(FLEET_MAX_STATIONS);
    expect(logs).toEqual([`mqtt fleet: ignored station s${String(FLEET_MAX_STATIONS).padStart(3, '0')}: the Stations screen shows at most ${FLEET_MAX_STATIONS}`]);
  });
});
