/** The job commands, as the command door runs and logs them. */
import type { CommandAck } from '../../shared/commands';
import type { CommandTable } from '../../shared/command-table';
import type { Job } from '../../shared/station';
import { describe as describeJob, type JobAnswer, type JobControl } from './engine';

type JobCommand = 'job.start' | 'job.cancel' | 'job.pause' | 'job.resume' | 'pump.dose';

/** `dose`: a single dose as a job, resolving once it is accepted (StationCore.dose). */
export function jobCommands(jobs: JobControl, dose: (pumpId: string, ml: number, requestedBy: string) => Promise<Job>): CommandTable<JobCommand> {
  return {
    'job.start': {
      run: (command, principal) => jobAck(jobs.start(command.job, principal.name, command.priority)),
      describe: (command) => `job.start ${describeJob(command.job)}`,
    },
    'job.cancel': {
      run: (command, principal) => jobAck(jobs.cancel(command.jobId, principal.name)),
      describe: (command) => `${command.type} ${command.jobId}`,
    },
    'job.pause': {
      run: (command) => jobAck(jobs.pause(command.jobId)),
      describe: (command) => `${command.type} ${command.jobId}`,
    },
    'job.resume': {
      run: (command) => jobAck(jobs.resume(command.jobId)),
      describe: (command) => `${command.type} ${command.jobId}`,
    },
    'pump.dose': {
      run: async (command, principal) => {
        const job = await dose(command.pumpId, command.ml, principal.name);
        return { ok: true, result: { pumpId: command.pumpId, ml: command.ml, jobId: job.id } };
      },
      describe: (command) => `pump.dose ${command.pumpId} ${command.ml} mL`,
    },
  };
}

/** A job's answer as an ack: the job when it was accepted, the engine's refusal when not. */
export function jobAck(answer: JobAnswer): CommandAck {
  return answer.ok ? { ok: true, result: { job: answer.job } } : { ok: false, error: answer.error };
}
