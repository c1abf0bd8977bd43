import { useEffect, useState } from 'react';
import {
  DEFAULT_EC_SOLUTIONS,
  DEFAULT_PH_BUFFERS,
  PROBE_POINTS,
  STABLE_WINDOW_MS,
  stability,
  type ProbeKind,
  type ProbePoint,
} from '../../../../shared/probe-calibration';
import { useCommand } from '../../components/use-command';
import { confirmWords, spread } from './calibration-maths';
import { useViewOnly } from '../../components/view-only';
import { useStationStore } from '../../store';
import { SelectField, TextField } from '../schedules/fields';
import { useStationOptions } from '../schedules/station-options';
import { formatDate } from './dates';

/**
 * Calibrate a pH or EC probe: dip it in a solution, wait for the raw reading to settle, capture,
 * next solution, then save the line through the points and read what it says about the probe.
 * The station does the fit and applies it to every reading; this screen shows the raw value the
 * controller sends, so the grower sees what is being corrected.
 */
export function ProbeCalibrationWizard() {
  const readOnly = useViewOnly();
  const { nameOf } = useStationOptions();
  const channels = useStationStore((s) => s.station?.channels);
  const probes = (channels ?? []).filter((channel) => channel.kind === 'ph' || channel.kind === 'ec');
  const [chosen, setChosen] = useState('');
  const sensorId = chosen || probes[0]?.id || '';
  const kind = probes.find((probe) => probe.id === sensorId)?.kind as ProbeKind | undefined;
  const reading = useStationStore((s) => (sensorId ? s.station?.readings[sensorId] : undefined));
  const calibrations = useStationStore((s) => s.station?.calibration.probes);
  const current = sensorId ? calibrations?.[sensorId] : undefined;

  const [points, setPoints] = useState<ProbePoint[]>([]);
  const [solution, setSolution] = useState('');
  const [captureAnyway, setCaptureAnyway] = useState(false);
  const [saveAnyway, setSaveAnyway] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const capture = useCommand();
  const save = useCommand();
  const reset = useCommand();

  // The raw readings of the last window, for the settled signal; the station judges it the same way.
  const [samples, setSamples] = useState<Array<{ value: number; at: number }>>([]);
  const raw = reading ? (reading.raw ?? reading.value) : undefined;
  useEffect(() => {
    if (!reading || raw === undefined) return;
    setSamples((earlier) => [...earlier.filter((sample) => sample.at > reading.at - STABLE_WINDOW_MS - 5_000), { value: raw, at: reading.at }]);
  }, [reading, raw]);
  useEffect(() => {
    setSamples([]);
    setPoints([]);
    setSaved(null);
    setConfirmingReset(false);
  }, [sensorId]);

  const settled = kind && reading ? stability(kind, samples, reading.at) : null;
  const defaults = kind === 'ec' ? DEFAULT_EC_SOLUTIONS : DEFAULT_PH_BUFFERS;
  const suggested = defaults.find((value) => !points.some((point) => point.nominal === value)) ?? defaults[0]!;
  const solutionText = solution === '' ? String(suggested.toFixed(kind === 'ec' ? 3 : 2)) : solution;
  const solutionValue = Number(solutionText);
  const solutionOk = solutionText.trim() !== '' && Number.isFinite(solutionValue) && solutionValue > 0 && solutionValue <= 14;
  const unit = kind === 'ec' ? 'mS/cm' : 'pH';
  const needed = kind ? PROBE_POINTS[kind] : { min: 2, max: 3 };
  const saveNeedsConfirm = save.refusal?.includes('confirm: true') ?? false;
  const captureNeedsConfirm = capture.refusal?.includes('confirm: true') ?? false;

  const captureNow = async () => {
    // The wizard's first point starts a new calibration on the station too, so points captured
    // before "Start over" (or on another screen, never saved) are not saved with these.
    const ack = await capture.send({ type: 'calibration.probe.capture', sensorId, solution: solutionValue, ...(captureAnyway ? { confirm: true } : {}), ...(points.length === 0 ? { first: true } : {}) });
    if (!ack.ok) return;
    setPoints((ack.result as { points: ProbePoint[] }).points);
    setSolution('');
    setCaptureAnyway(false);
    setSaved(null);
  };

  const saveNow = async () => {
    const ack = await save.send({ type: 'calibration.probe.save', sensorId, ...(saveAnyway ? { confirm: true } : {}) });
    if (!ack.ok) return;
    const result = ack.result as { slope: number; offset: number; health: { words: string } };
    setPoints([]);
    setSaveAnyway(false);
    setSaved(`Saved: slope ${result.slope}, offset ${result.offset}. ${capitalise(result.health.words)}.`);
  };

  const resetNow = async () => {
    const ack = await reset.send({ type: 'calibration.probe.reset', sensorId });
    setConfirmingReset(false);
    if (!ack.ok) return;
    setPoints([]);
    setSaved(`${nameOf(sensorId)} is uncalibrated: its readings are the controller's own again.`);
  };

  return (
    <section className="panel wizard" aria-labelledby="probe-calibration-heading">
      <h2 id="probe-calibration-heading">pH and EC probe calibration</h2>
      <fieldset disabled={readOnly} className="wizard-steps">
        <div className="wizard-step">
          <SelectField
            label="Probe"
            value={sensorId}
            // A probe by its name; its id only tells two probes of one name apart.
            options={probes.map((probe) => ({ value: probe.id, label: probes.filter((other) => other.name === probe.name).length > 1 ? `${probe.name} (${probe.id})` : probe.name }))}
            none="no pH or EC probe reported yet"
            onChange={(id) => setChosen(id)}
          />
          {sensorId && (
            <p className="row-note">
              {current
                ? `Calibrated ${formatDate(current.at)} by ${current.by} from ${current.points.length} point${current.points.length === 1 ? '' : 's'}: slope ${current.slope}, offset ${current.offset}.`
                : 'Not calibrated: readings are the controller’s own.'}
            </p>
          )}
        </div>

        {kind && (
          <div className="wizard-step">
            <p aria-live="polite">
              Raw reading: <strong data-testid="probe-raw">{raw === undefined ? 'no reading yet' : `${raw} ${unit}`}</strong>
              {reading?.raw !== undefined && ` (calibrated ${reading.value} ${unit})`}
            </p>
            <p className={settled?.stable ? 'probe-stable' : 'probe-settling'} role="status" data-testid="probe-stability">
              {settled?.stable
                ? `Stable: steady for ${STABLE_WINDOW_MS / 1000} s (±${spread(settled.deviation)} ${unit})`
                : `Settling: ${settled ? `watched ${Math.floor(settled.watchedMs / 1000)} s, ±${spread(settled.deviation)} ${unit}` : 'waiting for readings'}; wait until it is stable before capturing`}
            </p>
            <p>
              Point {Math.min(points.length + 1, needed.max)} of {needed.min === needed.max ? needed.min : `${needed.min}–${needed.max}`}: rinse the probe, dip it in the
              solution and wait for “Stable”.
            </p>
            <TextField
              label={`Solution (${unit} on the bottle)`}
              inputMode="decimal"
              value={solutionText}
              problem={solutionOk ? undefined : `enter the value on the bottle, more than 0 and at most 14 (${kind === 'ph' ? '4.00, 7.00 or 10.01' : 'such as 1.413'})`}
              hint={kind === 'ph' ? 'The buffer’s value at the water temperature is worked out from the buffer tables.' : 'Compensated to 25 °C at 2% per °C.'}
              onChange={(text) => setSolution(text)}
            />
            {captureNeedsConfirm && (
              <label className="check">
                <input type="checkbox" checked={captureAnyway} onChange={(event) => setCaptureAnyway(event.target.checked)} />
                Capture it as it is, although it has not settled
              </label>
            )}
            <div className="editor-actions">
              <button type="button" className="primary" disabled={!solutionOk || capture.sending || points.length >= needed.max + 1} onClick={() => void captureNow()}>
                Capture point
              </button>
            </div>
            {capture.refusal && (
              <p className="field-problem" role="alert">
                {confirmWords(capture.refusal)}
              </p>
            )}
            {points.length > 0 && (
              <ul className="probe-points" aria-label="Captured points">
                {points.map((point) => (
                  <li key={point.nominal}>
                    {point.nominal} {unit}
                    {point.reference !== point.nominal ? ` (${point.reference} at ${point.tempC} °C)` : ''}: read {point.raw}
                  </li>
                ))}
              </ul>
            )}
            {saveNeedsConfirm && (
              <label className="check">
                <input type="checkbox" checked={saveAnyway} onChange={(event) => setSaveAnyway(event.target.checked)} />
                I have checked the solutions and the probe: save it anyway
              </label>
            )}
            <div className="editor-actions">
              <button type="button" className="primary" disabled={points.length < needed.min || save.sending} onClick={() => void saveNow()}>
                Save probe calibration
              </button>
              <button type="button" disabled={points.length === 0} onClick={() => setPoints([])}>
                Start over
              </button>
            </div>
            {save.refusal && (
              <p className="field-problem" role="alert">
                {confirmWords(save.refusal)}
              </p>
            )}
            {current &&
              (confirmingReset ? (
                <div className="editor-actions" role="group" aria-label="Confirm the reset">
                  <p>Reset {nameOf(sensorId)} to uncalibrated? Its readings will be the controller’s own, and this calibration is no longer applied.</p>
                  <button type="button" className="danger" disabled={reset.sending} onClick={() => void resetNow()}>
                    Yes, reset to uncalibrated
                  </button>
                  <button type="button" onClick={() => setConfirmingReset(false)}>
                    Keep the calibration
                  </button>
                </div>
              ) : (
                <div className="editor-actions">
                  <button type="button" onClick={() => setConfirmingReset(true)}>
                    Reset to uncalibrated…
                  </button>
                </div>
              ))}
            {reset.refusal && (
              <p className="field-problem" role="alert">
                {reset.refusal}
              </p>
            )}
          </div>
        )}
      </fieldset>
      {saved && (
        <p className="wizard-saved" role="status">
          {saved}
        </p>
      )}
    </section>
  );
}

function capitalise(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

