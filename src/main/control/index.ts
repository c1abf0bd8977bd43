export { createStationControl, type AccessDesk, type LanDesk, type Principal, type StationControl } from './station-control';
export { IdempotencyCache } from './idempotency';
