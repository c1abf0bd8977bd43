/**
 * The firmware's static stack estimate on small programs made for the purpose: frames add up
 * along the deepest chain, a tail call and a call through the command table count, the deepest
 * interrupt handler goes on top once, and recursion is refused.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { analyseFirmware, deepestStack, plainName } from './firmware-stack.mjs';

describe('deepestStack', () => {
  const frames = { main: 5, loop: 7, poll: 20, answer: 9, send: 4, guard: 12, __vector_1: 15, __vector_2: 8, pulse: 6 };

  it('takes the deepest chain from main, and the deepest handler once on top of it', () => {
    const result = deepestStack({
      frames,
      // answer jumps to send as a tail call: counted as a call.
      calls: { main: ['loop'], loop: ['poll', 'guard'], poll: ['answer'], answer: ['send'], __vector_1: ['pulse'] },
      roots: ['main'],
      interrupts: ['__vector_1', '__vector_2'],
    });
    expect(result.main).toEqual({ bytes: 5 + 7 + 20 + 9 + 4, path: ['main', 'loop', 'poll', 'answer', 'send'] });
    expect(result.interrupt).toEqual({ bytes: 15 + 6, path: ['__vector_1', 'pulse'] });
    expect(result.bytes).toBe(45 + 21);
  });

  it('names the functions around a recursion', () => {
    const result = deepestStack({ frames, calls: { main: ['loop'], loop: ['poll'], poll: ['answer'], answer: ['loop'] }, roots: ['main'] });
    expect(result).toEqual({ cycle: ['loop', 'poll', 'answer', 'loop'] });
  });

  it('refuses a function it has no frame for rather than counting it as nothing', () => {
    expect(() => deepestStack({ frames: { main: 3 }, calls: { main: ['mystery'] }, roots: ['main'] })).toThrow(/mystery/);
  });
});

describe('plainName', () => {
  it('reads mangled symbols and the declarations in .su files alike', () => {
    expect(plainName('_ZL5helloPK7Commandm')).toBe('hello');
    expect(plainName('_ZN14HardwareSerial5writeEh')).toBe('write');
    expect(plainName('void hello(const Command*, uint32_t)')).toBe('hello');
    expect(plainName('size_t Print::write(const uint8_t*, size_t)')).toBe('write');
    expect(plainName('main')).toBe('main');
  });
});

/** A line of `avr-objdump -t`. */
const symbol = (at: number, size: number, name: string, flags = 'g     F') =>
  `${at.toString(16).padStart(8, '0')} ${flags} .text\t${size.toString(16).padStart(8, '0')} ${name}`;
/** A line of `avr-objdump -d`; `to` is the address a call or jump lands on. */
const op = (at: number, text: string, to?: number) =>
  `  ${at.toString(16)}:\t00 00       \t${text}${to === undefined ? '' : `\t; 0x${to.toString(16)}`}`;

describe('analyseFirmware', () => {
  // main calls run, which makes room with `rcall .+0` and jumps through the command table to
  // ping or stop; stop tail-jumps to off. The flow-meter handler calls through a RAM pointer.
  const symbols = [
    symbol(0x100, 8, 'main'),
    symbol(0x108, 10, '_Z3runv'),
    symbol(0x112, 6, '_ZL4pingv', 'l     F'),
    symbol(0x118, 4, '_ZL4stopv', 'l     F'),
    symbol(0x11c, 6, '_Z3offv'),
    symbol(0x122, 12, '__vector_1'),
    symbol(0x12e, 4, '_ZL5pulsev', 'l     F'),
  ].join('\n');
  const disassembly = [
    op(0x100, 'push\tr28'),
    op(0x102, 'call\t0x108', 0x108),
    op(0x106, 'ret'),
    op(0x108, 'rcall\t.+0', 0x10a),
    op(0x10a, 'push\tr16'),
    op(0x10c, 'eicall'),
    op(0x10e, 'pop\tr16'),
    op(0x110, 'ret'),
    op(0x112, 'push\tr28'),
    op(0x114, 'push\tr29'),
    op(0x116, 'ret'),
    op(0x118, 'jmp\t0x11c', 0x11c),
    op(0x11c, 'push\tr17'),
    op(0x11e, 'push\tr28'),
    op(0x120, 'ret'),
    op(0x122, 'push\tr1'),
    op(0x124, 'push\tr0'),
    op(0x126, 'push\tr24'),
    op(0x128, 'eicall'),
    op(0x12a, 'pop\tr0'),
    op(0x12c, 'reti'),
    op(0x12e, 'push\tr24'),
    op(0x130, 'ret'),
  ].join('\n');
  const relocations = [
    'RELOCATION RECORDS FOR [.progmem.data._ZL5VERBS]:',
    'OFFSET   TYPE              VALUE ',
    '00000009 R_AVR_16_PM       .text._ZL4pingv',
    '00000014 R_AVR_16_PM       .text._ZL4stopv',
    '',
    'RELOCATION RECORDS FOR [.text._Z3runv]:',
    '00000004 R_AVR_LO8_LDI     .progmem.data._ZL5VERBS+0x00000009',
    '',
    'RELOCATION RECORDS FOR [.text.main]:',
    '00000004 R_AVR_LO8_LDI_GS  .text._ZL5pulsev',
    '00000006 R_AVR_HI8_LDI_GS  .text._ZL5pulsev',
  ].join('\n');

  it('counts pushes, frames made with rcall, tail calls, the command table and the handler', () => {
    const result = analyseFirmware({ symbols, disassembly, relocations, stackUsage: '' });
    // Each frame is its pushes plus a 3-byte return address: main 4, run 3+1+3, stop 3, off 5.
    expect(result.main).toEqual({ bytes: 4 + 7 + 3 + 5, path: ['main', '_Z3runv', '_ZL4stopv', '_Z3offv'] });
    expect(result.indirect).toEqual({ _Z3runv: ['_ZL4pingv', '_ZL4stopv'], __vector_1: ['_ZL5pulsev'] });
    expect(result.interrupt).toEqual({ bytes: 6 + 4, path: ['__vector_1', '_ZL5pulsev'] });
    expect(result.bytes).toBe(19 + 10);
  });

  it('takes the compiler’s figure where it is larger', () => {
    const stackUsage = 'commands.cpp:12:13:void ping()\t30\tstatic';
    expect(analyseFirmware({ symbols, disassembly, relocations, stackUsage }).main.path).toEqual(['main', '_Z3runv', '_ZL4pingv']);
  });

  it('refuses an unbounded frame and a handler that enables interrupts', () => {
    expect(analyseFirmware({ symbols, disassembly, relocations, stackUsage: 'a.cpp:1:1:void ping()\t8\tdynamic' }).error).toMatch(/ping/);
    const nesting = disassembly.replace(op(0x12e, 'push\tr24'), op(0x12e, 'sei'));
    expect(analyseFirmware({ symbols, disassembly: nesting, relocations, stackUsage: '' }).error).toMatch(/__vector_1/);
  });
});
