import { useViewOnly } from './view-only';

/** Says why nothing here can be switched, and how to get a screen that can. */
export function ViewOnlyNotice() {
  const viewOnly = useViewOnly();
  if (!viewOnly) return null;
  return (
    <details className="banner banner-view-only">
      <summary>This screen watches the station and cannot control it. The emergency stop still works.</summary>
      <p>
        It was paired with a viewer link. To control the station from here, pair again with an operator link: headless Tendril prints
        one when it starts (&ldquo;Pair a screen to control&rdquo;), and the desktop app shows one in Settings → LAN. Open that link or
        scan its QR code on this device.
      </p>
    </details>
  );
}
