import { useId, useMemo, useState, type FormEvent } from 'react';
import { cronProblem } from '../../../../shared/schedules';
import { describeJob } from '../../components/job-words';
import { useJobNames } from '../../components/use-job-names';
import { checkJob, JOB_KINDS } from '../../job-spec-form';
import { SelectField, TextField } from './fields';
import { firstProblemWords } from '../../field-words';
import { problemsUnder } from './form-problems';
import { JobFields } from './job-fields';
import { checkSchedule, type MissedRunChoice, type ScheduleDraft } from './schedule-draft';
import { SchedulePreview } from './schedule-preview';
import { useStationOptions } from './station-options';
import { knownTimeZones } from './time-zones';
import { useViewOnly } from '../../components/view-only';
import { useCommand } from '../../components/use-command';

interface ScheduleFormProps {
  initial: ScheduleDraft;
  /** Ids of the saved schedules, so a new one gets its own. */
  takenIds: ReadonlySet<string>;
  onClose: () => void;
}

export function ScheduleForm({ initial, takenIds, onClose }: ScheduleFormProps) {
  const options = useStationOptions();
  const names = useJobNames();
  const readOnly = useViewOnly();
  const { sending: busy, refusal: error, send } = useCommand();
  const [draft, setDraft] = useState(initial);
  // Problems show once the grower has started, not on a form they have only just opened.
  const [edited, setEdited] = useState(false);
  const [triedToSave, setTriedToSave] = useState(false);
  const zonesId = useId();
  const zones = useMemo(knownTimeZones, []);

  const isNew = initial.id === '';
  const check = useMemo(() => checkSchedule(draft, takenIds, options), [draft, takenIds, options]);
  const shown = edited || triedToSave ? check.problems : {};
  const expressionProblem = draft.kind === 'cron' && draft.expression.trim() !== '' ? cronProblem(draft.expression) : undefined;

  const set = (patch: Partial<ScheduleDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setEdited(true);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTriedToSave(true);
    if (!check.ok || readOnly) return;
    const ack = await send({ type: isNew ? 'schedule.create' : 'schedule.update', schedule: check.schedule });
    if (ack.ok) onClose();
  };

  const action = checkJob(draft.action, options);
  const runLabel = action.ok ? describeJob(action.spec, names) : 'Job';
  const summary = triedToSave && !check.ok ? firstProblemWords(check.problems, options.units) : undefined;

  return (
    <form className="panel editor" aria-labelledby="schedule-form-heading" onSubmit={(event) => void save(event)} noValidate>
      <h2 id="schedule-form-heading">{isNew ? 'New schedule' : `Schedule ${initial.name}`}</h2>
      <fieldset className="editor-fields" disabled={readOnly}>
        <TextField label="Name" value={draft.name} problem={shown.name ?? shown.id} onChange={(name) => set({ name })} />
        <label className="check">
          <input type="checkbox" checked={draft.enabled} onChange={(event) => set({ enabled: event.target.checked })} />
          Enabled
        </label>
        <TextField
          label="Time zone"
          value={draft.timezone}
          list={zonesId}
          spellCheck={false}
          problem={shown.timezone}
          hint="The clock the times below are read on; it follows daylight saving."
          onChange={(timezone) => set({ timezone })}
        />
        <datalist id={zonesId}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>

        <fieldset className="choice">
          <legend>What it does</legend>
          <label>
            <input type="radio" name="trigger-kind" checked={draft.kind === 'cron'} onChange={() => set({ kind: 'cron' })} />
            Start a job on a cron schedule
          </label>
          <label>
            <input type="radio" name="trigger-kind" checked={draft.kind === 'light'} onChange={() => set({ kind: 'light' })} />
            Light timer (switch a relay on and off each day)
          </label>
        </fieldset>

        {draft.kind === 'cron' ? (
          <>
            <TextField
              label="Cron expression"
              value={draft.expression}
              spellCheck={false}
              problem={expressionProblem ?? shown['trigger.expression']}
              hint='minute hour day-of-month month day-of-week; "30 2 * * *" is 02:30 every day, "0 8 * * 1-5" is 08:00 on weekdays.'
              onChange={(expression) => set({ expression })}
            />
            <JobFields draft={draft.action} onChange={(action) => set({ action })} problems={problemsUnder(shown, 'trigger.action')} kinds={JOB_KINDS} options={options} />
          </>
        ) : (
          <div className="light-fields">
            <SelectField label="Light relay" value={draft.relayId} options={options.lightRelays} none="no relays reported" problem={shown['trigger.relayId']} onChange={(relayId) => set({ relayId })} />
            <TextField label="On at" type="time" value={draft.on} problem={shown['trigger.on']} onChange={(on) => set({ on })} />
            <TextField label="Off at" type="time" value={draft.off} problem={shown['trigger.off']} hint="An off time before the on time ends the window the next morning." onChange={(off) => set({ off })} />
          </div>
        )}

        <fieldset className="choice">
          <legend>Runs missed while the station was off</legend>
          <label>
            <input type="radio" name="missed-run" checked={draft.missedRun === 'skip'} onChange={() => set({ missedRun: 'skip' satisfies MissedRunChoice })} />
            Skip them
          </label>
          <label>
            <input
              type="radio"
              name="missed-run"
              checked={draft.missedRun === 'run-once-within-grace'}
              onChange={() => set({ missedRun: 'run-once-within-grace' satisfies MissedRunChoice })}
            />
            Run once, if not too late
          </label>
          {draft.missedRun === 'run-once-within-grace' && (
            <TextField
              label="Grace (minutes late at most)"
              inputMode="numeric"
              value={draft.graceMinutes}
              problem={shown['missedRun.graceMinutes']}
              onChange={(graceMinutes) => set({ graceMinutes })}
            />
          )}
        </fieldset>
      </fieldset>

      <SchedulePreview schedule={check.ok ? check.schedule : null} runLabel={runLabel} readOnly={readOnly} />

      <div className="editor-actions">
        {!readOnly && (
          <button type="submit" className="primary" disabled={busy}>
            {isNew ? 'Create schedule' : 'Save schedule'}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
        {busy && <span className="row-note">Saving…</span>}
      </div>
      {(summary || error) && (
        <p className="field-problem" role="alert">
          {error ?? `Not saved yet: ${summary}`}
        </p>
      )}
    </form>
  );
}
