/**
 * What to do about each alert the station raises, by code. The alert's own message says what
 * happened; this says where to look next. Codes come from the job engine, the schedules, the
 * station core and the controller's own alarms (docs/protocol.md, section 7).
 */
const ADVICE: Readonly<Record<string, string>> = {
  LINK_LOST:
    'The controller stopped answering (a pulled USB cable, a controller without power, a computer that suspended USB), and its watchdog switched every output off. Check the cable and the controller’s power and wait until the link shows ready; then check the tank, and start again any job that stopped and is still needed.',
  LINK_BACK: 'The controller answers again. Nothing resumed by itself: check the tank, and start again any job that stopped while it was away.',
  LINK_QUALITY:
    'Many lines between Tendril and the controller arrive damaged and are thrown away or sent again. Everything still works, more slowly, but a worse link drops out. Use a shorter or shielded USB cable, keep it away from pump and mains wires, and try another USB port.',
  LINK_QUALITY_OK: 'The link to the controller is clean again. Nothing to do.',
  CONTROLLER_RESTARTED:
    'The controller restarted while Tendril drove it, so every output went off and nothing resumed by itself. A power dip or a loose supply restarts it; a watchdog restart means its program stopped running (worth reporting with the firmware version). Check the tank, then start again what is still needed.',
  ESTOP_LATCHED:
    'The emergency stop is latched (the message says who pressed it) and every output is off. Find out why it was pressed and make the station safe, then reset the stop from a screen; resetting acknowledges this.',
  ESTOP_RESET:
    'The emergency stop was reset. Light timers switch their lights back to what they should be now; every other output stays off until someone or a schedule switches it on, and stopped jobs do not resume.',
  JOB_INTERRUPTED:
    'Tendril stopped (a restart, a crash or a power cut) while this job ran. Nothing is resumed on its own: check the tank’s level and readings first, then start the job again if it is still needed.',
  NO_FLOW:
    'The fill valve was open but the flow meter counted nothing. Check that the supply is on and has pressure, that the valve opens, and the meter’s wiring, before filling again.',
  FILL_TIMEOUT:
    'The fill ran past its time limit and was stopped. Check the supply pressure, a half-closed tap or a clogged filter. If the supply is simply slow, raise the fill timeout in the safety settings.',
  FILL_LEVEL:
    'The level sensor reached the tank’s limit before the fill was done, so the valve was closed. The tank is full; if it is not, check the level sensor against the tank.',
  FILL_LEVEL_STILL:
    'The flow meter counted water going in but the level did not rise, so the valve was closed. Look at the tank: if it is fuller than the level reads, the level sensor is stuck (clean or replace it); if it is not, look for a leak, a loose hose or the wrong valve. Fill again only once the level moves with the water.',
  FILL_NO_LEVEL:
    'The fill did not start because the level sensor is silent or reads something no tank can hold, so there was no telling how much room is left. Check the level sensor and its cable; the fill can start once its readings are believable again.',
  FILL_CAPACITY:
    'The fill was refused because it would take the tank past its capacity less the headroom. Drain some water first, or fill less.',
  DOSE_SHORT:
    'The pump stopped before the whole dose went in. Check the tubing and the reservoir; the dose audit (History, CSV export) shows what was delivered. Check EC and pH before dosing again, so the tank is not dosed twice.',
  SENSOR_NO_RESPONSE:
    'Doses did not move the reading, so a probe fault is suspected and dosing stopped. Clean the probe and calibrate it (Settings → Calibration, pH and EC probes), check its cable, and check that the dosing tubing is not blocked before adjusting again.',
  SENSOR_STUCK:
    'The probe’s reading has not moved for a long time (or did not answer a dose), which a working probe never does, so closed loops will not dose on it. Check that it is in the water and not dried out, clean it and calibrate it (Settings → Calibration), and measure by hand. It is trusted again once its reading moves normally for a couple of minutes.',
  SENSOR_RANGE:
    'The probe reports a value no tank can have (a pH outside 0–14, a negative EC, a level past the tank), so closed loops will not dose on it. Check its cable and connector, and that it is in the water; calibrate it if it reads again.',
  SENSOR_JUMP:
    'The reading jumped further in a moment than any dose, fill or drain can move a tank: a loose connector, interference or a failing probe. Closed loops will not dose on it until it reads steadily again. Check the cable and measure by hand.',
  PROBE_CALIBRATION_DUE:
    'Probes drift, and this one was calibrated longer ago than the reminder age (sensorHealth.calibrationReminderDays, 30 days unless set). Calibrate it in Settings → Calibration with fresh buffer or calibration solution.',
  SENSOR_OK: 'A probe that was suspect reads normally again, so closed loops may dose on it. Check the tank by hand if a loop stopped on it earlier.',
  SENSOR_SUSPECT:
    'An adjustment would not dose because its probe is suspect (the reason is in the message). Check the probe in the tank and measure by hand; the adjustment can start once the probe reads normally again.',
  READING_STALE:
    'The sensor stopped sending fresh readings, so the adjustment stopped rather than dose blind. Check the probe’s cable and the controller, then start the adjustment again.',
  READING_LOW:
    'A reading fell below its alarm limit and stayed there for the hold time (the message names the tank, the reading and the limit). Measure by hand to rule out the probe, then correct the tank: top up a low level, dose nutrients for a low EC, pH up for a low pH, warm the water. The limits are in Settings, Reading alarms.',
  READING_HIGH:
    'A reading rose above its alarm limit and stayed there for the hold time (the message names the tank, the reading and the limit). Measure by hand to rule out the probe, then correct the tank: add water for a high EC, pH down for a high pH, drain a tank that is too full, cool the water. The limits are in Settings, Reading alarms.',
  READING_BACK: 'A reading that was past its alarm limit is back in band, by the hysteresis margin, for the hold time. Nothing to do; check what moved it if nobody did.',
  NO_CIRCULATION:
    'Circulation was off, so a dose would not mix and the probe would read the wrong water. Switch circulation on and start the job again.',
  MIX_CUT:
    'The controller switched the mixer or pump off before the mix had run its time, so the tank may not be mixed. Check the relay’s time bound on the controller, then run the mix again before dosing.',
  NOT_IN_BAND:
    'A recipe waited for a reading to come into range and gave up, so the recipe stopped at that step. Check the tank and the sensor before running the rest by hand.',
  LOOP_CAP:
    'The adjustment used its whole dosing cap without reaching the target. Check the tank’s volume, the reservoir’s strength and the probe before adjusting again.',
  CANNOT_ADJUST:
    'The reading is off in a direction this tank has no pump for (EC too high, or no pH pump for that way). Correct it by hand: EC comes down by adding water.',
  NO_END_REPORT:
    'The controller did not report the end of an action in time, so Tendril told it to stop. Check that channel, the link statistics and the controller’s firmware.',
  RECIPE_NOTE: 'A note written into a recipe step, for whoever is at the station. Do what it asks; the recipe carries on by itself.',
  SCHEDULE_SKIPPED:
    'A schedule came due but its job could not start (the reason is in the message). Fix that, then start the job by hand if this run is still needed; the next run is planned as usual.',
  LIGHT_NOT_SWITCHED:
    'A light timer could not switch its relay (the reason is in the message). Check the relay on the Overview and switch it by hand if needed.',
  SCHEDULE_MISMATCH:
    'A light has been in the wrong state for its timer for a few minutes, and Tendril did not switch it: a switch by hand, a relay that did not take the command, or wiring. Check the light itself, then switch it as the timer says, or disable the timer if it is meant to be this way for now.',
  SCHEDULE_BREAKS_CAPS:
    'A saved schedule would be refused at every run by the safety caps (the message names the cap and its value), usually because the caps were lowered or a recipe it runs was changed. Edit the schedule to dose or fill less, or less often, or disable it; raise the cap in the safety settings only if the schedule is right.',
  WATCHDOG:
    'The controller heard nothing from Tendril for a few seconds and switched every output off. Check the USB cable, and that the computer does not sleep or suspend USB.',
  BOUND: 'The controller ended a dose or a fill at its own safety bound. Check the pump or valve, and its calibration (Settings).',
  SENSOR: 'A sensor failed to read. Check its cable and connector, then watch the Overview for fresh readings.',
  HIGHLEVEL:
    'The tank’s high-level float switch came up, so the controller closed every fill valve by itself and will not open one until the water is down. Find out why the tank got so full (a valve that sticks, a wrong volume or flow meter calibration), then drain a little before filling again.',
  ESTOP: 'The emergency stop is latched and every output is off. Find out why it was pressed and make the station safe before resetting it.',
};

/** The advice for a code, or undefined for one this screen does not know. */
export function adviceFor(code: string): string | undefined {
  return Object.hasOwn(ADVICE, code) ? ADVICE[code] : undefined;
}

export const ADVISED_CODES: readonly string[] = Object.keys(ADVICE);
