/**
 * How the station's parts start and stop, declared once. Parts start in the order listed and stop
 * in the reverse, so whatever a part relies on is running before it starts and still running
 * until it has stopped. The link's part switches every output off: an output left on because a
 * part above it failed to stop is the worst way for Tendril to end, so a stop that throws is
 * logged and every other part still stops.
 */

export interface Part {
  /** Named in the log when its start or stop fails. */
  readonly name: string;
  start?(): void | Promise<void>;
  /** Safe to call once whether or not its start ran to the end. */
  stop?(): void | Promise<void>;
}

export interface Lifecycle {
  /**
   * Starts each part in turn, waiting for a part that returns a promise. When a start fails, the
   * parts already started (and the one that failed, which may be half way) are stopped and the
   * failure is thrown. Starting twice returns the same promise.
   */
  start(): Promise<void>;
  /**
   * Stops in reverse order every part that started, and every part without a start, which is
   * live from the moment it was built. Stopping twice returns the same promise; it rejects with
   * the first failure once every part has had its stop.
   */
  stop(): Promise<void>;
  /** Whether stop has been called: nothing new should begin. */
  readonly stopping: boolean;
}

export function createLifecycle(parts: readonly Part[], log: (line: string) => void = () => {}): Lifecycle {
  /** Parts whose start has been called, by their place in the list. */
  const begun = new Set<number>();
  let starting: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;

  async function startAll(): Promise<void> {
    for (const [index, part] of parts.entries()) {
      // Overtaken by a stop: the parts not started yet stay as they are.
      if (stopping) return;
      begun.add(index);
      try {
        // Only a promise is waited for, so parts that start at once all start in the caller's turn.
        const started = part.start?.();
        if (started) await started;
      } catch (error) {
        log(`station: ${part.name} could not start (${message(error)}); stopping what had started`);
        await stop().catch(() => {});
        throw error;
      }
    }
  }

  async function stopAll(): Promise<void> {
    let failure: { error: unknown } | null = null;
    for (let index = parts.length - 1; index >= 0; index--) {
      const part = parts[index]!;
      if (!part.stop || (part.start && !begun.has(index))) continue;
      try {
        const stopped = part.stop();
        if (stopped) await stopped;
      } catch (error) {
        log(`station: ${part.name} did not stop cleanly (${message(error)}); stopping the rest`);
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  function stop(): Promise<void> {
    return (stopping ??= stopAll());
  }

  return {
    start: () => (starting ??= startAll()),
    stop,
    get stopping() {
      return stopping !== null;
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
