/** Where a running server announces its URL, beside the database file it holds. */
export function serverFileFor(dbPath: string): string {
  return `${dbPath}.server.json`;
}
