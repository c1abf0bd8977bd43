/**
 * What a worker asks of the station's process, and how the answers find their way back.
 *
 * Both sides are nodes of the same Socket.IO cluster (the Redis Streams adapter). A question is
 * a server-side event every node hears and only the station's process handles; the answer is a
 * server-side event addressed to the worker that asked. Socket.IO's own server-side acks would
 * wait for an answer from every node, workers included, so a worker that died would hold every
 * question until Redis forgot it.
 *
 * Questions and answers travel by Redis PUB/SUB: one that is lost (Redis restarting) is never
 * answered, so each has a deadline, and what the screen is told then says to check the station
 * before sending again.
 */
import type { Server } from 'socket.io';
import type { CommandAck } from '../../../shared/commands';
import type { Principal } from '../../control';
import type { RecordAnswer } from '../../history';
import type { TokenInfo } from '../access';

export const ASK_EVENT = 'tendril:ask';
export const ANSWER_EVENT = 'tendril:answer';

/** How long a worker waits for the station's process before telling the screen so. */
export const ANSWER_DEADLINE_MS = 10_000;
/** How many times a worker tells the station something before it gives up. */
const TELL_ATTEMPTS = 3;
/**
 * A worker tells the station it is alive this often. One not heard for three of these (its host
 * lost power, or its network) is given up for dead, with its screens: nothing else would ever
 * say they left.
 */
export const HEARTBEAT_MS = 5_000;
export const WORKER_SILENT_MS = 3 * HEARTBEAT_MS;

/** Who a screen on a worker is, for the station's count of screens. */
export interface ScreenCard {
  id: string;
  address: string;
  name: string;
  since: number;
  /** The audience a recovered connection was following; absent for a new one. */
  audience?: string;
}

export type Refused = { ok: false; code: 'UNAUTHORIZED' | 'RATE_LIMITED' | 'TOO_MANY_SCREENS'; message: string; retryAfterMs?: number; limit?: number };

/** Every question, its payload and its answer. */
export interface Questions {
  /**
   * A screen's handshake: its token checked, its place counted. Each admission is numbered (its
   * ticket): a resumed connection keeps its id, so a late "left" of its previous connection,
   * from another worker, must not count the new one out.
   */
  admit: { ask: { worker: string; address: string; token: unknown; screen: ScreenCard }; answer: { ok: true; principal: Principal; ticket: number } | Refused };
  /** A REST request's token check. */
  authorize: { ask: { address: string; token: string | undefined }; answer: { ok: true; token: TokenInfo } | (Refused & { missing?: boolean }) };
  /** A screen now connected: the station joins it to its audience and sends its first state. */
  connected: { ask: { id: string; ticket: number; recovered: boolean }; answer: true };
  /** A worker that stopped (on this host or another): its screens are gone. */
  gone: { ask: { worker: string }; answer: true };
  /**
   * A worker's heartbeat. `recount` when the station had given it up for dead (Redis was away too
   * long): its screens are no longer counted, so it drops them to be admitted afresh.
   */
  alive: { ask: { worker: string }; answer: { recount: boolean } };
  /** A screen gone, or admitted and never connected. */
  left: { ask: { id: string; ticket: number }; answer: true };
  /** Follow one tank (or everything, with null): the station answers with a snapshot on the feed. */
  follow: { ask: { id: string; tankId: string | null }; answer: CommandAck };
  resync: { ask: { id: string }; answer: true };
  command: { ask: { principal: Principal; payload: unknown }; answer: CommandAck };
  state: { ask: null; answer: unknown };
  health: { ask: null; answer: unknown };
  record: { ask: { path: string }; answer: RecordAnswer };
}

export type Question = keyof Questions;

export interface AskMessage {
  from: string;
  id: number;
  question: Question;
  payload: unknown;
}

export interface AnswerMessage {
  to: string;
  id: number;
  answer: unknown;
}

/** A worker's side: ask, and get the answer or null at the deadline. */
export interface Asker {
  ask<Q extends Question>(question: Q, payload: Questions[Q]['ask']): Promise<Questions[Q]['answer'] | null>;
  /**
   * A question whose answer only says it was heard: asked again while unanswered (a question
   * lost while Redis restarted), a few times, so a screen is not left without its snapshot.
   */
  tell<Q extends Question>(question: Q, payload: Questions[Q]['ask']): void;
  close(): void;
}

export function asker(io: Server, me: string, deadlineMs = ANSWER_DEADLINE_MS): Asker {
  let next = 0;
  const waiting = new Map<number, { done: (answer: unknown) => void; timer: ReturnType<typeof setTimeout> }>();
  io.on(ANSWER_EVENT, (message: AnswerMessage) => {
    if (message?.to !== me) return;
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    clearTimeout(entry.timer);
    entry.done(message.answer);
  });
  return {
    ask(question, payload) {
      const id = ++next;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(null);
        }, deadlineMs);
        waiting.set(id, { done: resolve as (answer: unknown) => void, timer });
        io.serverSideEmit(ASK_EVENT, { from: me, id, question, payload } satisfies AskMessage);
      });
    },
    tell(question, payload) {
      const attempt = (left: number): void => {
        void this.ask(question, payload).then((answer) => {
          if (answer === null && left > 1) attempt(left - 1);
        });
      };
      attempt(TELL_ATTEMPTS);
    },
    close() {
      for (const entry of waiting.values()) {
        clearTimeout(entry.timer);
        entry.done(null);
      }
      waiting.clear();
    },
  };
}

/** The station's side: answers each question with `answer`, whose result goes back to the asker. */
export function answerer(io: Server, answer: (message: AskMessage) => Promise<unknown> | unknown): void {
  io.on(ASK_EVENT, (message: AskMessage) => {
    void Promise.resolve()
      .then(() => answer(message))
      .then(
        (result) => {
          io.serverSideEmit(ANSWER_EVENT, { to: message.from, id: message.id, answer: result ?? null } satisfies AnswerMessage);
        },
        () => {},
      );
  });
}

/** What a screen is told when the station's process did not answer in time. */
export const NO_ANSWER: CommandAck = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: `the station did not answer within ${ANSWER_DEADLINE_MS / 1000} s (the link between this screen's server and the station was interrupted); check the station's state before sending again`,
  },
};
