import { describe, expect, it } from 'vitest';
import type { Alert, AlertLevel } from '../../shared/station';
import { AlertNotices, REPEAT_QUIET_MS } from './alert-notices';

let nextId = 1;
function alert(level: AlertLevel, code: string, message = `${code} happened`): Alert {
  return { id: nextId++, level, code, message, at: 0, source: 'host' };
}

describe('desktop notifications for alerts', () => {
  it('notify errors and warnings, not notes', () => {
    const notices = new AlertNotices();
    expect(notices.take(alert('error', 'FILL_NO_FLOW', 'no flow on fill_main: the fill stopped'), 0)).toEqual({
      title: 'Tendril error: FILL_NO_FLOW',
      body: 'no flow on fill_main: the fill stopped',
    });
    expect(notices.take(alert('warning', 'JOB_INTERRUPTED'), 0)).toMatchObject({ title: 'Tendril warning: JOB_INTERRUPTED' });
    expect(notices.take(alert('info', 'SCHEDULE_RAN'), 0)).toBeNull();
  });

  it('do not repeat the same alert while it stays quiet, then may again', () => {
    const notices = new AlertNotices();
    const lost = (): Alert => alert('error', 'LINK_LOST', 'the controller stopped answering');
    expect(notices.take(lost(), 1_000)).not.toBeNull();
    expect(notices.take(lost(), 2_000)).toBeNull();
    expect(notices.take(lost(), 1_000 + REPEAT_QUIET_MS - 1)).toBeNull();
    expect(notices.take(lost(), 1_000 + REPEAT_QUIET_MS)).not.toBeNull();
  });

  it('tell different alerts apart, even with the same code', () => {
    const notices = new AlertNotices();
    expect(notices.take(alert('error', 'JOB_FAILED', 'job 3 (fill Main tank) failed: no flow'), 0)).not.toBeNull();
    expect(notices.take(alert('error', 'JOB_FAILED', 'job 4 (dose 5 mL of pH down) failed: link lost'), 0)).not.toBeNull();
    expect(notices.take(alert('warning', 'JOB_FAILED', 'job 4 (dose 5 mL of pH down) failed: link lost'), 0)).not.toBeNull();
  });
});
