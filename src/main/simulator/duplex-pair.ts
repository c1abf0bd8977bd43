/**
 * Two in-memory streams joined like the two ends of a cable: what one writes, the other reads.
 * Used for the in-process simulated station and for tests.
 */
import { Duplex } from 'node:stream';

export function createDuplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  // A writer whose peer's buffer is full waits here until the peer reads again.
  const waiting: Array<(() => void) | null> = [null, null];
  const peerOf = (i: number): Duplex => ends[1 - i]!;
  const endPeer = (i: number): void => {
    const peer = peerOf(i);
    if (!peer.destroyed && !peer.readableEnded) peer.push(null);
  };

  const make = (i: number): Duplex =>
    new Duplex({
      read() {
        const resume = waiting[1 - i];
        waiting[1 - i] = null;
        resume?.();
      },
      write(chunk: Buffer, _encoding, callback) {
        const peer = peerOf(i);
        if (peer.destroyed || peer.readableEnded) return callback();
        if (peer.push(chunk)) callback();
        else waiting[i] = callback;
      },
      final(callback) {
        endPeer(i);
        callback();
      },
      destroy(err, callback) {
        endPeer(i);
        const resume = waiting[i];
        waiting[i] = null;
        resume?.();
        callback(err);
      },
    });

  ends.push(make(0), make(1));
  return [ends[0]!, ends[1]!];
}
