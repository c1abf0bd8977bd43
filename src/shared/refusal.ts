/**
 * Why a command was not carried out, as every screen is told it: a code from the LAN API's list
 * and a message a grower can act on. The station's modules throw it; the command door turns it
 * into the ack's error. Anything else that escapes a command is a fault and answers INTERNAL.
 *
 * The controller's own refusals (its NAKs, a lost link) are translated into these at the
 * serial link's edge, so nothing above the link knows the wire's reasons.
 */
import type { ErrorCode } from './commands';

export class Refusal extends Error {
  /**
   * @param mayHaveArrived for a command to the controller: it was sent and never answered (no
   *   answer, the link lost, a stop while it was on its way), so the controller may have
   *   carried it out. A refusal before sending, or the controller's own, never did.
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly mayHaveArrived = false,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

export function isRefusal(err: unknown): err is Refusal {
  return err instanceof Refusal;
}
