import { describe, expect, it, vi } from 'vitest';
import { bridgeRecords, httpRecords, recordError, recordUrl } from './records';
import { NOT_PAIRED } from './transport/pairing';

describe('record urls', () => {
  it('keeps a reverse proxy prefix', () => {
    expect(recordUrl('/api/jobs?limit=5', 'https://farm.example/tendril/')).toBe('https://farm.example/tendril/api/jobs?limit=5');
    expect(recordUrl('/api/jobs', 'http://192.168.1.50:4545/')).toBe('http://192.168.1.50:4545/api/jobs');
  });
});

describe('record errors', () => {
  it('shows the server message as written', () => {
    const body = JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'no history for channel "x"; channels with history: ec1' } });
    expect(recordError(404, 'application/json; charset=utf-8', body)).toBe('no history for channel "x"; channels with history: ec1');
  });

  it('says a refused token is a pairing problem', () => {
    const body = JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'this token is not valid (mistyped, or revoked); pair again with a current link' } });
    expect(recordError(401, 'application/json', body)).toBe(
      'The station refused this screen: this token is not valid (mistyped, or revoked); pair again with a current link.',
    );
    expect(recordError(401, 'text/plain', '')).toContain(NOT_PAIRED);
  });

  it('falls back to the status when the body says nothing useful', () => {
    expect(recordError(502, 'text/html', '<h1>Bad gateway</h1>')).toMatch(/HTTP 502/);
    expect(recordError(429, 'application/json', 'not json')).toMatch(/wait a minute/);
    expect(recordError(418, '', '')).toBe('The station answered HTTP 418.');
  });
});

describe('fetching records', () => {
  it('asks the bridge in the desktop app', async () => {
    const record = vi.fn().mockResolvedValue({ status: 200, contentType: 'text/csv', body: 'at,pump\n' });
    await expect(bridgeRecords({ record }).get('/api/export/doses.csv')).resolves.toEqual({ ok: true, contentType: 'text/csv', body: 'at,pump\n' });
    expect(record).toHaveBeenCalledWith('/api/export/doses.csv');
  });

  it('keeps the status of a refusal', async () => {
    const body = JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'no history for channel "flow1"' } });
    const record = vi.fn().mockResolvedValue({ status: 404, contentType: 'application/json', body });
    await expect(bridgeRecords({ record }).get('/api/history?channel=flow1')).resolves.toEqual({ ok: false, status: 404, message: 'no history for channel "flow1"' });
  });

  it('turns a failing bridge into words', async () => {
    const record = vi.fn().mockRejectedValue(new Error('window closing'));
    await expect(bridgeRecords({ record }).get('/api/jobs')).resolves.toEqual({ ok: false, status: 0, message: 'The station could not fetch its records: window closing' });
  });

  it('sends the token as a bearer header, not in the URL', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response('{"ok":true,"jobs":[]}', { status: 200, headers: { 'content-type': 'application/json' } }));
    const answer = await httpRecords({ pageHref: 'http://station:4545/', token: 'secret', fetch }).get('/api/jobs?limit=5');
    expect(answer).toEqual({ ok: true, contentType: 'application/json', body: '{"ok":true,"jobs":[]}' });
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://station:4545/api/jobs?limit=5');
    expect(url).not.toContain('secret');
    expect(init.headers).toEqual({ Authorization: 'Bearer secret' });
  });

  it('does not ask without a token', async () => {
    const fetch = vi.fn();
    await expect(httpRecords({ pageHref: 'http://station/', token: null, fetch }).get('/api/jobs')).resolves.toEqual({ ok: false, status: 0, message: NOT_PAIRED });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says when the server cannot be reached', async () => {
    const fetch = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    const answer = await httpRecords({ pageHref: 'http://station/', token: 't', fetch }).get('/api/jobs');
    expect(answer).toEqual({ ok: false, status: 0, message: 'The station server could not be reached (Failed to fetch); check the network and try again.' });
  });
});
