/**
 * The downloadable formats of a bulletin and how each is made from the one content object, with
 * its file name and content type. The PDF is the print view (html.ts) printed by Chromium (pdf.ts).
 */
import type { AppDeps } from '../app.ts';
import { defaultBulletinSettings, photoSources } from '../routes/bulletin.ts';
import { renderBulletinDocx } from './docx.ts';
import { bulletinHtml } from './html.ts';
import type { Bulletin } from './model.ts';
import { renderBulletinXlsx } from './xlsx.ts';

/** The formats the archive and the CLI can make. */
export const BULLETIN_FORMATS = ['pdf', 'docx', 'xlsx'] as const;
export type BulletinFormat = (typeof BULLETIN_FORMATS)[number];

/** Content types of the downloads. */
export const CONTENT_TYPES: Record<BulletinFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Renders `b` in `format`; photos come from the media store of `deps`, the PDF from its printer. */
export async function renderBulletin(b: Bulletin, format: BulletinFormat, deps: Pick<AppDeps, 'photos' | 'bulletin'>): Promise<Buffer> {
  switch (format) {
    case 'pdf':
      return (deps.bulletin ?? defaultBulletinSettings()).printer.print(bulletinHtml(b, await photoSources(b, deps.photos.store)));
    case 'docx':
      return renderBulletinDocx(b, async (hash) => deps.photos.store.read(hash, 'view'));
    case 'xlsx':
      return renderBulletinXlsx(b);
  }
}

/** 官渡区2026年11月通报（2026年第11期）: what a download is saved as, before its extension. */
export function bulletinFileName(b: { scopeName: string; periodLabel: string; number: string | null }): string {
  return `${b.scopeName}${b.periodLabel}通报${b.number ? `（${b.number}）` : ''}`;
}
