import type { Channel, SensorKind } from '../../../shared/station';
import { useNow } from '../clock';
import { useStationStore } from '../store';
import { sensorHealthWords } from './sensor-health-words';

/**
 * Says so on a reading's tile when its sensor is suspect (stuck, out of range, jumping, or a
 * dose it did not answer): the value shown may not be the tank's, and closed loops will not dose on it.
 */
export function SensorHealthNote({ channel }: { channel: Channel & { kind: SensorKind } }) {
  const health = useStationStore((s) => s.station?.sensorHealth?.[channel.id]);
  const clockOffsetMs = useStationStore((s) => s.clockOffsetMs);
  const now = useNow();
  const words = sensorHealthWords(channel.kind, health, now + clockOffsetMs);
  if (!words) return null;
  return (
    <span className="health-tag" role="status" data-health="suspect" style={{ color: 'var(--danger)', fontSize: '0.8rem', fontWeight: 600 }}>
      {words}
    </span>
  );
}
