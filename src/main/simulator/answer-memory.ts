/**
 * The de-duplication memory (docs/protocol.md section 5): the lines last answered to each
 * recent sequence number, so a re-sent command is answered again without being applied again.
 */
export class AnswerMemory {
  private readonly answers = new Map<number, readonly string[]>();

  /** The protocol asks for at least 8; a little more slack costs nothing. */
  constructor(private readonly size = 16) {}

  clear(): void {
    this.answers.clear();
  }

  recall(seq: number): readonly string[] | undefined {
    return this.answers.get(seq);
  }

  remember(seq: number, lines: readonly string[]): void {
    this.answers.delete(seq);
    this.answers.set(seq, lines);
    for (const oldest of this.answers.keys()) {
      if (this.answers.size <= this.size) break;
      this.answers.delete(oldest);
    }
  }
}
