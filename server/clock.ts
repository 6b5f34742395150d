/**
 * The server's "now": what KPIs, deadlines, new reports and token expiry are measured against.
 * In production it is the system time. For tests and demos, `CIVGRID_TEST_NOW` starts it at a
 * fixed instant and lets it run on in real time from there, so data of a fixed date keeps its
 * "today" and "this month" whatever day the process runs, while live reports still get
 * increasing times.
 */

/** A clock starting at `start` (ISO 8601) when called, or the system time when `start` is absent. */
export function serverClock(start: string | undefined, systemMs: () => number = Date.now): () => Date {
  if (start === undefined) return () => new Date(systemMs());
  const offset = Date.parse(start) - systemMs();
  return () => new Date(systemMs() + offset);
}
