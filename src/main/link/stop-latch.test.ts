import { describe, expect, it } from 'vitest';
import { afterHandshake, awaitingEcho, deviceLatched, pressStop, RELEASED, stopByteDue, STOP_REPEAT_MS } from './stop-latch';

describe('the host stop latch', () => {
  it('repeats the stop byte until the device echoes it', () => {
    const pressed = pressStop(1000);
    expect(pressed.held).toBe(true);
    expect(stopByteDue(pressed, 1000 + STOP_REPEAT_MS - 1)).toBe(false);
    expect(stopByteDue(pressed, 1000 + STOP_REPEAT_MS)).toBe(true);
    const echoed = deviceLatched(pressed);
    expect(awaitingEcho(echoed)).toBe(false);
    expect(stopByteDue(echoed, 99_999)).toBe(false);
  });

  it("takes the station's own button as a held stop", () => {
    expect(awaitingEcho(RELEASED)).toBe(false);
    expect(deviceLatched(RELEASED)).toMatchObject({ held: true, confirmed: true });
  });

  it('sends the stop again to a device that forgot it', () => {
    const held = deviceLatched(pressStop(0));
    expect(afterHandshake(held, false)).toEqual({ latch: held, resend: true });
    expect(afterHandshake(held, true).resend).toBe(false);
    expect(afterHandshake(RELEASED, false)).toEqual({ latch: RELEASED, resend: false });
    expect(afterHandshake(RELEASED, true).latch.held).toBe(true);
  });
});
