export { createLanServer, type LanServer, type LanServerOptions } from './http-server';
export { findWebRoot, WEB_CSP } from './static-files';
export { LanService, type LanServiceOptions, type LanSettingsChoice } from './lan-service';
