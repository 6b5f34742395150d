/**
 * Time arithmetic for the demo in Asia/Shanghai (UTC+8, no daylight saving). Internally a time is
 * "local ms": epoch ms shifted by +8 h, so the getUTC* accessors read Beijing wall-clock fields.
 */
import { DAY, SHANGHAI_OFFSET_MS, shanghaiIso } from '../domain/time.ts';

/** Epoch ms → local ms. */
export const toLocal = (epochMs: number) => epochMs + SHANGHAI_OFFSET_MS;

/** Local ms → epoch ms. */
export const fromLocal = (localMs: number) => localMs - SHANGHAI_OFFSET_MS;

/** Local ms → ISO 8601 with the +08:00 offset, to the second. */
export const formatLocal = (localMs: number) => shanghaiIso(localMs - SHANGHAI_OFFSET_MS);

/** Start (00:00) of the local day containing a local time. */
export const dayStart = (localMs: number) => Math.floor(localMs / DAY) * DAY;

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (localMs: number) => new Date(localMs).getUTCDay();
