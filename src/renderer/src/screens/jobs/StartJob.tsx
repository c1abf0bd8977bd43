import { useId, useMemo, useState } from 'react';
import type { StartableJobSpec } from '../../../../shared/jobs';
import { ConfirmStep } from '../../components/ConfirmStep';
import { amountProblem, isAmountField } from '../../field-words';
import { describeJob } from '../../components/job-words';
import { useCommand, useSendingNote } from '../../components/use-command';
import { useJobNames } from '../../components/use-job-names';
import { useViewOnly } from '../../components/view-only';
import { checkJob, emptyJobDraft, JOB_KIND_LABELS, jobDefaults, SIMPLE_JOB_KINDS, withPicks, type JobDraft, type JobField } from '../../job-spec-form';
import { useStationStore } from '../../store';
import { useUnits } from '../../units';
import { JobFields } from './JobFields';

type Priority = 'normal' | 'high' | 'low';

/**
 * Starts one job of any kind but a recipe, which runs from the list of recipes beside it. A dose
 * is read back as a question before it is sent, as on the Overview, and so is a drain.
 */
export function StartJob() {
  const channels = useStationStore((s) => s.station?.channels);
  const tanks = useStationStore((s) => s.station?.tanks);
  const recipes = useStationStore((s) => s.station?.recipes);
  const units = useUnits((choice) => choice.system);
  const context = useMemo(() => ({ tables: { channels: channels ?? [], tanks: tanks ?? [], recipes: recipes ?? [] }, units }), [channels, tanks, recipes, units]);
  const defaults = useMemo(() => jobDefaults(context.tables), [context]);
  const names = useJobNames();
  const viewOnly = useViewOnly();
  const [typed, setTyped] = useState<JobDraft>(() => emptyJobDraft('dose', defaults));
  const [touched, setTouched] = useState<ReadonlySet<JobField>>(new Set());
  const [tried, setTried] = useState(false);
  const [priority, setPriority] = useState<Priority>('normal');
  const [asking, setAsking] = useState<StartableJobSpec | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const sendingNote = useSendingNote();
  const { send, sending, refusal, dismiss } = useCommand();
  const priorityId = useId();

  const form = withPicks(typed, defaults);
  const result = checkJob(form, context);
  const problemOf = (field: JobField) => {
    const problem = !result.ok && (tried || touched.has(field)) ? result.problems[field] : undefined;
    return isAmountField(field) ? amountProblem(field, problem, units) : problem;
  };

  const change = (field: keyof JobDraft, specField: JobField | null, value: string) => {
    setTyped((current) => ({ ...current, [field]: value }));
    if (specField) setTouched((current) => new Set(current).add(specField));
    setStarted(null);
    dismiss();
  };

  const start = async (spec: StartableJobSpec) => {
    const ack = await send({ type: 'job.start', job: spec, ...(priority === 'normal' ? {} : { priority }) });
    setAsking(null);
    if (!ack.ok) return;
    const jobId = (ack.result as { job?: { id?: number } } | undefined)?.job?.id;
    setStarted(`${jobId ? `Started job ${jobId}` : 'Started'}: ${describeJob(spec, names)}.`);
    setTried(false);
    setTouched(new Set());
  };

  return (
    <section className="panel start-job" aria-labelledby="start-job-heading">
      <h2 id="start-job-heading">Start a job</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (!result.ok) return;
          // A dose and a drain are read back first: neither can be taken back.
          if (result.spec.kind === 'dose' || result.spec.kind === 'drain' || result.spec.kind === 'drain-to') setAsking(result.spec);
          else void start(result.spec);
        }}
      >
        <fieldset className="form-body" disabled={viewOnly || asking !== null || sending}>
          <fieldset className="choice">
            <legend>Kind of job</legend>
            {SIMPLE_JOB_KINDS.map((kind) => (
              <label key={kind} className="choice-option">
                <input type="radio" name="job-kind" value={kind} checked={form.kind === kind} onChange={() => change('kind', null, kind)} />
                {JOB_KIND_LABELS[kind]}
              </label>
            ))}
          </fieldset>
          <JobFields form={form} tables={context.tables} units={units} problemOf={problemOf} onChange={change} />
          <div className="field">
            <label htmlFor={priorityId}>Priority</label>
            <select id={priorityId} value={priority} onChange={(event) => setPriority(event.target.value as Priority)}>
              <option value="normal">Normal</option>
              <option value="high">High: before other waiting jobs on the tank</option>
              <option value="low">Low: after other waiting jobs on the tank</option>
            </select>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary">
              Start job
            </button>
          </div>
        </fieldset>
      </form>
      {asking && (
        <ConfirmStep
          question={`${describeJob(asking, names)}?`}
          confirmLabel={asking.kind === 'dose' ? 'Confirm dose' : 'Confirm drain'}
          cancelLabel={asking.kind === 'dose' ? "Don't dose" : "Don't drain"}
          sending={sending}
          sendingNote={sendingNote}
          onConfirm={() => void start(asking)}
          onCancel={() => setAsking(null)}
        />
      )}
      {sending && !asking && (
        <p className="confirm-sending" role="status">
          {sendingNote}
        </p>
      )}
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
      {started && (
        <p className="form-done" role="status">
          {started}
        </p>
      )}
    </section>
  );
}
