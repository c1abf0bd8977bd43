import { useCallback, useEffect, useState } from 'react';
import { sendCommand } from '../commands';
import { useStationStore } from '../store';
import { EMERGENCY_STOP_KEYS, EMERGENCY_STOP_KEYS_LABEL, isEmergencyStopKey } from './emergency-stop-keys';

/**
 * Stops everything at once. No question first: stopping is always safe, and every role may do
 * it, viewers included. The shortcut works from anywhere on the page, inputs too.
 */
export function EmergencyStopButton() {
  // A stop that could not go out waits first in line; until it leaves, the grower must know.
  const waiting = useStationStore((s) => s.estopWaiting);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const stop = useCallback(async () => {
    setSending(true);
    setProblem(null);
    try {
      const ack = await sendCommand({ type: 'estop' });
      if (!ack.ok && !useStationStore.getState().estopWaiting) setProblem(`The stop was not confirmed: ${ack.error.message}`);
    } catch (failure) {
      setProblem(`The stop could not be sent: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      setSending(false);
    }
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || !isEmergencyStopKey(event)) return;
      event.preventDefault();
      void stop();
    };
    // Capture, so no input or dialog that handles Escape itself can swallow it first.
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [stop]);

  return (
    <div className="estop">
      <button
        type="button"
        className="estop-button"
        aria-keyshortcuts={EMERGENCY_STOP_KEYS}
        title={`Every output off at once (${EMERGENCY_STOP_KEYS_LABEL})`}
        aria-busy={sending || undefined}
        onClick={() => void stop()}
      >
        Emergency stop
      </button>
      {(waiting || problem) && (
        <p className="estop-problem" role="alert">
          {waiting ? 'The emergency stop has not reached the station: it goes out first when the connection is back.' : problem}{' '}
          Use the stop switch on the station now.
        </p>
      )}
    </div>
  );
}
