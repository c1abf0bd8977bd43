import { describe, expect, it } from 'vitest';
import type { MqttStatus } from '../../../../shared/mqtt-settings';
import { checkDraft, draftOf } from './mqtt-draft';

const status: MqttStatus = {
  settings: {
    enabled: true,
    url: 'mqtt://192.168.1.5:1883',
    username: 'tendril',
    password: 'set',
    caFile: '',
    prefix: '',
    stationId: 'greenhouse-1',
    name: 'Greenhouse',
    discovery: true,
    discoveryPrefix: 'homeassistant',
    outageAlertMinutes: 5,
    keepaliveSeconds: 30,
    commands: { enabled: true, users: { homeassistant: 'operator' }, homeAssistantUser: 'homeassistant' },
  },
  commandLine: null,
  broker: null,
};

describe('the MQTT form', () => {
  it('starts from the saved settings with the password empty, which keeps it', () => {
    const draft = draftOf(status);
    expect(draft.password).toBe('');
    expect(draft.users).toEqual([{ name: 'homeassistant', role: 'operator' }]);
    const check = checkDraft(draft);
    expect(check.ok && check.input).toMatchObject({ password: '', outageAlertMinutes: 5, commands: { users: { homeassistant: 'operator' } } });
  });

  it('says what is wrong with each field, in the station\'s words', () => {
    const draft = { ...draftOf(status), outageAlertMinutes: '', prefix: 'a/#' };
    expect(checkDraft(draft).problems).toEqual({
      outageAlertMinutes: 'must be a number of minutes',
      prefix: 'must be topic levels of letters, digits, - and _ joined by /, such as "tendril/greenhouse"',
    });
    expect(checkDraft({ ...draftOf(status), url: '' }).problems).toEqual({
      url: "enter the broker's address, an address such as mqtt://user:password@192.168.1.5:1883 (mqtt://, mqtts://, ws:// or wss://), or switch MQTT off",
    });
    expect(checkDraft({ ...draftOf(status), url: '', enabled: false }).ok).toBe(true);
  });

  it('holds the broker users to one row each, every one named', () => {
    const twice = { ...draftOf(status), users: [{ name: 'ha', role: 'operator' as const }, { name: 'ha', role: 'viewer' as const }], homeAssistantUser: '' };
    expect(checkDraft(twice).problems).toEqual({ 'commands.users': 'each broker user may be listed once' });
    const unnamed = { ...draftOf(status), users: [{ name: ' ', role: 'viewer' as const }], homeAssistantUser: '' };
    expect(checkDraft(unnamed).problems['commands.users']).toBe("enter each broker user's name, or remove its row");
    const gone = { ...draftOf(status), users: [] };
    expect(checkDraft(gone).problems).toEqual({ 'commands.homeAssistantUser': 'must be one of the broker users given a role, so its switches and buttons act with a role' });
  });

  it('shows and sends back the address given on the command line', () => {
    const draft = draftOf({ ...status, commandLine: { url: 'mqtt://tendril@10.0.0.2:1883', caFile: '' } });
    expect(draft.url).toBe('mqtt://tendril@10.0.0.2:1883');
  });
});
