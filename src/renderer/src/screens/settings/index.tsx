import { ControllerSection } from './controller-section';
import { DisplaySection } from './display-section';
import { FlowCalibration } from './flow-calibration';
import { LanSection } from './lan-section';
import { NotificationsSection } from './notifications-section';
import { PumpCalibration } from './pump-calibration';
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
        <PumpCalibration />
        <FlowCalibration />
      </div>
      <TanksSection />
      <DisplaySection />
      <ReadingAlarmsSection />
      <SafetySection />
      <LanSection />
      <NotificationsSection />
    </div>
  );
}
