// Builds the station controller firmware (firmware/tendril) for the Arduino Mega 2560 with
// Debian's avr-gcc and Arduino core, prints its flash, RAM and worst-case stack use against the
// budget, and builds the emulator harness that runs it on an emulated ATmega2560
// (firmware/emulator).
// Incremental: an object is rebuilt only when its source, a header or this script is newer,
// and a binary is relinked when an input is newer or its command line changed.
// TENDRIL_SKETCH builds another sketch folder (it needs its own config.h), and
// TENDRIL_FIRMWARE_BUILD puts the output elsewhere than firmware/build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseFirmware, plainName } from './firmware-stack.mjs';

const root = join(import.meta.dirname, '..');
const sketch = process.env.TENDRIL_SKETCH ?? join(root, 'firmware/tendril');
const emulator = join(root, 'firmware/emulator');
const out = process.env.TENDRIL_FIRMWARE_BUILD ?? join(root, 'firmware/build');
const arduino = '/usr/share/arduino/hardware/arduino/avr';
const core = join(arduino, 'cores/arduino');
const variant = join(arduino, 'variants/mega');
const FLASH = 253952; // the Mega 2560's flash less the bootloader
const RAM = 8192;
const BUDGET = 0.5;
const PACKAGES = 'gcc-avr avr-libc arduino-core-avr libsimavr-dev libsimavrparts1 libelf-dev';

function fail(message) {
  console.error(`firmware: ${message}`);
  process.exit(1);
}

function have(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Whether the host linker finds a library: gcc echoes the bare name back when it does not. */
function haveLibrary(file) {
  const found = spawnSync('gcc', [`-print-file-name=${file}`], { encoding: 'utf8' }).stdout?.trim();
  return Boolean(found) && found !== file;
}

const missing = ['avr-gcc', 'avr-g++', 'avr-ar', 'avr-objcopy', 'avr-size', 'gcc'].filter((c) => !have(c));
if (!existsSync('/usr/lib/avr/include/avr/io.h')) missing.push('avr-libc (avr/io.h)');
if (!existsSync(join(core, 'Arduino.h'))) missing.push(`the Arduino core (${core})`);
if (!existsSync('/usr/include/simavr/sim_avr.h')) missing.push('/usr/include/simavr/sim_avr.h');
if (!existsSync('/usr/include/libelf.h') && !existsSync('/usr/include/libelf/libelf.h')) missing.push('libelf.h');
if (have('gcc')) missing.push(...['libsimavr.so', 'libsimavrparts.so', 'libelf.so'].filter((lib) => !haveLibrary(lib)));
if (missing.length) fail(`the toolchain is missing ${missing.join(', ')}; install it with: apt-get install -y ${PACKAGES}`);

mkdirSync(join(out, 'core'), { recursive: true });
mkdirSync(join(out, 'sketch'), { recursive: true });

const mcu = ['-mmcu=atmega2560', '-DF_CPU=16000000L', '-DARDUINO=10807', '-DARDUINO_AVR_MEGA2560', '-DARDUINO_ARCH_AVR'];
const common = [...mcu, '-Os', '-g', '-ffunction-sections', '-fdata-sections', `-I${core}`, `-I${variant}`];
const cFlags = [...common, '-std=gnu11'];
const cppFlags = [...common, '-std=gnu++11', '-fno-exceptions', '-fno-threadsafe-statics', '-fpermissive'];
const strict = ['-Wall', '-Wextra', '-Werror'];
const self = statSync(import.meta.filename).mtimeMs;

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    fail(`${command} failed`);
  }
  return result.stdout;
}

/**
 * Runs `command args` to make `output` unless it is newer than every input and was made by
 * the same command line: a sketch from elsewhere, a deleted source or a changed flag relinks.
 */
function make(output, inputs, command, args) {
  const manifest = `${output}.cmd`;
  const line = [command, ...args].join(' ');
  const current = existsSync(manifest) && readFileSync(manifest, 'utf8') === line;
  if (current && mtime(output) > Math.max(self, ...inputs.map(mtime))) return false;
  run(command, args);
  writeFileSync(manifest, line);
  return true;
}

/** Compiles `source` to `object` unless the object is newer than it and than `newestInput`. */
function compile(compiler, flags, source, object, newestInput) {
  if (mtime(object) > Math.max(mtime(source), newestInput, self)) return false;
  run(compiler, [...flags, '-c', source, '-o', object]);
  return true;
}

// The Arduino core, as an archive: the linker then takes only what the firmware uses, so the
// core's own serial interrupts stay out and the firmware's serial.cpp owns UART0.
// WString is left out: the firmware allocates nothing (no String), and Debian's copy needs a
// newer C++ library than avr-libc has (DECIMAL_DIG).
const coreSources = readdirSync(core).filter((f) => /\.(c|cpp|S)$/.test(f) && f !== 'WString.cpp');
const coreArchive = join(out, 'core.a');
let coreChanged = false;
for (const file of coreSources) {
  const object = join(out, 'core', `${file}.o`);
  const compiler = file.endsWith('.cpp') ? 'avr-g++' : 'avr-gcc';
  // -fstack-usage leaves each function's frame size in a .su file by its object, for the
  // stack estimate below.
  const flags = file.endsWith('.cpp') ? [...cppFlags, '-fstack-usage'] : file.endsWith('.S') ? [...mcu, '-x', 'assembler-with-cpp'] : [...cFlags, '-fstack-usage'];
  coreChanged = compile(compiler, flags, join(core, file), object, 0) || coreChanged;
}
if (coreChanged || !existsSync(coreArchive)) {
  run('avr-ar', ['rcs', coreArchive, ...coreSources.map((f) => join(out, 'core', `${f}.o`))]);
}

// The sketch: every .cpp, and the .ino compiled as C++ with Arduino.h first, as the IDE does.
const sketchFiles = readdirSync(sketch);
const headers = Math.max(0, ...sketchFiles.filter((f) => f.endsWith('.h')).map((f) => mtime(join(sketch, f))));
const ino = sketchFiles.find((f) => f.endsWith('.ino'));
if (!ino) fail(`no .ino in ${sketch}`);
const inoCpp = join(out, 'sketch', `${ino}.cpp`);
const inoText = `#include <Arduino.h>\n#line 1 "${join(sketch, ino)}"\n${readFileSync(join(sketch, ino), 'utf8')}`;
if (!existsSync(inoCpp) || readFileSync(inoCpp, 'utf8') !== inoText) writeFileSync(inoCpp, inoText);
const sources = [...sketchFiles.filter((f) => f.endsWith('.cpp')).map((f) => join(sketch, f)), inoCpp];
const objects = sources.map((source) => join(out, 'sketch', `${source.split('/').at(-1)}.o`));
let sketchChanged = false;
sources.forEach((source, i) => {
  sketchChanged = compile('avr-g++', [...cppFlags, ...strict, `-I${sketch}`], source, objects[i], headers) || sketchChanged;
});
// The sketch's frame sizes come from a second, quiet compile: gcc cannot size a naked
// function (system.cpp's .init3 hook) and says so in a warning that -Werror makes fatal.
mkdirSync(join(out, 'stack'), { recursive: true });
const stackObjects = objects.map((object) => join(out, 'stack', object.split('/').at(-1)));
sources.forEach((source, i) => compile('avr-g++', [...cppFlags, '-w', '-fstack-usage', `-I${sketch}`], source, stackObjects[i], mtime(objects[i])));

const elf = join(out, 'tendril.elf');
const hex = join(out, 'tendril.hex');
const linked = make(elf, [...objects, coreArchive], 'avr-gcc', [...mcu, '-Os', '-Wl,--gc-sections', '-o', elf, ...objects, coreArchive, '-lm']);
if (linked || sketchChanged || coreChanged || mtime(hex) < mtime(elf)) run('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elf, hex]);

// text + data live in flash; data + bss (and .noinit) take RAM before the stack gets any.
const sizes = run('avr-size', ['-A', elf]);
const section = (name) => Number(new RegExp(`^\\${name}\\s+(\\d+)`, 'm').exec(sizes)?.[1] ?? 0);
const flash = section('.text') + section('.data');
const ram = section('.data') + section('.bss') + section('.noinit');
const pct = (used, of) => `${((100 * used) / of).toFixed(1)}%`;
console.log(`firmware: flash ${flash} of ${FLASH} bytes (${pct(flash, FLASH)}), RAM ${ram} of ${RAM} bytes (${pct(ram, RAM)}) before the stack`);
const over = [flash > FLASH * BUDGET ? 'flash' : null, ram > RAM * BUDGET ? 'RAM' : null].filter(Boolean);
if (over.length) fail(`${over.join(' and ')} over the project's budget of ${BUDGET * 100}%`);

// The worst case the stack can reach (scripts/firmware-stack.mjs), against the RAM the data
// leaves it: nothing allocates at run time, so all of that is the stack's.
const coreObjects = coreSources.map((f) => join(out, 'core', `${f}.o`));
const stackUsage = [...stackObjects, ...coreObjects].map((o) => o.replace(/\.o$/, '.su')).filter(existsSync);
const stack = analyseFirmware({
  symbols: run('avr-objdump', ['-t', elf]),
  disassembly: run('avr-objdump', ['-d', elf]),
  relocations: run('avr-objdump', ['-r', ...objects, coreArchive]),
  stackUsage: stackUsage.map((file) => readFileSync(file, 'utf8')).join('\n'),
});
const chain = (path) => path.map(plainName).join(' → ');
if (stack.error) fail(`no stack estimate: ${stack.error}`);
if (stack.cycle) fail(`recursion (${chain(stack.cycle)}): the stack has no static bound`);
const interrupt = stack.interrupt ? `; + interrupt ${stack.interrupt.bytes}: ${chain(stack.interrupt.path)}` : '';
console.log(`firmware: stack worst case ${stack.bytes} bytes (${stack.main.bytes}: ${chain(stack.main.path)}${interrupt}), ${RAM - ram} bytes free for it`);
if (stack.bytes > RAM - ram) fail(`the stack can need ${stack.bytes} bytes and only ${RAM - ram} are free: shrink the buffers or the deepest chain`);

// The emulator harness (firmware/emulator/README.md). It reads the sketch's config.h itself,
// so it is rebuilt when that changes too.
const harnessSources = existsSync(emulator) ? readdirSync(emulator).filter((f) => f.endsWith('.c')).map((f) => join(emulator, f)) : [];
if (harnessSources.length) {
  const harness = join(out, 'tendril-twin');
  const inputs = [...harnessSources, ...readdirSync(emulator).filter((f) => f.endsWith('.h')).map((f) => join(emulator, f)), join(sketch, 'config.h')];
  make(harness, inputs, 'gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-I/usr/include/simavr', `-I${sketch}`, '-o', harness, ...harnessSources, '-lsimavr', '-lsimavrparts', '-lelf', '-lpthread']);
}
