import { useEffect, useId, useMemo, useState } from 'react';
import type { MqttRole, MqttStatus } from '../../../../shared/mqtt-settings';
import { brokerWords } from '../../components/broker-words';
import { useCommand, useSendingNote } from '../../components/use-command';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { useStationStore } from '../../store';
import { SelectField, TextField } from '../schedules/fields';
import { checkDraft, draftOf, type MqttDraft } from './mqtt-draft';
import { useStationQuery } from './use-station-query';

const ROLES = [
  { value: 'viewer', label: 'Viewer: reads, and may stop the station' },
  { value: 'operator', label: 'Operator: controls the station' },
];

/**
 * The station on the grower's MQTT broker and in Home Assistant (docs/mqtt.md). Anyone may see
 * the settings (the password only as set or not set); operators change them, and they apply at
 * once, without a restart.
 */
export function MqttSection() {
  const readOnly = useViewOnly();
  const query = useStationQuery<MqttStatus>({ type: 'mqtt.status' }, true);
  // What the last save answered is shown at once, before the next status is asked for.
  const [answered, setAnswered] = useState<MqttStatus | null>(null);
  useEffect(() => setAnswered(null), [query.data]);
  const status = answered ?? query.data;

  return (
    <section className="panel" aria-labelledby="mqtt-heading">
      <h2 id="mqtt-heading">MQTT and Home Assistant</h2>
      <BrokerLink />
      {status ? <MqttForm status={status} readOnly={readOnly} onSaved={setAnswered} /> : <p className="empty">{query.problem ?? 'Asking the station…'}</p>}
    </section>
  );
}

/** The broker link as the status strip shows it, live. */
function BrokerLink() {
  const broker = useStationStore((s) => s.station?.broker);
  const words = brokerWords(broker, Date.now());
  return (
    <p className="row-note" role="status" aria-label="MQTT connection">
      {words ? (
        <>
          Broker link: <strong data-status={broker?.status}>{words.state}</strong> ({words.detail})
        </>
      ) : (
        'MQTT is off: nothing is published.'
      )}
    </p>
  );
}

function MqttForm({ status, readOnly, onSaved }: { status: MqttStatus; readOnly: boolean; onSaved: (status: MqttStatus) => void }) {
  const [draft, setDraft] = useState(() => draftOf(status));
  const save = useCommand();
  const sendingNote = useSendingNote();
  const saved = JSON.stringify(status);
  useEffect(() => setDraft(draftOf(JSON.parse(saved) as MqttStatus)), [saved]);

  const check = useMemo(() => checkDraft(draft), [draft]);
  const problem = (path: string): string | undefined => check.problems[path];
  const changed = JSON.stringify(draftOf(status)) !== JSON.stringify(draft);
  const edit = (change: Partial<MqttDraft>) => setDraft((current) => ({ ...current, ...change }));
  const fromCommandLine = status.commandLine !== null;

  const apply = async () => {
    if (!check.ok) return;
    const ack = await save.send({ type: 'mqtt.configure', settings: check.input });
    // A refusal keeps everything typed; a save starts again from what the station now holds.
    if (ack.ok) {
      const next = ack.result as MqttStatus;
      setDraft(draftOf(next));
      onSaved(next);
    }
  };

  return (
    <fieldset className="wizard-steps" disabled={readOnly || save.sending}>
      <legend className="visually-hidden">MQTT</legend>
      {readOnly && <p className="row-note">{VIEW_ONLY_HINT}. Operators change the MQTT settings here.</p>}
      {status.problem && (
        <p className="field-problem" role="alert">
          {status.problem}
        </p>
      )}
      <div className="wizard-step">
        <label className="check">
          <input type="checkbox" checked={draft.enabled} onChange={(event) => edit({ enabled: event.target.checked })} />
          Publish this station to an MQTT broker
        </label>
        {fromCommandLine ? (
          <p className="row-note" aria-label="Broker address">
            Broker: <code>{status.commandLine!.url}</code>. Given on the command line (<code>--mqtt</code>), which wins while it is given; start Tendril
            without it to choose the broker here.
          </p>
        ) : (
          <TextField
            label="Broker address"
            value={draft.url}
            problem={problem('url')}
            placeholder="mqtt://192.168.1.5:1883"
            hint="mqtt://, or mqtts:// for an encrypted broker. A password typed into the address is kept apart and never shown again."
            onChange={(url) => edit({ url })}
          />
        )}
        <TextField label="User name" value={draft.username} problem={problem('username')} hint="Leave empty for the one in the address, or none." onChange={(username) => edit({ username })} />
        <PasswordField saved={status.settings.password} value={draft.password} onChange={(password) => edit({ password })} />
        {!fromCommandLine && (
          <TextField
            label="CA certificate file (mqtts://)"
            value={draft.caFile}
            problem={problem('caFile')}
            hint="The PEM file, on the station's computer, of the authority that signed the broker's certificate. Leave empty for the ones the computer trusts."
            onChange={(caFile) => edit({ caFile })}
          />
        )}
      </div>

      <div className="wizard-step">
        <h3 className="subhead">Topics and Home Assistant</h3>
        <TextField
          label="Station name"
          value={draft.name}
          problem={problem('name')}
          placeholder="the station id"
          hint="What the other stations' Stations screens and Home Assistant call this one."
          onChange={(name) => edit({ name })}
        />
        <TextField label="Station id" value={draft.stationId} problem={problem('stationId')} placeholder="the controller's serial number" onChange={(stationId) => edit({ stationId })} />
        <TextField label="Topic prefix" value={draft.prefix} problem={problem('prefix')} placeholder="tendril/<station id>" onChange={(prefix) => edit({ prefix })} />
        <label className="check">
          <input type="checkbox" checked={draft.discovery} onChange={(event) => edit({ discovery: event.target.checked })} />
          Announce the station to Home Assistant (MQTT discovery)
        </label>
        {draft.discovery && (
          <TextField label="Discovery prefix" value={draft.discoveryPrefix} problem={problem('discoveryPrefix')} onChange={(discoveryPrefix) => edit({ discoveryPrefix })} />
        )}
        <TextField
          label="Alert when the broker is out of reach for (minutes)"
          inputMode="decimal"
          value={draft.outageAlertMinutes}
          problem={problem('outageAlertMinutes')}
          onChange={(outageAlertMinutes) => edit({ outageAlertMinutes })}
        />
        <TextField
          label="Keepalive (seconds)"
          inputMode="numeric"
          value={draft.keepaliveSeconds}
          problem={problem('keepaliveSeconds')}
          hint="The broker announces the station offline 1.5 times this after it vanishes."
          onChange={(keepaliveSeconds) => edit({ keepaliveSeconds })}
        />
      </div>

      <div className="wizard-step">
        <h3 className="subhead">Commands over MQTT</h3>
        <label className="check">
          <input type="checkbox" checked={draft.commands} onChange={(event) => edit({ commands: event.target.checked })} />
          Take commands from these broker users (Home Assistant's switches and buttons among them)
        </label>
        <BrokerUsers draft={draft} problem={problem('commands.users')} onChange={edit} />
        <HomeAssistantUser draft={draft} problem={problem('commands.homeAssistantUser')} onChange={(homeAssistantUser) => edit({ homeAssistantUser })} />
      </div>

      {!readOnly && (
        <div className="wizard-step">
          <button type="button" className="primary" disabled={!changed || !check.ok} onClick={() => void apply()}>
            Save MQTT settings
          </button>
          <p className="row-note">Saved to settings.json and applied at once: the station leaves the old broker and connects with these settings.</p>
          {save.sending && <p className="row-note">{sendingNote}</p>}
          {save.refusal && (
            <p className="field-problem" role="alert">
              {save.refusal}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}

function BrokerUsers({ draft, problem, onChange }: { draft: MqttDraft; problem: string | undefined; onChange: (change: Partial<MqttDraft>) => void }) {
  const setRow = (at: number, row: { name?: string; role?: MqttRole }) => onChange({ users: draft.users.map((current, index) => (index === at ? { ...current, ...row } : current)) });
  return (
    <div className="field" role="group" aria-label="Broker users and their roles">
      {draft.users.length === 0 && <p className="row-note">No broker user may command the station.</p>}
      {draft.users.map((row, at) => (
        <div key={at} className="settings-pair">
          <TextField label={`Broker user ${at + 1}`} value={row.name} onChange={(name) => setRow(at, { name })} />
          <SelectField label="Role" value={row.role} options={ROLES} onChange={(role) => setRow(at, { role: role as MqttRole })} />
          <button type="button" onClick={() => onChange({ users: draft.users.filter((_, index) => index !== at) })}>
            Remove {row.name.trim() || 'this user'}
          </button>
        </div>
      ))}
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      <button type="button" onClick={() => onChange({ users: [...draft.users, { name: '', role: 'viewer' }] })}>
        Add a broker user
      </button>
    </div>
  );
}

/** Which broker user Home Assistant's switches and buttons act as; none leaves them refused. */
function HomeAssistantUser({ draft, problem, onChange }: { draft: MqttDraft; problem: string | undefined; onChange: (user: string) => void }) {
  const id = useId();
  const names = draft.users.map((row) => row.name.trim()).filter((name) => name !== '');
  const missing = draft.homeAssistantUser !== '' && !names.includes(draft.homeAssistantUser);
  return (
    <div className="field">
      <label htmlFor={id}>Home Assistant connects as</label>
      <select id={id} value={draft.homeAssistantUser} aria-invalid={problem ? true : undefined} onChange={(event) => onChange(event.target.value)}>
        <option value="">none of these: its switches and buttons are refused</option>
        {missing && <option value={draft.homeAssistantUser}>{draft.homeAssistantUser} (not listed above)</option>}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The password is never shown: only whether one is saved, a field for a new one, and a way to clear it. */
function PasswordField({ saved, value, onChange }: { saved: 'set' | 'not set'; value: string | null; onChange: (value: string | null) => void }) {
  const id = useId();
  const clearing = value === null;
  return (
    <div className="field">
      <label htmlFor={id}>Password</label>
      <p className="row-note" aria-label="Saved password">
        Saved password: <strong>{clearing ? 'cleared when you save' : saved}</strong>
      </p>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={value ?? ''}
        disabled={clearing}
        placeholder={saved === 'set' ? 'type a new one to replace it' : 'not set'}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="field-hint">
        {saved === 'set' ? 'Leave empty to keep the saved one. ' : ''}
        {(saved === 'set' || clearing) && (
          <button type="button" onClick={() => onChange(clearing ? '' : null)}>
            {clearing ? 'Keep the password' : 'Clear the password'}
          </button>
        )}
      </p>
    </div>
  );
}
