/**
 * The pairing tokens on disk. Only hashes are written, so a copied data folder or a backup of it
 * lets no one in. The file belongs to the grower: one that cannot be understood is refused, never
 * rewritten, so pairing is lost only when the grower chooses to lose it.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { replaceJsonFile } from '../../files/json-file';

const FILE_VERSION = 1;

const storedToken = z.object({
  id: z.string().min(1),
  role: z.enum(['viewer', 'operator']),
  label: z.string(),
  createdAt: z.number(),
  usedAt: z.number().nullable(),
  // Tokens from the environment are never written, so a file holding one was not written by us.
  source: z.enum(['paired', 'start']),
  hash: z.string().regex(/^[0-9a-f]{64}$/, { error: 'hash must be 64 lowercase hex digits' }),
});

const tokenFile = z.object({ version: z.literal(FILE_VERSION), tokens: z.array(storedToken) });

export type StoredToken = z.infer<typeof storedToken>;

/** Reads the tokens; a missing file is a station nobody has paired with yet. */
export async function readTokenFile(file: string): Promise<StoredToken[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${file} could not be read (${(err as Error).message}); check that Tendril may read and write it`);
  }
  const parsed = parseTokenFile(text);
  if ('problem' in parsed) {
    throw new Error(
      `${file} does not hold valid pairing tokens (${parsed.problem}). Tendril has left it untouched. ` +
        `To reset pairing, move it aside (for example to ${basename(file)}.bad) and start again; every paired screen will then need to pair again.`,
    );
  }
  return parsed.tokens;
}

export function parseTokenFile(text: string): { tokens: StoredToken[] } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { problem: `not valid JSON: ${(err as Error).message}` };
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > FILE_VERSION) {
    return { problem: `format version ${version} was written by a newer Tendril; this one reads version ${FILE_VERSION}` };
  }
  const parsed = tokenFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.');
    return { problem: field ? `${field}: ${issue?.message}` : (issue?.message ?? 'not a token file') };
  }
  const ids = new Set<string>();
  const hashes = new Set<string>();
  for (const token of parsed.data.tokens) {
    if (ids.has(token.id)) return { problem: `token id "${token.id}" appears twice` };
    if (hashes.has(token.hash)) return { problem: `token "${token.id}" has the same hash as another token` };
    ids.add(token.id);
    hashes.add(token.hash);
  }
  return { tokens: parsed.data.tokens };
}

/** Saves the tokens, readable by the owner only, before any new secret is handed out. */
export function writeTokenFile(file: string, tokens: readonly StoredToken[]): void {
  try {
    replaceJsonFile(file, { version: FILE_VERSION, tokens }, 0o600);
  } catch (err) {
    throw new Error(`could not save pairing tokens to ${file}: ${(err as Error).message}`);
  }
}
