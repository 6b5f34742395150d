/**
 * State that belongs to one database file rather than to a request — an id sequence, a queue of
 * audit entries, a remembered instant — made on first use and gone with the database object.
 */
import type { Database } from './database.ts';

/** A function giving each database its own `T`, made by `make` the first time it is asked for. */
export function perDatabase<T>(make: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = make(db)));
    return value;
  };
}
