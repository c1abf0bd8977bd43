import { useEffect, useState } from 'react';
import type { Schedule, SchedulePreviewEntry } from '../../../../shared/schedules';
import { sendCommand } from '../../commands';
import { previewLines, readPreview } from './preview-format';

/** Typing pauses this long before the station is asked again. */
const SETTLE_MS = 400;
const PREVIEW_COUNT = 10;

type Preview = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; runs: SchedulePreviewEntry[] } | { state: 'failed'; message: string };

interface SchedulePreviewProps {
  /** The draft as the schema accepted it; null while the form has a problem. */
  schedule: Schedule | null;
  runLabel: string;
  readOnly: boolean;
}

/**
 * The next runs of the draft as the station's own runner plans them, so what the grower sees is
 * what will happen, daylight-saving changes included.
 */
export function SchedulePreview({ schedule, runLabel, readOnly }: SchedulePreviewProps) {
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  // Only the schedule's content matters: a new object with the same fields asks nothing new.
  const key = schedule ? JSON.stringify(schedule) : null;

  useEffect(() => {
    if (key === null || readOnly) {
      setPreview({ state: 'idle' });
      return;
    }
    let current = true;
    setPreview({ state: 'loading' });
    const timer = setTimeout(() => {
      void sendCommand({ type: 'schedule.preview', schedule: JSON.parse(key) as Schedule, count: PREVIEW_COUNT }).then((ack) => {
        if (!current) return;
        if (!ack.ok) return setPreview({ state: 'failed', message: ack.error.message });
        const runs = readPreview(ack.result);
        setPreview(runs ? { state: 'ready', runs } : { state: 'failed', message: 'the station sent a preview this screen cannot read' });
      });
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, readOnly]);

  return (
    <section className="schedule-preview" aria-labelledby="schedule-preview-heading" aria-busy={preview.state === 'loading'}>
      <h3 id="schedule-preview-heading">Next runs</h3>
      {readOnly && <p className="empty">The preview is for operators; the list shows each schedule&apos;s next run.</p>}
      {!readOnly && schedule === null && <p className="empty">Fix the form to see when this would run.</p>}
      {preview.state === 'loading' && <p className="empty">Asking the station…</p>}
      {preview.state === 'failed' && (
        <p className="field-problem" role="alert">
          {preview.message}
        </p>
      )}
      {preview.state === 'ready' && schedule && (
        <>
          {preview.runs.length === 0 ? (
            <p className="empty">This schedule would not run in the foreseeable future.</p>
          ) : (
            <ol className="preview-runs">
              {previewLines(preview.runs, schedule.timezone, runLabel).map((line) => (
                <li key={line.key}>
                  <time dateTime={new Date(line.at).toISOString()}>{line.when}</time> <span className="row-note">{line.what}</span>
                </li>
              ))}
            </ol>
          )}
          <p className="field-hint">Times on the clock of {schedule.timezone}.</p>
        </>
      )}
    </section>
  );
}
