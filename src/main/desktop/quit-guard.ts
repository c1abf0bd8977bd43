/**
 * Quitting switches every output off and ends every job, and nothing resumes by itself at the
 * next start. So while jobs are running or waiting, quitting asks first and says which ones.
 */
import type { StationState } from '../../shared/station';
import { activeJobLine, activeJobs } from './active-jobs';

export interface QuitQuestion {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  /** Enter and Escape both keep the station running: quitting takes a deliberate click. */
  defaultId: number;
  cancelId: number;
  /** The button that quits. */
  quitId: number;
  noLink: true;
}

/** Jobs named in the question; the rest are counted. */
export const MAX_NAMED_JOBS = 8;

/** The question to ask before quitting, or null when nothing would be interrupted. */
export function quitQuestion(state: StationState, closeToTray: boolean): QuitQuestion | null {
  const jobs = activeJobs(state);
  if (jobs.length === 0) return null;
  const lines = jobs.slice(0, MAX_NAMED_JOBS).map((job) => activeJobLine(job, state));
  if (jobs.length > MAX_NAMED_JOBS) lines.push(`…and ${jobs.length - MAX_NAMED_JOBS} more`);
  const count = jobs.length === 1 ? 'a job' : `${jobs.length} jobs`;
  const them = jobs.length === 1 ? 'it' : 'them';
  const instead = closeToTray ? ' To keep the station working with the window closed, close the window instead: Tendril keeps running in the tray.' : '';
  return {
    type: 'warning',
    title: 'Quit Tendril',
    message: `Quit Tendril and stop ${count}?`,
    detail: `${lines.join('\n')}\n\nQuitting stops ${them} and switches every output off, and Tendril does not resume ${them} when it starts again.${instead}`,
    buttons: ['Keep running', jobs.length === 1 ? 'Stop the job and quit' : 'Stop the jobs and quit'],
    defaultId: 0,
    cancelId: 0,
    quitId: 1,
    noLink: true,
  };
}
