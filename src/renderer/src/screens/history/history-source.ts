import { pageRecords, type RecordSource } from '../../records';

let source: RecordSource | null = null;

/** This page's way to the records, chosen once the page is up. */
export function records(): RecordSource {
  source ??= pageRecords(window);
  return source;
}
