/**
 * The headless entry: the station core plus the LAN server, no window. This is what runs on a
 * Raspberry Pi without a screen, and what the tests and benchmarks drive. The station is put
 * together in app/start-station.ts; here are the command line and the words for the terminal.
 */
import { startStation, StationStartError, type StartStationOptions } from './app';
import { startFailure } from './headless/start-failure';
import { makePrivateFolder } from './files/private-files';
import { findWebRoot } from './lan';
import { loadSettings, type LoadedSettings } from './settings';
import { greeting } from './headless/greeting';
import { listenAt, mqttFrom, parseServeArgs, SERVE_USAGE, sourceFrom, UsageError, workersFrom, type ServeOptions } from './headless/serve-args';
import { connectRedis, describeRedis, RedisUnreachable, runScreenWorker, startPrivateRedis, workerConfigFromEnv, workerPool, type PrivateRedis } from './lan/workers';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`tendril: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  // A screens' worker started by a station with --workers: the same entry, another job.
  const worker = workerConfigFromEnv();
  if (worker) {
    await runScreenWorker(worker, log);
    return;
  }
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
    makePrivateFolder(options.dataDir);
  } catch (err) {
    fail(`cannot create the data folder ${options.dataDir} (${(err as Error).message}); pass --data with a folder you can write to`);
  }

  // Read once: the station core is handed the same sections.
  const settings = loadSettings(options.dataDir);
  let listen: { host: string; port: number };
  let mqtt: StartStationOptions['mqtt'];
  let plan: ReturnType<typeof workersFrom>;
  try {
    listen = listenAt(options, settings);
    mqtt = mqttFrom(options, settings);
    plan = workersFrom(options, settings);
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  if (options.screensOnly) {
    await serveScreensOnly(options, settings, listen, plan);
    return;
  }
  const source = sourceFrom(options, settings, log);

  // Redis before the station: a station that cannot serve its screens is not started at all.
  let workers: StartStationOptions['lan']['workers'];
  let privateRedis: PrivateRedis | null = null;
  if (plan.count > 0) {
    try {
      if (plan.redis === null) privateRedis = await startPrivateRedis(options.dataDir, log);
      const address = plan.redis === null ? privateRedis!.address : { url: plan.redis };
      workers = { count: plan.count, redis: await connectRedis(address, log), address };
    } catch (err) {
      await privateRedis?.stop();
      // The private one says itself what to do.
      if (err instanceof RedisUnreachable) fail(plan.redis === null ? err.message : `${err.message}; start it, or give the right address with --redis (or leave out --workers)`);
      throw err;
    }
  }
  /** After the station and its workers: they need Redis until they are gone. */
  const closeRedis = async (): Promise<void> => {
    workers?.redis.destroy();
    await privateRedis?.stop();
  };
  const webRoot = findWebRoot(__dirname);
  const start: StartStationOptions = {
    dataDir: options.dataDir,
    source,
    settings,
    // Nobody watches a terminal for a station half started: any part that fails stops it.
    policy: { tokens: 'stop', link: 'stop', lan: 'stop' },
    // The address and port come from the command line over settings.json, so Settings shows them
    // but cannot change them: a saved change would be overridden by the next start's flags.
    lan: { choice: { enabled: true, ...listen }, configurable: false, webRoot, workers },
    log,
    // A service's output is kept in the system journal, readable by more people than the grower.
    pairingLinks: options.printPairing ? 'every start' : 'until an operator pairs',
    mqtt,
  };
  const station = await startStation(start).catch(async (err: unknown) => {
    await closeRedis();
    if (err instanceof StationStartError) fail(startFailure(err, listen, source));
    throw err;
  });
  if (!webRoot) log('web: the web UI is not built; run "npm run build" to serve it');

  // Before saying it listens: a supervisor may send SIGTERM as soon as it reads that line, and a
  // signal that arrives before its handler ends the process without switching anything off.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: switching outputs off and closing the port`);
    // Outputs off and port closed first: the station matters more than the web page.
    void station.close().then(closeRedis).then(() => {
      log('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  for (const line of greeting(station.lan.listeningUrl(), station.pairing)) process.stdout.write(`${line}\n`);
}

/**
 * Workers for a station on another host: they reach it through the Redis it uses, and this
 * host holds nothing of the station's (no port, no database, no tokens).
 */
async function serveScreensOnly(options: ServeOptions, settings: LoadedSettings, listen: { host: string; port: number }, plan: { count: number; redis: string | null }): Promise<void> {
  const address = { url: plan.redis! };
  try {
    // Only to say at once, and clearly, that Redis is not there; each worker connects itself.
    (await connectRedis(address, log)).destroy();
  } catch (err) {
    if (err instanceof RedisUnreachable) fail(`${err.message}; start it, or give the right address with --redis`);
    throw err;
  }
  const pool = workerPool({
    count: plan.count,
    config: { ...listen, webRoot: findWebRoot(__dirname), hostNames: settings.lan.hostNames, allowedOrigins: [], redis: address },
    log,
  });
  let url: string;
  try {
    url = await pool.listen();
  } catch (err) {
    await pool.close();
    fail(`the screens' workers could not start on ${listen.host}:${listen.port} (${(err as Error).message}); pass --port or --host to change it`);
  }
  const stop = (signal: string): void => {
    log(`${signal}: stopping the screens' workers`);
    void pool.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(`Tendril is serving screens on ${url} for the station at ${describeRedis(address)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`tendril: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
