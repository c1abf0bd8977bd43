import type { Command, CommandAck, ErrorCode } from '../../../shared/commands';
import { isObject } from '../../../shared/station-shape';
import { CommandNotDelivered } from './types';

/**
 * Longer than the station's own worst case (a controller command is tried 4 times, 500 ms
 * apart), so a TIMEOUT here means the answer is lost, not that the station is still deciding.
 */
export const ACK_TIMEOUT_MS = 10_000;

/** Ids sent but never answered are kept this long to recognise a re-send after a restart. */
const REMEMBERED_IDS = 200;

/** Sends a command; calls onAck with its answer, or onLost when this one command's answer is lost. */
type Emit = (command: Command, onAck: (answer: unknown) => void, onLost: () => void) => void;

/**
 * The commands a connection sent (live, or POSTed while polling) and whose acks it still waits for.
 *
 * A dropped connection loses their answers: they are rejected as not delivered, so the outbox
 * can send them again with the same id and the station answers with its first answer. That
 * holds only within one run of the server: a restart (a new epoch) forgets the ids, and a
 * re-sent dose would dose again. So a command first sent in another epoch is not sent again.
 */
export class AwaitedAcks {
  private readonly waiting = new Set<() => void>();
  /** id → the epoch it was sent in, for commands not yet answered. */
  private readonly sentIn = new Map<string, string>();

  constructor(private readonly timeoutMs = ACK_TIMEOUT_MS) {}

  send(command: Command, epoch: string, emit: Emit): Promise<CommandAck> {
    const firstEpoch = this.sentIn.get(command.id);
    if (firstEpoch !== undefined && firstEpoch !== epoch) {
      this.sentIn.delete(command.id);
      return Promise.resolve(failure('TIMEOUT', 'the station restarted before it answered, so this command may or may not have acted; check the station before sending it again'));
    }
    this.remember(command.id, epoch);

    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        if (!this.waiting.has(lose)) return false;
        this.waiting.delete(lose);
        clearTimeout(timer);
        return true;
      };
      const lose = (): void => {
        if (settle()) reject(new CommandNotDelivered('the connection dropped before the station answered'));
      };
      const timer = setTimeout(() => {
        if (!settle()) return;
        this.sentIn.delete(command.id);
        resolve(failure('TIMEOUT', `the station did not answer within ${this.timeoutMs / 1000} s, so this command may or may not have acted; check the station before sending it again`));
      }, this.timeoutMs);
      this.waiting.add(lose);
      emit(
        command,
        (answer) => {
          if (!settle()) return;
          this.sentIn.delete(command.id);
          resolve(readAck(answer));
        },
        lose,
      );
    });
  }

  /** The connection dropped (or this screen let go): every awaited answer is lost. */
  loseAll(): void {
    for (const lose of [...this.waiting]) lose();
  }

  private remember(id: string, epoch: string): void {
    this.sentIn.delete(id);
    this.sentIn.set(id, epoch);
    if (this.sentIn.size > REMEMBERED_IDS) this.sentIn.delete(this.sentIn.keys().next().value!);
  }
}

function failure(code: 'TIMEOUT' | 'INTERNAL', message: string): CommandAck {
  return { ok: false, error: { code, message } };
}

/** An ack from the network: trusted in shape only after a look. */
export function readAck(answer: unknown): CommandAck {
  if (isObject(answer) && answer['ok'] === true) return answer['result'] === undefined ? { ok: true } : { ok: true, result: answer['result'] };
  if (isObject(answer) && answer['ok'] === false && isObject(answer['error'])) {
    const { code, message } = answer['error'];
    // A newer station may add codes; the message still says what to do.
    if (typeof code === 'string' && typeof message === 'string') return { ok: false, error: { code: code as ErrorCode, message } };
  }
  return failure('INTERNAL', 'the station answered with something that is not an ack; the command may or may not have acted');
}
