import { describe, expect, it } from 'vitest';
import { isEmergencyStopKey, type KeyPress } from './emergency-stop-keys';

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...modifiers,
});

describe('isEmergencyStopKey', () => {
  it('stops on Shift+Escape', () => {
    expect(isEmergencyStopKey(press('Escape', { shiftKey: true }))).toBe(true);
    expect(isEmergencyStopKey(press('Esc', { shiftKey: true }))).toBe(true);
  });

  it('leaves Escape alone, which closes menus and confirmations', () => {
    expect(isEmergencyStopKey(press('Escape'))).toBe(false);
  });

  it('ignores chords with other modifiers and typing', () => {
    expect(isEmergencyStopKey(press('Escape', { shiftKey: true, ctrlKey: true }))).toBe(false);
    expect(isEmergencyStopKey(press('Escape', { shiftKey: true, altKey: true }))).toBe(false);
    expect(isEmergencyStopKey(press('Escape', { shiftKey: true, metaKey: true }))).toBe(false);
    expect(isEmergencyStopKey(press('E', { shiftKey: true }))).toBe(false);
  });
});
