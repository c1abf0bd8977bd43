import type { Channel } from '../../../../shared/station';
import { relaysFor, tankLimitHint, type JobDraft, type JobField, type StationTables } from '../../job-spec-form';
import { tankVolumeUnit, type UnitSystem } from '../../units';
import { doseCapHint } from '../../components/dose-volume';
import { useStationStore } from '../../store';
import { NumberField, Picker } from './fields';

interface JobFieldsProps {
  form: JobDraft;
  tables: StationTables;
  units: UnitSystem;
  problemOf: (field: JobField) => string | undefined;
  onChange: (field: keyof JobDraft, specField: JobField, value: string) => void;
}

/** The fields of the chosen kind of job, with pickers filled from the station's own tables. */
export function JobFields({ form, tables, units, problemOf, onChange }: JobFieldsProps) {
  const limits = useStationStore((s) => s.station?.limits ?? null);
  const options = (kind: Channel['kind']) => tables.channels.filter((channel) => channel.kind === kind).map((channel) => ({ value: channel.id, label: channel.name }));
  const tankPicker = (
    <Picker
      label="Tank"
      value={form.tankId}
      options={tables.tanks.map((tank) => ({ value: tank.id, label: tank.name }))}
      none="No tanks configured"
      problem={problemOf('tankId')}
      onChange={(value) => onChange('tankId', 'tankId', value)}
    />
  );
  switch (form.kind) {
    case 'dose': {
      const pump = tables.channels.find((channel) => channel.id === form.pumpId);
      return (
        <div className="start-job-fields">
          <Picker label="Pump" value={form.pumpId} options={options('pump')} none="No dosing pumps" problem={problemOf('pumpId')} onChange={(value) => onChange('pumpId', 'pumpId', value)} />
          <NumberField
            label="Volume (mL)"
            value={form.ml}
            problem={problemOf('ml')}
            hint={pump ? doseCapHint(pump, limits) : undefined}
            onChange={(value) => onChange('ml', 'ml', value)}
          />
        </div>
      );
    }
    case 'fill':
      return (
        <div className="start-job-fields">
          {tankPicker}
          <NumberField label={`Water to add (${tankVolumeUnit(units)})`} value={form.liters} problem={problemOf('liters')} onChange={(value) => onChange('liters', 'liters', value)} />
        </div>
      );
    case 'fill-to':
    case 'drain-to':
      return (
        <div className="start-job-fields">
          {tankPicker}
          <NumberField
            label={`${form.kind === 'fill-to' ? 'Fill' : 'Drain'} to (${tankVolumeUnit(units)})`}
            value={form.toLiters}
            problem={problemOf('toLiters')}
            hint={tankLimitHint(tables, form.tankId, form.kind, units)}
            onChange={(value) => onChange('toLiters', 'toLiters', value)}
          />
        </div>
      );
    case 'drain':
      return (
        <div className="start-job-fields">
          {tankPicker}
          <NumberField
            label={`Water to let out (${tankVolumeUnit(units)})`}
            value={form.liters}
            problem={problemOf('liters')}
            hint={tankLimitHint(tables, form.tankId, form.kind, units)}
            onChange={(value) => onChange('liters', 'liters', value)}
          />
        </div>
      );
    case 'mix':
      return (
        <div className="start-job-fields">
          {/* Mixing and circulation relays first; fill and drain valves never, they open only in their jobs. */}
          <Picker label="Relay" value={form.relayId} options={relaysFor(tables, 'mix').map((channel) => ({ value: channel.id, label: channel.name }))} none="No relays" problem={problemOf('relayId')} onChange={(value) => onChange('relayId', 'relayId', value)} />
          <NumberField label="Run for (seconds)" value={form.seconds} problem={problemOf('seconds')} onChange={(value) => onChange('seconds', 'seconds', value)} />
        </div>
      );
    case 'adjust-ph':
      return (
        <div className="start-job-fields">
          {tankPicker}
          <NumberField label="Target pH" value={form.phTarget} problem={problemOf('target')} onChange={(value) => onChange('phTarget', 'target', value)} />
          <NumberField label="Band (± pH)" value={form.phBand} problem={problemOf('band')} hint="done once the reading is this close" onChange={(value) => onChange('phBand', 'band', value)} />
        </div>
      );
    case 'adjust-ec':
      return (
        <div className="start-job-fields">
          {tankPicker}
          <NumberField label="Target EC (mS/cm)" value={form.ecTarget} problem={problemOf('target')} onChange={(value) => onChange('ecTarget', 'target', value)} />
          <NumberField label="Band (± mS/cm)" value={form.ecBand} problem={problemOf('band')} hint="done once the reading is this close" onChange={(value) => onChange('ecBand', 'band', value)} />
        </div>
      );
    case 'recipe':
      // Recipes run from their own list, where their steps are read back first.
      return null;
  }
}
