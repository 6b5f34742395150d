import yauzl from 'yauzl';
import { buildBulletin } from '../../../server/bulletin/content.ts';
import type { Bulletin } from '../../../server/bulletin/model.ts';
import type { TestApp } from '../../helpers/app.ts';

/** The fixture city's bulletin for November 2026 (the fixture clock's month). */
export function novemberBulletin(t: TestApp, scope: string | null = null): Promise<Bulletin> {
  return buildBulletin(t.deps, { scope, period: '2026-11' }, { templateDir: 'data/bulletin' });
}

/** One file of a zip (a .docx) as text. */
export function zipEntry(bytes: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in the zip`)));
      zip.readEntry();
    });
  });
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const runsText = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join('');

/** The tables of a document.xml as rows of cell texts, each table after the caption paragraph before it. */
export function docxTables(xml: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  const parts = xml.split(/<w:tbl>/);
  for (let i = 1; i < parts.length; i++) {
    const before = parts[i - 1].split('<w:p>').at(-1) ?? '';
    const [table] = parts[i].split('</w:tbl>');
    const rows = table.split('</w:tr>').slice(0, -1).map((tr) => tr.split('</w:tc>').slice(0, -1).map(runsText));
    out.set(runsText(before), rows);
  }
  return out;
}

/** All the text of a document.xml, paragraph by paragraph. */
export function docxText(xml: string): string {
  return xml.split('</w:p>').map(runsText).join('\n');
}
