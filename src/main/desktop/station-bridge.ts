/**
 * The station's side of the desktop window's IPC, as plain Node: answers snapshot and command
 * requests from the app's own page, and pushes the live feed once per frame. The Electron entry
 * hands it the real `ipcMain` and web contents; the tests hand it stand-ins.
 */
import { IPC, type RecordResponse } from '../../shared/bridge';
import type { CommandAck } from '../../shared/commands';
import type { StationSnapshot } from '../../shared/events';
import type { Principal, StationControl } from '../control';
import { answerRecord, StationHistory, type HistorySource, type StationRecords } from '../history';
import { ALL, LiveFeed } from '../live/feed';
import type { StationCore } from '../station';

/** One batch per animation frame at most. */
export const FRAME_MS = 16;

/** The desktop is the station's own screen: whoever sits at it operates the station. */
const DESKTOP: Principal = { id: 'desktop', role: 'operator', name: 'this computer', local: true };

/** The parts of an IPC invoke event that say who sent it. */
export interface InvokeEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  getURL(): string;
}

export interface StationBridgeOptions {
  core: StationCore;
  control: StationControl;
  ipc: IpcMainLike;
  contents: WebContentsLike;
  isAppPage(url: string): boolean;
  frameMs?: number;
  /** Sensor history and the job and dose records, as the LAN's REST API serves them. */
  history?: HistorySource;
  records?: StationRecords | null;
}

export class UntrustedSenderError extends Error {}

/** Connects the station to one window; returns the function that undoes it. */
export function bridgeStation(options: StationBridgeOptions): () => void {
  const { core, control, ipc, contents, isAppPage } = options;

  // Only our own page in our own window may reach the station. The frame URL is checked, not
  // the window's, because a subframe shares the window's web contents.
  const checkSender = (event: InvokeEvent): void => {
    const frame = event.senderFrame;
    if (event.sender !== contents || frame === null || frame.parent !== null || !isAppPage(frame.url)) {
      throw new UntrustedSenderError('Tendril refused a station request from an unknown page');
    }
  };

  const feed = new LiveFeed(
    { state: () => core.state(), onChange: (listener) => core.onEvent(listener) },
    {
      windowMs: options.frameMs ?? FRAME_MS,
      batchDiscrete: true,
      wholeStationOnly: true,
      deliver(audience, messages) {
        if (audience !== ALL || contents.isDestroyed() || !isAppPage(contents.getURL())) return;
        contents.send(IPC.events, messages);
      },
    },
  );

  ipc.handle(IPC.snapshot, (event): StationSnapshot => {
    checkSender(event);
    return feed.snapshot(ALL);
  });
  ipc.handle(IPC.command, (event, command): Promise<CommandAck> => {
    checkSender(event);
    return control.handle(DESKTOP, command);
  });
  // Without a database the window still gets the history the live state has seen.
  const recording = options.history ? null : new StationHistory({ changes: (listener) => core.onEvent(listener) });
  recording?.start();
  const history: HistorySource = options.history ?? recording!;
  ipc.handle(IPC.record, (event, pathAndQuery): RecordResponse => {
    checkSender(event);
    // The filename is for HTTP's download header; the window names its own downloads.
    const { status, contentType, body } = answerRecord(pathAndQuery, { station: core, records: options.records ?? null, history }, Date.now());
    return { status, contentType, body };
  });

  return () => {
    feed.close();
    ipc.removeHandler(IPC.snapshot);
    ipc.removeHandler(IPC.command);
    ipc.removeHandler(IPC.record);
    recording?.stop();
  };
}
