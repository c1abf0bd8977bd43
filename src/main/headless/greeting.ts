/**
 * What headless says on stdout once it listens: where, and the pairing links when there are any.
 * A service's output is kept in the system journal, so links are printed only when they were made.
 */
export function greeting(listeningUrl: string | null, pairing: ReadonlyArray<{ watch: string; control: string }>): string[] {
  const lines = [`Tendril is listening on ${listeningUrl}`];
  // Fresh links each time they are printed; a screen paired with an earlier one keeps working.
  for (const links of pairing) {
    lines.push(`Pair a screen to watch:   ${links.watch}`, `Pair a screen to control: ${links.control}`);
  }
  if (pairing.length === 0) {
    lines.push('An operator screen is paired already, so no pairing links are printed; pair more screens from Settings on it, or restart with --print-pairing for fresh links');
  }
  return lines;
}
