/** docs/mqtt.md says what the publisher does: its events, bounds and retry curve. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MQTT } from '../settings';
import { MAX_IN_FLIGHT, MAX_QUEUED_EVENTS, MAX_UNSENT_BYTES, MQTT_WINDOW_MS, RECONNECT, STATE_EVERY_MS } from './publisher';
import { COMMAND_BURST, COMMANDS_PER_SECOND, MAX_COMMAND_BYTES } from './commands';
import { PUBLISHED_EVENTS, stationTopics } from './topics';

const doc = readFileSync(join(__dirname, '../../../docs/mqtt.md'), 'utf8');
/** The prose with its line breaks as spaces, as a reader reads it. */
const prose = doc.replace(/\s+/g, ' ');

describe('docs/mqtt.md', () => {
  it('lists every event type published under events/<type>, and no other', () => {
    const section = /### 2\.4 `events\/<type>`\n([\s\S]*?)```json/.exec(doc)![1]!;
    const listed = [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter((name) => name !== 'seq' && name !== 'epoch');
    expect([...listed].sort()).toEqual([...PUBLISHED_EVENTS].sort());
  });

  it('gives the bounds and the retry curve the publisher uses', () => {
    expect(prose).toContain(`up to ${MAX_QUEUED_EVENTS} events wait`);
    expect(prose).toContain(`a queue of at most ${MAX_QUEUED_EVENTS}`);
    expect(prose).toContain(`at most ${MAX_IN_FLIGHT} events are sent and not yet acknowledged`);
    expect(prose).toContain(`more than ${MAX_UNSENT_BYTES / 1024 / 1024} MiB sent and not yet taken`);
    expect(prose).toContain(`coalesced per channel over ${MQTT_WINDOW_MS} ms`);
    expect(STATE_EVERY_MS).toBe(1000);
    expect(prose).toContain('at most once a second');
    expect(prose).toContain(`about ${RECONNECT.baseMs / 1000} s after the first failure, doubling to at most ${RECONNECT.capMs / 1000} s`);
    expect(prose).toContain(`\`outageAlertMinutes\` (default ${DEFAULT_MQTT.outageAlertMinutes})`);
    expect(prose).toContain(`\`discoveryPrefix\` (default \`${DEFAULT_MQTT.discoveryPrefix}\``);
  });
  it('gives the command topics, the ACL they rely on, and the bounds the station applies', () => {
    const topics = stationTopics('<prefix>');
    for (const topic of [topics.command('<user>'), topics.commandAck('<user>'), topics.estop]) expect(doc).toContain(`\`${topic}\``);
    // Ids are written as topic levels, so the placeholders are checked through a real id.
    expect(topics.relaySet('lights')).toBe('<prefix>/ha/relays/lights/set');
    expect(topics.recipeRun('weekly')).toBe('<prefix>/ha/recipes/weekly/run');
    expect(doc).toContain('`<prefix>/ha/relays/<channel>/set`');
    expect(doc).toContain('`<prefix>/ha/recipes/<id>/run`');
    expect(topics.commandFilters).toEqual(['<prefix>/command/+', '<prefix>/ha/#']);
    expect(doc).toContain('pattern write tendril/+/command/%u');
    expect(doc).toContain('pattern read tendril/+/command/%u/#');
    expect(doc).toContain('topic write tendril/+/ha/#');
    expect(prose).toContain(`at most ${MAX_COMMAND_BYTES / 1024} KiB`);
    expect(prose).toContain(`more than ${COMMAND_BURST} commands at once, then ${COMMANDS_PER_SECOND} a second, per user`);
    expect(prose).toContain('a command without `id` is refused');
  });
});
