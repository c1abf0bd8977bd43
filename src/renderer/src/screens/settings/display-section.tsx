import { useUnits, type UnitSystem } from '../../units';

const SYSTEMS: Array<{ value: UnitSystem; label: string }> = [
  { value: 'metric', label: 'Metric (mL, L, °C)' },
  { value: 'us', label: 'US (fl oz, gal, °F)' },
];

/** Choices that belong to this device, not the station: a viewer may make them too. */
export function DisplaySection() {
  const system = useUnits((units) => units.system);
  const setSystem = useUnits((units) => units.setSystem);
  return (
    <section className="panel" aria-labelledby="display-heading">
      <h2 id="display-heading">This screen</h2>
      <fieldset className="choice">
        <legend>Units</legend>
        {SYSTEMS.map((option) => (
          <label key={option.value}>
            <input type="radio" name="unit-system" value={option.value} checked={system === option.value} onChange={() => setSystem(option.value)} />
            {option.label}
          </label>
        ))}
      </fieldset>
      <p className="row-note">Kept on this device only; the station always works in millilitres, litres and °C.</p>
      <h3 className="subhead">Night mode</h3>
      <p className="row-note">
        The Night mode button in the header dims the screen to red on black for the dark period, when a bright screen is a light leak. It is kept on this
        device too.
      </p>
    </section>
  );
}
