/**
 * The headless entry: the station core plus the LAN server, no window. This is what runs on a
 * Raspberry Pi without a screen, and what the tests and benchmarks drive.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createStationControl } from './control';
import { DATABASE_FILE, openStationDatabase, type StationDatabase } from './db';
import { createStationCore, loadStationSource, type StationSource } from './station';
import { createLanServer, findWebRoot, LanService } from './lan';
import { accessDesk, TokenStore } from './lan/access';
import { pairingUrl, presetTokensFromEnv } from './lan/pairing';
import { parseServeArgs, SERVE_USAGE, UsageError, type ServeOptions } from './headless/serve-args';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`tendril: ${message}\n`);
  process.exit(2);
}

function chooseSource(options: ServeOptions): StationSource {
  if (options.simulate) return { kind: 'simulated', timeScale: options.timeScale };
  if (options.serial === 'auto') return { kind: 'auto', baud: options.baud };
  if (options.serial) return { kind: 'serial', path: options.serial, baud: options.baud };
  const saved = loadStationSource(options.dataDir);
  if (saved.warning) log(`settings: ${saved.warning}`);
  return saved.kind === 'simulated' ? { kind: 'simulated', timeScale: options.timeScale } : saved;
}

async function main(): Promise<void> {
  let options: ServeOptions;
  try {
    options = parseServeArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return;
  }
  try {
    mkdirSync(options.dataDir, { recursive: true });
  } catch (err) {
    fail(`cannot create the data folder ${options.dataDir} (${(err as Error).message}); pass --data with a folder you can write to`);
  }

  let tokens: TokenStore;
  try {
    tokens = await TokenStore.open(join(options.dataDir, 'tokens.json'));
  } catch (err) {
    fail((err as Error).message);
  }
  const envProblem = presetTokensFromEnv(tokens, process.env);
  if (envProblem) fail(envProblem);

  let database: StationDatabase;
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  try {
    database = openStationDatabase(databaseFile, { sensorHistory: { log } });
  } catch (err) {
    fail(`cannot open the station database ${databaseFile} (${(err as Error).message})`);
  }

  const source = chooseSource(options);
  // Until the port has opened, link messages are held back: if it cannot be opened, the grower
  // gets one line saying what to do, not the link's play-by-play.
  let startup: string[] | null = [];
  const core = createStationCore({ source, dataDir: options.dataDir, database, log: (line) => (startup ? startup.push(line) : log(line)) });
  try {
    await core.start();
    const held = startup;
    startup = null;
    for (const line of held) log(line);
  } catch (err) {
    await core.shutdown();
    const where = source.kind === 'serial' ? source.path : 'the controller';
    fail(
      `cannot open ${where} (${(err as Error).message}); check the cable and the path (ls /dev/serial/by-id), ` +
        `make sure you may use it (the dialout group), or run with --simulate`,
    );
  }

  const webRoot = findWebRoot(__dirname);
  if (!webRoot) log('web: the web UI is not built; run "npm run build" to serve it');
  // Headless takes its address and port from the command line, so Settings shows them but
  // cannot change them (save: null).
  const lan = new LanService({
    settings: { enabled: true, host: options.host, port: options.port },
    createServer: (port) =>
      createLanServer({
        core,
        control,
        tokens,
        host: options.host,
        port,
        webRoot,
        log,
        history: database.sensorHistory,
        records: { recentJobs: (limit) => database.jobs.recent(limit), doses: (range) => database.doseAudit.list(range) },
      }),
    save: null,
    log,
  });
  const control = createStationControl(core, { log, lan, access: accessDesk(tokens, () => lan.origins()) });
  const status = await lan.start();
  if (!status.listening) {
    await core.shutdown();
    fail(`cannot listen on ${options.host}:${options.port}: ${status.problem ?? 'unknown reason'} (pass --port or --host to change it)`);
  }
  const url = lan.listeningUrl();
  process.stdout.write(`Tendril is listening on ${url}\n`);
  // Fresh links every start; a screen paired with an earlier one keeps working.
  const start = tokens.renewStartTokens();
  for (const origin of status.origins) {
    process.stdout.write(`Pair a screen to watch:   ${pairingUrl(origin, start.viewer)}\n`);
    process.stdout.write(`Pair a screen to control: ${pairingUrl(origin, start.operator)}\n`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: switching outputs off and closing the port`);
    // Outputs off and port closed first: the station matters more than the web page.
    void core
      .shutdown()
      .then(() => lan.close())
      .then(() => database.close())
      .then(() => {
        log('stopped');
        process.exit(0);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`tendril: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
