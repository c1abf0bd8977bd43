/**
 * Tokens chosen by automation: a deployment that provisions phones ahead of time sets them in
 * the environment, so the links it prints keep working across restarts.
 */
import type { Role } from '../../../shared/station';
import type { TokenStore } from './tokens';

export const TOKEN_ENV: Record<Role, string> = {
  viewer: 'TENDRIL_VIEWER_TOKEN',
  operator: 'TENDRIL_OPERATOR_TOKEN',
};

/** Registers the tokens automation chose through the environment; returns any complaint. */
export function presetTokensFromEnv(tokens: TokenStore, env: NodeJS.ProcessEnv): string | null {
  for (const role of ['viewer', 'operator'] as const) {
    const secret = env[TOKEN_ENV[role]];
    if (secret === undefined || secret === '') continue;
    try {
      tokens.preset(role, secret, `${TOKEN_ENV[role]}`);
    } catch (err) {
      return `${TOKEN_ENV[role]}: ${(err as Error).message}`;
    }
  }
  return null;
}
