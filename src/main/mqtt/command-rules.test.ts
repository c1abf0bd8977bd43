/**
 * The rules of commands over MQTT that need no broker: the allowance per broker user, and where
 * an answer may go. The door is a stand-in that records what reached it; the broker tests
 * (commands.test.ts) carry the rest.
 */
import { describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import type { Principal } from '../../shared/command-table';
import { COMMAND_BURST, COMMANDS_PER_SECOND, MqttCommands } from './commands';
import { stationTopics } from './topics';

const topics = stationTopics('tendril/greenhouse');

function commands(now: () => number) {
  const reached: Array<{ principal: Principal; input: unknown }> = [];
  const desk = new MqttCommands({
    control: {
      handle: (principal, input): Promise<CommandAck> => {
        reached.push({ principal, input });
        return Promise.resolve({ ok: true });
      },
    },
    settings: { users: { alice: 'operator' } },
    state: () => ({ channels: [], recipes: [] }),
    log: () => {},
    alert: () => {},
    now,
  });
  const send = async (command: object, incoming = {}) => {
    const reply = await desk.take(topics, topics.command('alice'), Buffer.from(JSON.stringify(command)), incoming);
    return { topic: reply!.topic, ack: JSON.parse(reply!.payload) as CommandAck };
  };
  return { reached, send };
}

describe('commands over MQTT', () => {
  it('rations each broker user as the LAN rations a token, and never a stop', async () => {
    let now = 0;
    const { reached, send } = commands(() => now);
    for (let i = 0; i < COMMAND_BURST; i++) expect((await send({ id: `r${i}`, type: 'estop.reset' })).ack.ok).toBe(true);
    const limited = await send({ id: 'one-too-many', type: 'estop.reset' });
    expect(limited.ack).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((await send({ id: 'stop', type: 'estop' })).ack.ok).toBe(true);
    now += 1000 / COMMANDS_PER_SECOND;
    expect((await send({ id: 'later', type: 'estop.reset' })).ack.ok).toBe(true);
    expect(reached).toHaveLength(COMMAND_BURST + 2);
    expect(reached[0]!.principal).toEqual({ id: 'mqtt:alice', role: 'operator', name: 'alice (MQTT user)', mqtt: true });
  });

  it('never answers on a command topic, which would put the answer in another user’s name', async () => {
    const { send } = commands(() => 0);
    const hijacked = await send({ id: 'x', type: 'estop' }, { responseTopic: topics.command('bob') });
    expect(hijacked.topic).toBe(topics.commandAck('alice'));
    const own = await send({ id: 'y', type: 'estop' }, { responseTopic: 'replies/alice' });
    expect(own.topic).toBe('replies/alice');
  });
});

describe("Home Assistant's refused presses", () => {
  it('raise an alert at most once a minute per switch, however often a stuck automation presses it', async () => {
    let now = 0;
    const alerts: string[] = [];
    const desk = new MqttCommands({
      control: { handle: (): Promise<CommandAck> => Promise.resolve({ ok: false, error: { code: 'ESTOP', message: 'the emergency stop is latched; reset it first' } }) },
      settings: { users: { homeassistant: 'operator' }, homeAssistantUser: 'homeassistant' },
      state: () => ({ channels: [{ id: 'lights', kind: 'relay', name: 'Lights' }], recipes: [] }),
      log: () => {},
      alert: (message) => alerts.push(message),
      now: () => now,
    });
    for (let press = 0; press < 30; press++, now += 1_000) {
      const reply = await desk.take(topics, topics.relaySet('lights'), Buffer.from('ON'));
      // Every press is still answered on the ack topic.
      expect(JSON.parse(reply!.payload)).toMatchObject({ ok: false, error: { code: 'ESTOP' } });
    }
    expect(alerts).toEqual(["Home Assistant's switch Lights was refused: the emergency stop is latched; reset it first"]);
    now = 60_000;
    await desk.take(topics, topics.relaySet('lights'), Buffer.from('ON'));
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatch(/\(refused 29 more times since the last alert about it, which come at most once a minute\)$/);
  });
});
