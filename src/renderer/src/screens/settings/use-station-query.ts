import { useCallback, useEffect, useState } from 'react';
import { sendCommand, type CommandRequest } from '../../commands';
import { useStationStore } from '../../store';

export interface StationQuery<T> {
  data: T | null;
  /** Why the last ask failed, in the station's words. */
  problem: string | null;
  loading: boolean;
  refresh(): void;
}

/**
 * Asks the station something only operators may know (its ports, its paired screens, its LAN
 * server) when the screen opens, whenever the connection comes back, and on `refresh()`. A
 * viewer does not ask: the station would refuse, and the section says why instead.
 */
export function useStationQuery<T>(request: CommandRequest, enabled: boolean): StationQuery<T> {
  const connected = useStationStore((s) => s.connection.state === 'connected');
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  const key = JSON.stringify(request);

  useEffect(() => {
    if (!enabled || !connected) return;
    let current = true;
    setLoading(true);
    sendCommand(JSON.parse(key) as CommandRequest)
      .then((ack) => {
        if (!current) return;
        if (ack.ok) {
          setData(ack.result as T);
          setProblem(null);
        } else {
          setProblem(ack.error.message);
        }
      })
      .catch((failure: unknown) => current && setProblem(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [key, enabled, connected, round]);

  const refresh = useCallback(() => setRound((n) => n + 1), []);
  return { data, problem, loading, refresh };
}
