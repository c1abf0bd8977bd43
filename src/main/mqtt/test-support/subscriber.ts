/**
 * Test harness: a real MQTT client that subscribes as Home Assistant or a dashboard would, keeps
 * the latest payload of every topic, and waits for the message a test expects.
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface Subscriber {
  client: MqttClient;
  /** The latest payload of each topic, retained or not; an empty payload removes the topic. */
  latest: Map<string, string>;
  all: Received[];
  /** Resolves with the first message, already received or to come, that `matches`. */
  next(matches: (message: Received) => boolean, what: string, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function subscribe(url: string, auth: { username: string; password: string }, topics: string[]): Promise<Subscriber> {
  const client = await mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0, clean: true });
  const latest = new Map<string, string>();
  const all: Received[] = [];
  const waiting = new Set<(message: Received) => void>();
  client.on('message', (topic, payload, packet) => {
    const message = { topic, payload: payload.toString(), retain: packet.retain };
    all.push(message);
    if (message.payload === '') latest.delete(topic);
    else latest.set(topic, message.payload);
    for (const wake of [...waiting]) wake(message);
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    latest,
    all,
    next(matches, what, timeoutMs = 30_000) {
      const seen = all.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(wake);
          reject(new Error(`no MQTT message within ${timeoutMs} ms: ${what}`));
        }, timeoutMs);
        const wake = (message: Received): void => {
          if (!matches(message)) return;
          clearTimeout(timer);
          waiting.delete(wake);
          resolve(message);
        };
        waiting.add(wake);
      });
    },
    close: () => client.endAsync(true),
  };
}
