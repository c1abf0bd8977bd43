import { useEffect, useRef, type ComponentType } from 'react';
import { OfflineBanner } from './components/OfflineBanner';
import { SafetyBanners } from './components/SafetyBanners';
import { ScreenNav } from './components/ScreenNav';
import { SCREENS, type ScreenId } from './components/screens';
import { StationHeader } from './components/StationHeader';
import { StatusStrip } from './components/StatusStrip';
import { useScreen } from './components/use-screen';
import { ViewOnlyNotice } from './components/ViewOnlyNotice';
import { AlertsScreen, AlertToasts } from './screens/alerts';
import { HistoryScreen } from './screens/history';
import { JobsScreen } from './screens/jobs';
import { OverviewScreen } from './screens/overview';
import { SchedulesScreen } from './screens/schedules';
import { SettingsScreen } from './screens/settings';
import { StationsScreen } from './screens/stations';

const SCREEN_COMPONENTS: Record<ScreenId, ComponentType> = {
  overview: OverviewScreen,
  jobs: JobsScreen,
  schedules: SchedulesScreen,
  history: HistoryScreen,
  alerts: AlertsScreen,
  stations: StationsScreen,
  settings: SettingsScreen,
};

/**
 * The frame every screen sits in. The header (with the emergency stop), the station's status
 * and the safety banners stay the same whichever screen is open.
 */
export function App() {
  const screen = useScreen();
  const Screen = SCREEN_COMPONENTS[screen];
  const main = useFocusOnNavigation(screen);
  return (
    <>
      <StationHeader />
      <StatusStrip />
      <ScreenNav current={screen} />
      <div className="banners">
        <OfflineBanner />
        <SafetyBanners />
        <ViewOnlyNotice />
      </div>
      <main ref={main} className="screen" data-screen={screen} aria-label={SCREENS.find((s) => s.id === screen)?.label} tabIndex={-1}>
        <Screen />
      </main>
      <AlertToasts />
    </>
  );
}

/**
 * After a move to another screen, focus goes to its content, so a keyboard or screen reader
 * user lands there rather than back at the top. Not on first load: the page keeps its start.
 */
function useFocusOnNavigation(screen: ScreenId) {
  const main = useRef<HTMLElement>(null);
  const shown = useRef(screen);
  useEffect(() => {
    if (shown.current === screen) return;
    shown.current = screen;
    main.current?.focus({ preventScroll: true });
  }, [screen]);
  return main;
}
