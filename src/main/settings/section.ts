/** A section as read: its value (the defaults when it was missing or bad), and why it fell back. */
export interface SectionRead<T> {
  value: T;
  /** The whole sentence to log or show: the file, what is wrong, and what Tendril does meanwhile. */
  warning?: string;
  /** Only what is wrong, for a shell that words the consequence itself. */
  issue?: string;
}
