import { useState } from 'react';
import type { LightHandover, Schedule } from '../../../../shared/schedules';
import type { ScheduleStatus } from '../../../../shared/station';
import { ConfirmDelete } from './confirm-delete';
import { lastRunOf } from './last-run';
import { formatInZone } from './preview-format';
import { describeMissedRun, describeSchedule } from './schedule-draft';
import { useJobNames } from '../../components/use-job-names';
import { VIEW_ONLY_HINT, useViewOnly } from '../../components/view-only';
import { useCommand } from '../../components/use-command';

interface ScheduleListProps {
  schedules: readonly ScheduleStatus[];
  onEdit: (schedule: Schedule) => void;
}

export function ScheduleList({ schedules, onEdit }: ScheduleListProps) {
  if (schedules.length === 0) return <p className="empty">No schedules yet.</p>;
  return (
    <ul className="rows item-list">
      {schedules.map((status) => (
        <ScheduleItem key={status.schedule.id} status={status} onEdit={onEdit} />
      ))}
    </ul>
  );
}

function ScheduleItem({ status, onEdit }: { status: ScheduleStatus; onEdit: (schedule: Schedule) => void }) {
  const { schedule, nextRunAt } = status;
  const lastRun = lastRunOf(status);
  const names = useJobNames();
  const readOnly = useViewOnly();
  const toggle = useCommand();
  const removal = useCommand();
  // Switching a light timer off in its window switches its light off too; the grower is told.
  const [handover, setHandover] = useState<string | null>(null);

  const setEnabled = async (enabled: boolean) => {
    setHandover(null);
    const ack = await toggle.send({ type: 'schedule.enable', scheduleId: schedule.id, enabled });
    const light = ack.ok ? (ack.result as { light?: LightHandover } | undefined)?.light : undefined;
    if (light) setHandover(light.message);
  };

  const remove = async () => {
    const ack = await removal.send({ type: 'schedule.delete', scheduleId: schedule.id });
    return ack.ok ? null : ack.error.message;
  };

  return (
    <li className="item" data-disabled={schedule.enabled ? undefined : true}>
      <div className="item-head">
        <h3 className="item-name">{schedule.name}</h3>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-label={`${schedule.name} enabled`}
            checked={schedule.enabled}
            disabled={readOnly || toggle.sending}
            title={readOnly ? VIEW_ONLY_HINT : undefined}
            onChange={(event) => void setEnabled(event.target.checked)}
          />
          <span aria-hidden="true">{schedule.enabled ? 'On' : 'Off'}</span>
        </label>
      </div>
      <p className="item-what">{describeSchedule(schedule, names)}</p>
      <dl className="item-facts">
        <div>
          <dt>Next</dt>
          <dd>{nextRunAt === null ? (schedule.enabled ? 'not planned' : 'off') : <When at={nextRunAt} zone={schedule.timezone} />}</dd>
        </div>
        {lastRun && (
          <div>
            <dt>Last</dt>
            <dd>
              <When at={lastRun.at} zone={schedule.timezone} />
              {lastRun.skipped && <span className="skipped-run">, {lastRun.skipped}</span>}
            </dd>
          </div>
        )}
      </dl>
      <p className="row-note">{describeMissedRun(schedule.missedRun)}</p>
      {handover && (
        <p className="row-note" role="status">
          {handover}
        </p>
      )}
      {toggle.refusal && (
        <p className="field-problem" role="alert">
          {toggle.refusal}
        </p>
      )}
      <div className="item-actions">
        <button type="button" aria-label={`${readOnly ? 'View' : 'Edit'} schedule ${schedule.name}`} onClick={() => onEdit(schedule)}>
          {readOnly ? 'View' : 'Edit'}
        </button>
        <ConfirmDelete what={`schedule ${schedule.name}`} disabled={readOnly} onDelete={remove} />
      </div>
    </li>
  );
}

function When({ at, zone }: { at: number; zone: string }) {
  return <time dateTime={new Date(at).toISOString()}>{formatInZone(at, zone)}</time>;
}
