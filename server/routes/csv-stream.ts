/**
 * CSV downloads for Excel, streamed page by page: the byte-order mark and the header line first,
 * then one page per pull, so the next page is queried only when the client has taken the
 * previous one and memory stays flat however many rows match.
 */

/** Excel only reads a CSV as UTF-8 when it starts with the byte-order mark. */
const BOM = '\uFEFF';

/** One page of a download: its lines (each ending in CRLF; empty for none) and whether another follows. */
export interface CsvPage {
  text: string;
  more: boolean;
}

/**
 * The body of a CSV download: `headers` as the first line, then the pages `nextPage` reads until
 * one says there are no more. A failing page cuts the download off (the response headers are
 * sent already) and is logged under `what`.
 */
export function csvStream(headers: readonly string[], nextPage: () => Promise<CsvPage>, what: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${BOM}${headers.join(',')}\r\n`));
        return;
      }
      try {
        const page = await nextPage();
        if (page.text) controller.enqueue(encoder.encode(page.text));
        if (!page.more) controller.close();
      } catch (err) {
        console.error(`${what} failed`, err);
        controller.error(err);
      }
    },
  });
}

/** Response headers of a CSV download; `disposition` is the whole Content-Disposition value. */
export function csvHeaders(disposition: string): Record<string, string> {
  return { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition, 'Cache-Control': 'no-store' };
}
