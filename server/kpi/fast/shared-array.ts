/**
 * Typed arrays in shared memory: posted to a worker thread, a SharedArrayBuffer is the same memory
 * on both sides, not a copy. The KPI engine's columns and indexes live in them so its counting
 * workers (pool.ts) read the one copy the main thread holds.
 */

/** A typed array constructor. */
export type SharedArrayType<T> = { new (buffer: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number };

/** A zeroed typed array of `length` values over a new SharedArrayBuffer. */
export function sharedArray<T>(type: SharedArrayType<T>, length: number): T {
  return new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT));
}
