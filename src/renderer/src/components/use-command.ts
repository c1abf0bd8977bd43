import { useCallback, useState } from 'react';
import type { CommandAck } from '../../../shared/commands';
import { sendCommand, type CommandRequest } from '../commands';
import { useStationStore } from '../store';
import { useUnits } from '../units';
import { volumesIn } from '../volume-words';

/**
 * Sends commands from one control and keeps the station's refusal for showing next to it. The
 * refusal's message is written for the grower ("relay fill is busy with job 3 …"), so it is
 * shown as it comes, with its volumes in this screen's units.
 */
export function useCommand() {
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const system = useUnits((units) => units.system);
  const send = useCallback(async (request: CommandRequest): Promise<CommandAck> => {
    setSending(true);
    setRefusal(null);
    let ack: CommandAck;
    try {
      ack = await sendCommand(request);
    } catch (failure) {
      const why = failure instanceof Error ? failure.message : String(failure);
      ack = { ok: false, error: { code: 'INTERNAL', message: `the command could not be sent: ${why}` } };
    }
    setSending(false);
    if (!ack.ok) setRefusal(ack.error.message);
    return ack;
  }, []);
  const dismiss = useCallback(() => setRefusal(null), []);
  return { send, sending, refusal: refusal === null ? null : volumesIn(refusal, system), dismiss };
}

/**
 * What to say while a command is on its way. Offline it waits in this screen's queue, and
 * goes out when the connection is back or is dropped after two minutes (commands/outbox.ts).
 */
export function useSendingNote(): string {
  const offline = useStationStore((s) => s.connection.state !== 'connected');
  return offline ? 'Waiting for the connection: this is sent when it is back, or dropped after 2 minutes without being carried out.' : 'Sending…';
}
