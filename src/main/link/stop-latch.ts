/**
 * The host's copy of the emergency stop latch: a pure state machine. The stop stays held until
 * the grower resets it, even when the device forgets it (a reboot clears the device's latch), and
 * the stop byte is repeated until the device echoes it.
 */

/** How long to wait for the device's echo before sending the stop byte again. */
export const STOP_REPEAT_MS = 250;

export interface StopLatch {
  /** Actuation is refused on the host while held. */
  held: boolean;
  /** The device has acknowledged this stop (echo or event). */
  confirmed: boolean;
  /** When the stop byte last went out. */
  sentAt: number;
}

export const RELEASED: StopLatch = { held: false, confirmed: false, sentAt: 0 };

/** The grower pressed stop: the byte goes out now. */
export function pressStop(now: number): StopLatch {
  return { held: true, confirmed: false, sentAt: now };
}

/** The device echoed a stop byte or reported `estop latched=1`: held, whoever pressed it. */
export function deviceLatched(latch: StopLatch): StopLatch {
  return { held: true, confirmed: true, sentAt: latch.sentAt };
}

/** True when this echo answers a stop the host sent, rather than the station's own button. */
export function awaitingEcho(latch: StopLatch): boolean {
  return latch.held && !latch.confirmed;
}

/** Whether the stop byte is due again at `now`. */
export function stopByteDue(latch: StopLatch, now: number): boolean {
  return awaitingEcho(latch) && now - latch.sentAt >= STOP_REPEAT_MS;
}

export type AfterHandshake = { latch: StopLatch; resend: boolean };

/**
 * After a handshake: if the device reports its latch set, the host holds the stop too; if the
 * host holds a stop the device no longer has, the stop must be sent again.
 */
export function afterHandshake(latch: StopLatch, deviceLatched: boolean): AfterHandshake {
  if (deviceLatched) return { latch: { held: true, confirmed: true, sentAt: latch.sentAt }, resend: false };
  return { latch, resend: latch.held };
}
