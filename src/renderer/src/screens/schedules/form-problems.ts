/**
 * The shared schemas' complaints, keyed by the field they are about, so each input shows its
 * own, in the form's words rather than the schema's field names (field-words.ts).
 */
import type { z } from 'zod';
import { describeIssue } from '../../../../shared/commands';
import { namedProblem } from '../../field-words';

/** Field path ("trigger.action.ml", "steps.2.seconds") to the first problem with it. */
export type Problems = Readonly<Record<string, string>>;

export function problemsOf(issues: readonly z.core.$ZodIssue[]): Problems {
  const problems: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    // Next to its input the field is plain to see; describeIssue without a path gives the bare sentence.
    if (!(field in problems)) problems[field] = namedProblem(field, describeIssue({ ...issue, path: [] } as z.core.$ZodIssue));
  }
  return problems;
}

/** The problems under one prefix, with the prefix taken off: what a nested part of a form shows. */
export function problemsUnder(problems: Problems, prefix: string): Problems {
  const inner: Record<string, string> = {};
  for (const [field, message] of Object.entries(problems)) {
    if (field.startsWith(`${prefix}.`)) inner[field.slice(prefix.length + 1)] = message;
  }
  return inner;
}

/** `inner` put under `prefix`, over what was there: a nested part of a form that was checked on its own. */
export function problemsWithin(problems: Problems, prefix: string, inner: Readonly<Partial<Record<string, string>>>): Problems {
  const merged: Record<string, string> = { ...problems };
  for (const [field, message] of Object.entries(inner)) if (message !== undefined) merged[`${prefix}.${field}`] = message;
  return merged;
}

/**
 * A stable id for something the grower named: lower case, with runs of anything else turned
 * into "-", made unique against the ids already taken. Ids are at most 32 characters.
 */
export function idFromName(name: string, taken: ReadonlySet<string>, fallback: string): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32)
      .replace(/-+$/, '') || fallback;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, 32 - suffix.length).replace(/-+$/, '') + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
