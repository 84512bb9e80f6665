/** Milliseconds to an ISO-8601 string, keeping null. */
export const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();
