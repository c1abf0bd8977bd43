/**
 * Free text from screens (token labels, screen names, recipe and schedule names, messages) ends
 * up in the station's log and in exported CSV files. A line break in a label could forge a log
 * line ("… command: desktop (operator) pump.dose …"), and a bidi override could make a line read
 * differently from what it says. Such characters are written as a visible escape instead, so the
 * line says what was sent without letting it pass for something else.
 */

/**
 * C0 controls and DEL, C1 controls, the line and paragraph separators, and the bidi marks,
 * embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Whether `text` holds a character that plainText would escape. */
export function hasControlCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/** `text` with every unsafe character written as `\uXXXX`; printable text is left as it is. */
export function plainText(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
