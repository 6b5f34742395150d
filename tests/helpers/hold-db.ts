/**
 * Child process of the crash-reopen test: opens the database at argv[2], migrates it, writes, prints
 * READY and waits to be killed. Mode `migrated` writes one category the normal way; `unreplayable`
 * also leaves in the WAL an ALTER that DuckDB cannot replay, to check how a failed open reads.
 */
import { Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrations.ts';

const [path, mode] = process.argv.slice(2);
const db = await Database.open(path);
await migrate(db);
await db.run(`INSERT INTO categories (code, kind, name, level) VALUES ('99', 'event', '崩溃前写入', 1)`);
if (mode === 'unreplayable') await db.run(`ALTER TABLE categories ADD COLUMN crash_note VARCHAR`);
console.log('READY');
setInterval(() => undefined, 60_000);
