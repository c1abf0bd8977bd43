/**
 * Pairing, revoking, and moving the LAN server, through real Socket.IO screens and real
 * listening sockets on loopback.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createStationControl, type Principal } from '../control';
import { OPERATOR_TOKEN, TestScreen, VIEWER_TOKEN } from '../../test-support/main/lan-station';
import { standInCore } from '../../test-support/main/stand-in-core';
import { accessDesk, TokenStore } from './access';
import { createLanServer } from './http-server';
import { LanService, type LanSettingsChoice } from './lan-service';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves with the reason the screen was disconnected. */
const disconnected = (screen: TestScreen): Promise<string> => new Promise((resolve) => screen.socket.once('disconnect', (reason) => resolve(reason)));

const DESKTOP: Principal = { id: 'desktop', role: 'operator', name: 'this computer', local: true };

async function station(options: { configurable: boolean }) {
  const core = standInCore();
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR_TOKEN, 'tests');
  tokens.preset('viewer', VIEWER_TOKEN, 'tests');
  const saved: LanSettingsChoice[] = [];
  const lan = new LanService({
    settings: { enabled: true, host: '127.0.0.1', port: 0 },
    createServer: (port) => createLanServer({ core, control, tokens, host: '127.0.0.1', port, webRoot: null }),
    save: options.configurable ? (choice) => void saved.push(choice) : null,
  });
  const control = createStationControl(core, { lan, access: accessDesk(tokens, () => lan.origins()) });
  cleanups.push(() => lan.close());
  await lan.start();
  const screen = (token: string, name: string) => {
    const opened = new TestScreen(lan.listeningUrl()!, token, name);
    cleanups.push(() => opened.close());
    return opened.ready();
  };
  return { core, tokens, lan, control, saved, screen };
}

async function portInUse(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return { port: (server.address() as { port: number }).port, server };
}

async function freePort(): Promise<number> {
  const { port, server } = await portInUse();
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('pairing and revoking screens', () => {
  it('pairs a viewer from an operator screen, lists it without its secret, and disconnects it when revoked', async () => {
    const { screen } = await station({ configurable: false });
    const operator = await screen(OPERATOR_TOKEN, 'Ana');

    const paired = (await operator.command({ id: 'p1', type: 'access.pair', role: 'viewer', label: "  Ben's phone " })) as {
      ok: true;
      result: { token: { id: string; label: string; role: string }; links: string[] };
    };
    expect(paired.ok).toBe(true);
    expect(paired.result.token).toMatchObject({ role: 'viewer', label: "Ben's phone", source: 'paired' });
    expect(paired.result.links).toHaveLength(1);
    const secret = new URL(paired.result.links[0]!).searchParams.get('token')!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const phone = await screen(secret, "Ben's phone");
    const listed = (await operator.command({ id: 'p2', type: 'access.tokens' })) as { ok: true; result: { tokens: Array<Record<string, unknown>> } };
    const entry = listed.result.tokens.find((token) => token['id'] === paired.result.token.id);
    expect(entry).toMatchObject({ label: "Ben's phone", role: 'viewer' });
    expect(entry?.['usedAt']).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);

    // A viewer may not look at or hand out access.
    expect(await phone.command({ id: 'v1', type: 'access.tokens' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const gone = disconnected(phone);
    expect(await operator.command({ id: 'p3', type: 'access.revoke', tokenId: paired.result.token.id })).toMatchObject({ ok: true });
    expect(await gone).toBe('io server disconnect');
    expect(await operator.command({ id: 'p4', type: 'access.revoke', tokenId: paired.result.token.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('revoked already') },
    });
  });

  it('refuses a pairing without a label, saying what to write', async () => {
    const { screen } = await station({ configurable: false });
    const operator = await screen(OPERATOR_TOKEN, 'Ana');
    expect(await operator.command({ id: 'p1', type: 'access.pair', role: 'operator', label: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: expect.stringContaining("such as \"Ana's phone\"") },
    });
  });

  it('never lets a screen on the LAN move or stop the LAN server', async () => {
    const { screen, lan } = await station({ configurable: true });
    const operator = await screen(OPERATOR_TOKEN, 'Ana');
    expect(await operator.command({ id: 'l1', type: 'lan.configure', enabled: false, port: 4545 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining("station's own computer") },
    });
    expect(lan.status().listening).toBe(true);
    expect(await operator.command({ id: 'l2', type: 'lan.status' })).toMatchObject({ ok: true, result: { listening: true, configurable: true } });
  });
});

describe('the LAN server from the desktop', () => {
  it('keeps serving on the old port when the new one is taken, and says why', async () => {
    const { control, screen, saved, lan } = await station({ configurable: true });
    const operator = await screen(OPERATOR_TOKEN, 'Ana');
    const taken = await portInUse();
    const ack = await control.handle(DESKTOP, { id: 'c1', type: 'lan.configure', enabled: true, port: taken.port });
    expect(ack).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringContaining(`port ${taken.port} is in use by another program`) } });
    expect(saved).toEqual([]);
    expect(lan.status().listening).toBe(true);
    expect(operator.socket.connected).toBe(true);
    expect(await operator.command({ id: 'o1', type: 'lan.status' })).toMatchObject({ ok: true });
  });

  it('moves to a free port, then switches off and on again, saving each choice', async () => {
    const { control, screen, saved, lan } = await station({ configurable: true });
    const operator = await screen(OPERATOR_TOKEN, 'Ana');
    const port = await freePort();

    // Screens on the old port lose it: their addresses change with it.
    const movedAway = disconnected(operator);
    const moved = await control.handle(DESKTOP, { id: 'c1', type: 'lan.configure', enabled: true, port });
    expect(moved).toMatchObject({ ok: true, result: { listening: true, port, origins: [`http://127.0.0.1:${port}`] } });
    expect(lan.listeningUrl()).toBe(`http://127.0.0.1:${port}`);
    await movedAway;
    const again = await screen(OPERATOR_TOKEN, 'Ana again');

    const dropped = disconnected(again);
    const off = await control.handle(DESKTOP, { id: 'c2', type: 'lan.configure', enabled: false, port });
    expect(off).toMatchObject({ ok: true, result: { enabled: false, listening: false, origins: [] } });
    await dropped;
    expect(await control.handle(DESKTOP, { id: 'c3', type: 'access.pair', role: 'viewer', label: 'phone' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_READY', message: expect.stringContaining('switch it on first') },
    });

    const on = await control.handle(DESKTOP, { id: 'c4', type: 'lan.configure', enabled: true, port });
    expect(on).toMatchObject({ ok: true, result: { enabled: true, listening: true } });
    expect(saved).toEqual([
      { enabled: true, host: '127.0.0.1', port },
      { enabled: false, host: '127.0.0.1', port },
      { enabled: true, host: '127.0.0.1', port },
    ]);
  });

  it('cannot be reconfigured where the command line sets it', async () => {
    const { control } = await station({ configurable: false });
    expect(await control.handle(DESKTOP, { id: 'c1', type: 'lan.configure', enabled: false, port: 4545 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
