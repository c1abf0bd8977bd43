/**
 * Every way of quitting (the menu, the tray, Cmd+Q, a signal) goes through here: ask first while
 * jobs would be cut short, then switch the outputs off and close the station, then exit.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import type { QuitQuestion } from '../desktop/quit-guard';

export interface QuitAsk {
  /** What to ask before quitting, or null when nothing would be interrupted. */
  question(): QuitQuestion | null;
  /** The window to attach the question to, when it is on screen. */
  parent(): BrowserWindow | null;
}

export interface Quitting {
  /** True once the station is being shut down: windows may close for good. */
  underway(): boolean;
  /** Quitting without a person to ask: a signal, a system shutdown, the session ending. */
  unattended(): void;
}

/** `closeStation` switches the outputs off and closes the rest; it bounds its own wait. */
export function quitAfterShutdown(closeStation: () => Promise<void>, log: (line: string) => void, ask: QuitAsk): Quitting {
  let outputsOff = false;
  let shuttingDown = false;
  let asking = false;
  let unattended = false;
  const shutDown = (): void => {
    shuttingDown = true;
    closeStation()
      .catch((error: unknown) => log(`Tendril could not close the station cleanly: ${String(error)}`))
      .finally(() => {
        outputsOff = true;
        app.quit();
      });
  };
  app.on('before-quit', (event) => {
    if (outputsOff) return;
    event.preventDefault();
    if (shuttingDown) return;
    // A question left open does not hold up a shutdown nobody can answer.
    if (unattended) return shutDown();
    if (asking) return;
    const question = ask.question();
    if (!question) return shutDown();
    asking = true;
    const { quitId, ...options } = question;
    const parent = ask.parent();
    void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options)).then(
      ({ response }) => {
        asking = false;
        if (shuttingDown) return;
        if (response !== quitId) return log('quit: cancelled; the jobs go on');
        log('quit: confirmed; stopping the jobs and switching every output off');
        shutDown();
      },
      (error: unknown) => {
        asking = false;
        log(`quit: could not ask whether to stop the jobs (${String(error)}); Tendril keeps running`);
      },
    );
  });
  // A service manager or a terminal stops us with a signal; go through the same shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      unattended = true;
      app.quit();
    });
  }
  return {
    underway: () => shuttingDown || outputsOff,
    unattended: () => {
      unattended = true;
    },
  };
}
