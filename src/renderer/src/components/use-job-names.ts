import { useMemo } from 'react';
import { useStationStore } from '../store';
import { useUnits } from '../units';
import { namesFrom, type StationNames } from './job-words';

/** Channel, tank and recipe names for describing jobs; rebuilt only when those tables (or the units) change. */
export function useJobNames(): StationNames {
  const channels = useStationStore((s) => s.station?.channels);
  const tanks = useStationStore((s) => s.station?.tanks);
  const recipes = useStationStore((s) => s.station?.recipes);
  const units = useUnits((choice) => choice.system);
  return useMemo(() => namesFrom({ channels: channels ?? [], tanks: tanks ?? [], recipes: recipes ?? [] }, units), [channels, tanks, recipes, units]);
}
