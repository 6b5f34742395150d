import type { TestApp } from '../../helpers/app.ts';

export type Item = { id: string; reportedAt: string; overdue: boolean; status: string; sites: { id: string }[]; grid: { code: string } | null };

/** POSTs JSON to the app. */
export function postJson(app: TestApp['app'], path: string, body: unknown) {
  return app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Follows nextCursor from the first page to the last and returns every item in order, and the page count. */
export async function walkPages(app: TestApp['app'], query: string, limit: number): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '';
    const url: string = `/api/issues?${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await app.request(url);
    if (res.status !== 200) throw new Error(`${url} → ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { items: Item[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
    if (++pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { items, pages };
}
