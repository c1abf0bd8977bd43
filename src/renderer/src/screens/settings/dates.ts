const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A day, in this device's language and zone. */
export function formatDate(at: number): string {
  return dateFormat.format(at);
}

export function formatDateTime(at: number): string {
  return timeFormat.format(at);
}
