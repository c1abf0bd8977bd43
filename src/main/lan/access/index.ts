export { TokenStore, MIN_PRESET_LENGTH, type TokenInfo, type TokenSource, type StartTokens } from './tokens';
export { FailureLimiter, type FailureLimiterOptions, type AttemptVerdict } from './failure-limiter';
export { admit, isMissingToken, type Admission } from './admission';
export { accessDesk } from './access-desk';
export { presetTokensFromEnv, TOKEN_ENV } from './preset-tokens';
