import { useState } from 'react';
import { DEFAULT_READING_ALARMS, isSensorKind, type ReadingAlarmSettings, type ReadingLimits } from '../../../../shared/reading-alarms';
import type { Channel, SensorKind, Tank } from '../../../../shared/station';
import { useCommand, useSendingNote } from '../../components/use-command';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { sensorUnit } from '../../format';
import { useStationStore } from '../../store';
import { useUnits } from '../../units';
import { TextField } from '../schedules/fields';
import { LIMIT_FIELDS, limitLabel, limitScale, limitsDraftOf, limitsFromDraft, limitsSummary, type LimitsDraft } from './alarm-limits-draft';
import './reading-alarms.css';

const NONE: never[] = [];
const KIND_NAMES: Record<SensorKind, string> = { ph: 'pH', ec: 'EC', temp: 'Water temperature', level: 'Level' };
const KINDS: readonly SensorKind[] = ['ph', 'ec', 'temp', 'level'];

type SensorChannel = Channel & { kind: SensorKind };
/** What an edit changes: one sensor's own limits, or a kind's defaults. */
type Target = { sensorId: string } | { kind: SensorKind };

/** Reading alarms: the limits every pH, EC, temperature and level reading is held to. */
export function ReadingAlarmsSection() {
  const readOnly = useViewOnly();
  const settings = useStationStore((s) => s.station?.readingAlarms ?? null);
  const tanks = useStationStore((s) => s.station?.tanks ?? NONE);
  const channels = useStationStore((s) => s.station?.channels ?? NONE);
  const [editing, setEditing] = useState<string | null>(null);
  const sensors = channels.filter((channel): channel is SensorChannel => isSensorKind(channel.kind));
  const groups = sensorGroups(tanks, sensors);

  return (
    <section className="panel" aria-labelledby="reading-alarms-heading">
      <h2 id="reading-alarms-heading">Reading alarms</h2>
      <p className="row-note">
        A reading past a limit for the hold time raises an alert, and the Overview tile says so. It clears once the reading is back inside by the hysteresis, for
        as long. Limits are in this screen’s units; a level’s may be in percent of its tank.
      </p>
      {!settings ? (
        <p className="empty">Waiting for the station…</p>
      ) : (
        <>
          {groups.map((group) => (
            <div key={group.name}>
              <h3 className="subhead">{group.name}</h3>
              <ul className="rows">
                {group.sensors.map((channel) => (
                  <AlarmRow
                    key={channel.id}
                    title={channel.name || channel.id}
                    target={{ sensorId: channel.id }}
                    kind={channel.kind}
                    unit={sensorUnit(channel)}
                    settings={settings}
                    readOnly={readOnly}
                    editing={editing === `sensor:${channel.id}`}
                    onEdit={(on) => setEditing(on ? `sensor:${channel.id}` : null)}
                  />
                ))}
              </ul>
            </div>
          ))}
          <h3 className="subhead">Defaults for every sensor of a kind</h3>
          <ul className="rows">
            {KINDS.map((kind) => (
              <AlarmRow
                key={kind}
                title={KIND_NAMES[kind]}
                target={{ kind }}
                kind={kind}
                unit={sensorUnit({ id: kind, kind, name: kind })}
                settings={settings}
                readOnly={readOnly}
                editing={editing === `kind:${kind}`}
                onEdit={(on) => setEditing(on ? `kind:${kind}` : null)}
              />
            ))}
          </ul>
        </>
      )}
      {readOnly && <p className="row-note">{VIEW_ONLY_HINT}. Operators change the limits here.</p>}
    </section>
  );
}

function sensorGroups(tanks: Tank[], sensors: SensorChannel[]): Array<{ name: string; sensors: SensorChannel[] }> {
  const claimed = new Set(tanks.flatMap((tank) => tank.channelIds));
  const groups = tanks
    .map((tank) => ({ name: tank.name, sensors: sensors.filter((channel) => tank.channelIds.includes(channel.id)) }))
    .filter((group) => group.sensors.length > 0);
  const loose = sensors.filter((channel) => !claimed.has(channel.id));
  if (loose.length > 0) groups.push({ name: 'Sensors in no tank', sensors: loose });
  return groups;
}

interface AlarmRowProps {
  title: string;
  target: Target;
  kind: SensorKind;
  unit: string;
  settings: ReadingAlarmSettings;
  readOnly: boolean;
  editing: boolean;
  onEdit: (on: boolean) => void;
}

function AlarmRow({ title, target, kind, unit, settings, readOnly, editing, onEdit }: AlarmRowProps) {
  const own = 'sensorId' in target ? settings.sensors[target.sensorId] : undefined;
  const limits = own ?? settings.kinds[kind];
  const from = 'sensorId' in target ? (own ? 'its own limits' : `the ${KIND_NAMES[kind]} defaults`) : null;
  const system = useUnits((units) => units.system);
  return (
    <li className="row reading-alarm-row">
      <span className="row-name">{title}</span>
      <span className="row-note">
        {limitsSummary(limits, limitScale(unit, system, limits.percentOfCapacity ?? false))}
        {from && ` (${from})`}
      </span>
      {!editing && (
        <button
          type="button"
          disabled={readOnly}
          title={readOnly ? VIEW_ONLY_HINT : undefined}
          aria-label={'sensorId' in target ? `Change the alarm limits of ${title}` : `Change the default alarm limits for ${title}`}
          onClick={() => onEdit(true)}
        >
          Change
        </button>
      )}
      {editing && <LimitsForm title={title} target={target} kind={kind} unit={unit} limits={limits} canReset={own !== undefined || 'kind' in target} onDone={() => onEdit(false)} />}
    </li>
  );
}

interface LimitsFormProps {
  title: string;
  target: Target;
  kind: SensorKind;
  unit: string;
  limits: ReadingLimits;
  canReset: boolean;
  onDone: () => void;
}

function LimitsForm({ title, target, kind, unit, limits, canReset, onDone }: LimitsFormProps) {
  const system = useUnits((units) => units.system);
  const [draft, setDraft] = useState(() => limitsDraftOf(limits, limitScale(unit, system, limits.percentOfCapacity ?? false)));
  const configure = useCommand();
  const sendingNote = useSendingNote();
  const scale = limitScale(unit, system, draft.percentOfCapacity);
  const checked = limitsFromDraft(draft, scale, limits);
  const problem = 'problem' in checked ? checked : null;
  const shownUnit = scale.unit;
  const set = (field: keyof LimitsDraft) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));

  // The draft stays as typed when the station refuses, so nothing is lost; the refusal says why.
  const send = async (next: ReadingLimits | null) => {
    const ack = await configure.send({ type: 'alarms.configure', ...target, limits: next });
    if (ack.ok) onDone();
  };

  return (
    <fieldset className="wizard-steps reading-alarm-form" disabled={configure.sending}>
      <legend className="visually-hidden">Reading alarm limits for {title}</legend>
      <div className="wizard-step">
        {LIMIT_FIELDS.map(([field, label]) => (
          <TextField
            key={field}
            label={limitLabel(label, shownUnit)}
            inputMode="decimal"
            value={draft[field]}
            problem={problem?.field === field ? problem.problem : undefined}
            onChange={set(field)}
          />
        ))}
        <TextField
          label={limitLabel('Hysteresis', shownUnit)}
          inputMode="decimal"
          value={draft.hysteresis}
          hint="how far back inside a limit a reading must come to clear"
          problem={problem?.field === 'hysteresis' ? problem.problem : undefined}
          onChange={set('hysteresis')}
        />
        <TextField
          label="Hold (seconds)"
          inputMode="numeric"
          value={draft.holdSeconds}
          hint="how long a crossing or a clearing must last"
          problem={problem?.field === 'holdSeconds' ? problem.problem : undefined}
          onChange={set('holdSeconds')}
        />
        {kind === 'level' && (
          <label className="check">
            <input type="checkbox" checked={draft.percentOfCapacity} onChange={(event) => setDraft((current) => ({ ...current, percentOfCapacity: event.target.checked }))} />
            Limits in percent of the tank’s capacity
          </label>
        )}
        {problem && !problem.field && (
          <p className="field-problem" role="alert">
            {problem.problem}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="primary" disabled={problem !== null} onClick={() => 'limits' in checked && void send(checked.limits)}>
            Save the limits
          </button>
          {canReset && (
            <button type="button" onClick={() => void send(null)}>
              {'kind' in target ? 'Back to the built-in defaults' : `Use the ${KIND_NAMES[kind]} defaults`}
            </button>
          )}
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
        {'kind' in target && (
          <p className="row-note">Built in: {limitsSummary(DEFAULT_READING_ALARMS.kinds[kind], limitScale(unit, system, DEFAULT_READING_ALARMS.kinds[kind].percentOfCapacity ?? false))}.</p>
        )}
        {configure.sending && <p className="row-note">{sendingNote}</p>}
        {configure.refusal && (
          <p className="field-problem" role="alert">
            {configure.refusal}
          </p>
        )}
      </div>
    </fieldset>
  );
}
