import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import {
  NOTIFY_SETTINGS_INPUT_SCHEMA,
  type DeliveryResult,
  type NotifyChannel,
  type NotifySettingsInput,
  type NotifySettingsView,
  type NotifyStatus,
  type SecretState,
} from '../../../../shared/notify';
import { useCommand, useSendingNote } from '../../components/use-command';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { SelectField, TextField } from '../schedules/fields';
import { formatDateTime } from './dates';
import { useStationQuery } from './use-station-query';

const LEVELS = [
  { value: 'info', label: 'Everything (info and up)' },
  { value: 'warning', label: 'Warnings and critical' },
  { value: 'error', label: 'Critical only' },
];

const SECURITY = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None (a mail server on this network only)' },
];

/**
 * The form's copy of the settings. Secrets start empty, which the station reads as "keep the
 * saved one": the form never sees them. Numbers and the address list stay text while typed.
 */
interface Draft {
  settings: NotifySettingsInput;
  port: string;
  to: string;
  repeatWindow: string;
}

function draftOf(view: NotifySettingsView): Draft {
  return {
    settings: {
      webhook: { ...view.webhook, authorization: '' },
      ntfy: { ...view.ntfy, token: '' },
      email: { ...view.email, password: '' },
      repeatWindowMinutes: view.repeatWindowMinutes,
      quietHours: { ...view.quietHours },
    },
    port: String(view.email.port),
    to: view.email.to.join(', '),
    repeatWindow: String(view.repeatWindowMinutes),
  };
}

function inputOf(draft: Draft): unknown {
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  return {
    ...draft.settings,
    email: { ...draft.settings.email, port: number(draft.port), to: draft.to.split(/[,;\s]+/).filter(Boolean) },
    repeatWindowMinutes: number(draft.repeatWindow),
  };
}

/** Alerts sent to growers away from the screens: by webhook, to the ntfy phone app, and by e-mail. */
export function NotificationsSection() {
  const readOnly = useViewOnly();
  const query = useStationQuery<NotifyStatus>({ type: 'notify.status' }, !readOnly);
  // What the last save or test answered is shown at once, before the next status is asked for.
  const [answered, setAnswered] = useState<NotifyStatus | null>(null);
  useEffect(() => setAnswered(null), [query.data]);
  const status = answered ?? query.data;

  return (
    <section className="panel" aria-labelledby="notify-heading">
      <h2 id="notify-heading">Notifications</h2>
      {readOnly ? (
        <p className="row-note">{VIEW_ONLY_HINT}. Operators choose where alerts are sent here.</p>
      ) : status ? (
        <NotificationsForm status={status} onSaved={setAnswered} onTested={query.refresh} />
      ) : (
        <p className="empty">{query.problem ?? 'Asking the station…'}</p>
      )}
    </section>
  );
}

function NotificationsForm({ status, onSaved, onTested }: { status: NotifyStatus; onSaved: (status: NotifyStatus) => void; onTested: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(status.settings));
  const save = useCommand();
  const sendingNote = useSendingNote();
  const saved = JSON.stringify(status.settings);
  useEffect(() => setDraft(draftOf(JSON.parse(saved) as NotifySettingsView)), [saved]);

  const parsed = useMemo(() => NOTIFY_SETTINGS_INPUT_SCHEMA.safeParse(inputOf(draft)), [draft]);
  const problem = (...path: string[]): string | undefined =>
    parsed.success ? undefined : parsed.error.issues.find((issue) => issue.path.join('.') === path.join('.'))?.message;
  const changed = JSON.stringify(draftOf(status.settings)) !== JSON.stringify(draft);
  const edit = (change: (settings: NotifySettingsInput) => void) =>
    setDraft((current) => {
      const next = structuredClone(current);
      change(next.settings);
      return next;
    });
  const { webhook, ntfy, email, quietHours } = draft.settings;

  const apply = async () => {
    if (!parsed.success) return;
    const ack = await save.send({ type: 'notify.configure', settings: parsed.data });
    if (ack.ok) onSaved(ack.result as NotifyStatus);
  };

  return (
    <fieldset className="wizard-steps" disabled={save.sending}>
      <legend className="visually-hidden">Notifications</legend>
      {status.problem && (
        <p className="field-problem" role="alert">
          {status.problem}
        </p>
      )}

      <ChannelFrame channel="webhook" title="Webhook" enabled={webhook.enabled} onEnabled={(on) => edit((s) => (s.webhook.enabled = on))} status={status} changed={changed} onTested={onTested}>
        <p className="row-note">Each alert is posted as JSON (docs/lan-api.md, section 8.9), for home automation or a chat bot.</p>
        <LevelField value={webhook.minLevel} onChange={(level) => edit((s) => (s.webhook.minLevel = level))} />
        <TextField label="Address" value={webhook.url} problem={problem('webhook', 'url')} placeholder="https://example.com/hooks/tendril" onChange={(url) => edit((s) => (s.webhook.url = url))} />
        <SecretField label="Authorization header" saved={status.settings.webhook.authorization} value={webhook.authorization} onChange={(value) => edit((s) => (s.webhook.authorization = value))} />
      </ChannelFrame>

      <ChannelFrame channel="ntfy" title="ntfy (phone app)" enabled={ntfy.enabled} onEnabled={(on) => edit((s) => (s.ntfy.enabled = on))} status={status} changed={changed} onTested={onTested}>
        <p className="row-note">Subscribe to the topic in the ntfy app; critical alerts come with the highest priority.</p>
        <LevelField value={ntfy.minLevel} onChange={(level) => edit((s) => (s.ntfy.minLevel = level))} />
        <TextField label="Server" value={ntfy.server} problem={problem('ntfy', 'server')} placeholder="https://ntfy.sh" onChange={(server) => edit((s) => (s.ntfy.server = server))} />
        <TextField label="Topic" value={ntfy.topic} problem={problem('ntfy', 'topic')} placeholder="greenhouse-3" onChange={(topic) => edit((s) => (s.ntfy.topic = topic))} />
        <SecretField label="Access token" saved={status.settings.ntfy.token} value={ntfy.token} onChange={(value) => edit((s) => (s.ntfy.token = value))} />
      </ChannelFrame>

      <ChannelFrame channel="email" title="E-mail" enabled={email.enabled} onEnabled={(on) => edit((s) => (s.email.enabled = on))} status={status} changed={changed} onTested={onTested}>
        <LevelField value={email.minLevel} onChange={(level) => edit((s) => (s.email.minLevel = level))} />
        <TextField label="SMTP server" value={email.host} problem={problem('email', 'host')} placeholder="smtp.example.com" onChange={(host) => edit((s) => (s.email.host = host))} />
        <TextField label="Port" inputMode="numeric" value={draft.port} problem={problem('email', 'port')} onChange={(port) => setDraft((current) => ({ ...current, port }))} />
        <SelectField label="Encryption" value={email.security} options={SECURITY} onChange={(security) => edit((s) => (s.email.security = security as typeof s.email.security))} />
        <TextField label="User name" value={email.user} hint="Leave empty when the server takes mail without a login." onChange={(user) => edit((s) => (s.email.user = user))} />
        <SecretField label="Password" saved={status.settings.email.password} value={email.password} onChange={(value) => edit((s) => (s.email.password = value))} />
        <TextField label="From" value={email.from} problem={problem('email', 'from')} placeholder="tendril@example.com" onChange={(from) => edit((s) => (s.email.from = from))} />
        <TextField
          label="To"
          value={draft.to}
          problem={problem('email', 'to') ?? issueUnder(parsed, 'email.to.')}
          hint="One or more addresses, separated by commas."
          onChange={(to) => setDraft((current) => ({ ...current, to }))}
        />
      </ChannelFrame>

      <div className="wizard-step">
        <h3 className="subhead">Repeats and quiet hours</h3>
        <TextField
          label="Send the same alert once per (minutes)"
          inputMode="numeric"
          value={draft.repeatWindow}
          problem={problem('repeatWindowMinutes')}
          hint="Repeats within this time are counted and sent as one message when it ends; 0 sends every one."
          onChange={(repeatWindow) => setDraft((current) => ({ ...current, repeatWindow }))}
        />
        <label className="check">
          <input type="checkbox" checked={quietHours.enabled} onChange={(event) => edit((s) => (s.quietHours.enabled = event.target.checked))} />
          Quiet hours: hold warnings and info, and send them as one summary when quiet hours end. Critical alerts always go at once.
        </label>
        {quietHours.enabled && (
          <>
            <TextField label="From" type="time" value={quietHours.start} problem={problem('quietHours', 'start')} onChange={(start) => edit((s) => (s.quietHours.start = start))} />
            <TextField label="Until" type="time" value={quietHours.end} problem={problem('quietHours', 'end')} hint="In the station computer's time." onChange={(end) => edit((s) => (s.quietHours.end = end))} />
          </>
        )}
        {status.held > 0 && <p className="row-note">{status.held === 1 ? '1 message waits' : `${status.held} messages wait`} for quiet hours to end.</p>}
      </div>

      <div className="wizard-step">
        <button type="button" className="primary" disabled={!changed || !parsed.success} onClick={() => void apply()}>
          Save notification settings
        </button>
        {save.sending && <p className="row-note">{sendingNote}</p>}
        {save.refusal && (
          <p className="field-problem" role="alert">
            {save.refusal}
          </p>
        )}
      </div>
    </fieldset>
  );
}

function issueUnder(parsed: ReturnType<typeof NOTIFY_SETTINGS_INPUT_SCHEMA.safeParse>, prefix: string): string | undefined {
  return parsed.success ? undefined : parsed.error.issues.find((issue) => `${issue.path.join('.')}.`.startsWith(prefix))?.message;
}

interface ChannelFrameProps {
  channel: NotifyChannel;
  title: string;
  enabled: boolean;
  onEnabled: (on: boolean) => void;
  status: NotifyStatus;
  /** Unsaved changes: a test uses the saved settings, so it says so. */
  changed: boolean;
  onTested: () => void;
  children: ReactNode;
}

function ChannelFrame({ channel, title, enabled, onEnabled, status, changed, onTested, children }: ChannelFrameProps) {
  const test = useCommand();
  const [result, setResult] = useState<DeliveryResult | null>(null);
  const last = result ?? status.channels[channel].last;
  const { waiting, dropped } = status.channels[channel];

  const sendTest = async () => {
    const ack = await test.send({ type: 'notify.test', channel });
    if (ack.ok) {
      setResult(ack.result as DeliveryResult);
      onTested();
    }
  };

  return (
    <div className="wizard-step">
      <h3 className="subhead">{title}</h3>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(event) => onEnabled(event.target.checked)} />
        Send alerts this way
      </label>
      {enabled && children}
      <p className="row-note" aria-live="polite">
        {last ? <LastDelivery result={last} /> : 'Nothing sent yet.'}
        {waiting > 0 && ` ${waiting} waiting to go out.`}
        {dropped > 0 && ` ${dropped} dropped because too many were waiting.`}
      </p>
      <button type="button" disabled={test.sending} onClick={() => void sendTest()}>
        {test.sending ? 'Sending a test…' : 'Send a test'}
      </button>
      {changed && <p className="row-note">A test uses the saved settings: save first to test your changes.</p>}
      {test.refusal && (
        <p className="field-problem" role="alert">
          {test.refusal}
        </p>
      )}
    </div>
  );
}

function LastDelivery({ result }: { result: DeliveryResult }) {
  const what = result.test ? 'Last test' : 'Last message';
  const tries = result.attempts > 1 ? ` after ${result.attempts} tries` : '';
  return result.ok ? (
    <span>
      {what} delivered {formatDateTime(result.at)}
      {tries}.
    </span>
  ) : (
    <span className="field-problem">
      {what} failed {formatDateTime(result.at)}
      {tries}: {result.error}
    </span>
  );
}

function LevelField({ value, onChange }: { value: string; onChange: (level: 'info' | 'warning' | 'error') => void }) {
  return <SelectField label="Which alerts" value={value} options={LEVELS} onChange={(level) => onChange(level as 'info' | 'warning' | 'error')} />;
}

/**
 * A secret is never shown, even to operators: the field starts empty, empty keeps the saved
 * one, and "Remove" sends null.
 */
function SecretField({ label, saved, value, onChange }: { label: string; saved: SecretState; value: string | null | undefined; onChange: (value: string | null) => void }) {
  const id = useId();
  const removing = value === null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={value ?? ''}
        disabled={removing}
        placeholder={saved === 'set' ? 'saved; type to replace it' : 'not set'}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className="field-hint">
        {removing ? 'It will be removed when you save.' : saved === 'set' ? 'Saved. Leave empty to keep it.' : 'Optional.'}
        {saved === 'set' && (
          <>
            {' '}
            <button type="button" onClick={() => onChange(removing ? '' : null)}>
              {removing ? 'Keep it' : 'Remove it'}
            </button>
          </>
        )}
      </p>
    </div>
  );
}
