import { ControllerSection } from './controller-section';
import { DisplaySection } from './display-section';
import { CalibrationWizard } from './calibration-wizard';
import { ProbeCalibrationWizard } from './probe-calibration-wizard';
import { LanSection } from './lan-section';
import { MqttSection } from './mqtt-section';
import { NotificationsSection } from './notifications-section';
import { ReadingAlarmsSection } from './reading-alarms-section';
import { SafetySection } from './safety-section';
import { TanksSection } from './tanks-section';
import '../schedules/forms.css';
import './settings.css';

export function SettingsScreen() {
  return (
    <div className="screen-stack settings-screen">
      <ControllerSection />
      <div className="settings-pair">
        <CalibrationWizard kind="pump" />
        <CalibrationWizard kind="flow" />
      </div>
      <ProbeCalibrationWizard />
      <TanksSection />
      <DisplaySection />
      <ReadingAlarmsSection />
      <SafetySection />
      <LanSection />
      <NotificationsSection />
      <MqttSection />
    </div>
  );
}
