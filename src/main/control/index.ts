export { createStationControl, type Principal, type StationControl } from './station-control';
export { IdempotencyCache } from './idempotency';
