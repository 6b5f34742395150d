/**
 * For command-line tools: DuckDB lets one process write a database file, so while a server holds
 * it, tools send their work to that server's API, authenticated with the CLI token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { serverFileFor } from '../server-file.ts';
import { cliToken } from './bootstrap.ts';

/** A refusal from the server, or no server to talk to: the message is for the terminal. */
export class HandoffError extends Error {}

/** Calls the server holding `dbPath` with JSON in and out; throws HandoffError with the server's message. */
export async function callServer<T>(dbPath: string, method: string, path: string, body?: unknown): Promise<T> {
  const file = serverFileFor(dbPath);
  if (!existsSync(file)) throw new HandoffError(`${dbPath} is locked by another process, and no civgrid server is announced in ${file}`);
  const { url } = JSON.parse(readFileSync(file, 'utf8')) as { url: string };
  const token = cliToken(dbPath);
  if (!token) throw new HandoffError(`${dbPath} is held by the server at ${url}; set CIVGRID_TOKEN to an admin token`);
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new HandoffError(`the server at ${url} (announced in ${file}) does not answer`);
  }
  const answer = (await res.json().catch(() => null)) as { error?: { message: string } } | null;
  if (!res.ok) throw new HandoffError(`the server at ${url} refused: ${answer?.error?.message ?? `HTTP ${res.status}`}`);
  return answer as T;
}
