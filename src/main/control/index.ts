export { createStationControl, type AccessDesk, type LanDesk, type MqttDesk, type Principal, type StationControl } from './station-control';
export { IdempotencyCache } from './idempotency';
