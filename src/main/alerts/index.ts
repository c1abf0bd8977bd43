export { AlertBook, type AlertBookOptions, type AlertInput } from './alert-book';
export { LINK_GRACE_MS, QUALITY_DEGRADED_RATIO, QUALITY_HEALTHY_RATIO, QUALITY_WINDOW_MS, StationWatch, type StationWatchOptions } from './station-watch';
