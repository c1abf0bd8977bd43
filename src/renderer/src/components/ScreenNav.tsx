import { SCREENS, type ScreenId } from './screens';

/** Plain links: Tab and Enter move between screens, and the back button works as everywhere else. */
export function ScreenNav({ current }: { current: ScreenId }) {
  return (
    <nav className="screen-nav" aria-label="Screens">
      <ul>
        {SCREENS.map((screen) => (
          <li key={screen.id}>
            <a href={screen.hash} aria-current={screen.id === current ? 'page' : undefined}>
              {screen.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
