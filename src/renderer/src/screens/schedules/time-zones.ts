/** Every zone this browser knows, for the picker's suggestions; typing any IANA name also works. */
export function knownTimeZones(): string[] {
  try {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes('UTC') ? zones : ['UTC', ...zones];
  } catch {
    return ['UTC'];
  }
}
