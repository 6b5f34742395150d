/**
 * The bulletin as an editable Word document (WPS and Word): the template's text with real
 * headings (标题, 一级 一、二、…, 二级 table captions), real tables, the maps and photos as inline
 * pictures, the definitions and the as-of line. A4 with 公文 margins; 仿宋 body, 黑体 headings,
 * 宋体 tables — the fonts every office PC has (LibreOffice falls back to Noto Serif/Sans CJK SC).
 */
import {
  AlignmentType, BorderStyle, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
  type IRunOptions,
} from 'docx';
import sharp from 'sharp';
import { templateValues } from './content.ts';
import type { Bulletin, MapImage, PhotoCase, PhotoRef } from './model.ts';
import { bulletinBlocks, type Block, type TableBlock } from './layout.ts';

/** Reads a photo's `view` size by hash (null when it is not stored). */
export type PhotoReader = (hash: string) => Promise<Buffer | null>;

const BODY = '仿宋';
const HEADING = '黑体';
const TABLE = '宋体';
/** Half-points: 三号 16 pt for the body, 二号 22 pt for the title, 五号 10.5 pt in tables. */
const SIZE = { title: 44, body: 32, table: 21, note: 24 };
/** Twips: A4 and the 公文 margins (37 mm top, 35 mm bottom, 28 mm left, 26 mm right). */
const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1588, right: 1474 };
/** The text column in pixels (96 dpi), what pictures are fitted to. */
const TEXT_WIDTH_PX = Math.floor(((PAGE.width - PAGE.left - PAGE.right) / 1440) * 96);

const font = (name: string) => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: name, cs: name });
const run = (text: string, opts: IRunOptions = {}) => new TextRun({ text, font: font(BODY), size: SIZE.body, ...opts });

function bodyParagraph(text: string, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.JUSTIFIED): Paragraph {
  // 公文 paragraphs start two characters in; a line of 28 pt keeps the usual 22 lines a page.
  return new Paragraph({ children: [run(text)], alignment, indent: alignment === AlignmentType.RIGHT ? undefined : { firstLine: 640 }, spacing: { line: 560, lineRule: 'exact' } });
}

function tableOf(t: TableBlock): (Paragraph | Table)[] {
  const cell = (text: string, header: boolean, numeric: boolean) => new TableCell({
    children: [new Paragraph({
      alignment: numeric || header ? AlignmentType.CENTER : AlignmentType.LEFT,
      children: [new TextRun({ text, font: font(header ? HEADING : TABLE), size: SIZE.table })],
    })],
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
  const header = new TableRow({ tableHeader: true, children: t.columns.map((c) => cell(c.label, true, false)) });
  const rows = t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c.text, false, t.columns[i]?.unit !== 'text')) }));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const out: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_2, alignment: AlignmentType.CENTER, children: [new TextRun({ text: t.caption })] }),
    new Table({
      rows: [header, ...rows], width: { size: 100, type: WidthType.PERCENTAGE },
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    }),
  ];
  if (t.note) out.push(new Paragraph({ children: [run(t.note, { size: SIZE.note })], spacing: { before: 80 } }));
  return out;
}

function picture(png: Buffer, width: number, height: number, maxWidth: number): ImageRun {
  const scale = Math.min(1, maxWidth / width);
  return new ImageRun({ type: 'png', data: png, transformation: { width: Math.round(width * scale), height: Math.round(height * scale) } });
}

function mapOf(m: MapImage): Paragraph[] {
  const legend = m.legend.map((l) => l.label).join('  ');
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [picture(Buffer.from(m.png, 'base64'), m.width, m.height, TEXT_WIDTH_PX)] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(m.caption, { size: SIZE.note, font: font(HEADING) })] }),
    ...(legend ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(`图例：${legend}`, { size: SIZE.table })] })] : []),
  ];
}

/** A stored photo as a PNG of at most `width` pixels, or null when the store does not have it. */
async function photoPicture(read: PhotoReader, ref: PhotoRef | null, width: number): Promise<ImageRun | null> {
  if (!ref) return null;
  const bytes = await read(ref.hash);
  if (!bytes) return null;
  // Word and WPS do not show WebP (the store's derived sizes): re-encode as JPEG.
  const { data, info } = await sharp(bytes).resize({ width, withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true });
  return new ImageRun({ type: 'jpg', data, transformation: { width: info.width, height: info.height } });
}

/** 整改前 / 整改后 side by side, one row per case, the case under them. */
async function photoTable(cases: PhotoCase[], read: PhotoReader, title: string): Promise<(Paragraph | Table)[]> {
  const half = Math.floor(TEXT_WIDTH_PX / 2) - 12;
  const rows: TableRow[] = [];
  for (const c of cases) {
    const [before, after] = await Promise.all([photoPicture(read, c.before, half), photoPicture(read, c.after, half)]);
    if (!before && !after) continue;
    const cell = (img: ImageRun | null, label: string) => new TableCell({
      children: [
        new Paragraph({ alignment: AlignmentType.CENTER, children: img ? [img] : [new TextRun({ text: '（无照片）', font: font(TABLE), size: SIZE.table })] }),
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: label, font: font(TABLE), size: SIZE.table })] }),
      ],
    });
    const caption = `${c.category}　${c.place}　（${c.issueId}）`;
    rows.push(new TableRow({ cantSplit: true, children: [cell(before, `整改前　${caption}`), cell(after, c.after ? '整改后' : '')] }));
  }
  if (!rows.length) return [];
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, alignment: AlignmentType.CENTER, children: [new TextRun({ text: title })] }),
    new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }),
  ];
}

/** The paragraphs and tables of one block. */
async function blockOf(block: Block, b: Bulletin, readPhoto: PhotoReader | null): Promise<(Paragraph | Table)[]> {
  switch (block.kind) {
    case 'title':
      return [
        new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: block.text })] }),
        ...(block.number ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(block.number)] })] : []),
        new Paragraph({ alignment: AlignmentType.CENTER, children: [run(block.period)] }),
      ];
    case 'heading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: block.text })] })];
    case 'paragraph':
      return [block.sign ? bodyParagraph(block.text, AlignmentType.RIGHT) : bodyParagraph(block.text)];
    case 'table':
      return tableOf(block);
    case 'image':
      return mapOf(block.image);
    case 'photos':
      return readPhoto ? photoTable(block.cases, readPhoto, block.caption) : [];
    case 'definitions':
      return [
        new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '指标口径' })] }),
        ...block.items.map((d) => new Paragraph({
          spacing: { line: 400, lineRule: 'exact' }, children: [run(`${d.term}：`, { bold: true, size: SIZE.note }), run(d.text, { size: SIZE.note })],
        })),
        new Paragraph({ spacing: { before: 120 }, children: [run(`数据截至 ${templateValues(b, new Date(block.asOf)).asOf}（数据版本 ${b.dataVersion}）`, { size: SIZE.note })] }),
      ];
  }
}

/**
 * Renders `b` as a .docx, block by block as layout.ts lays it out. Photos are read through
 * `readPhoto` (the media store); without it, or for a photo not stored, that picture is left out.
 */
export async function renderBulletinDocx(b: Bulletin, readPhoto: PhotoReader | null = null): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [];
  for (const block of bulletinBlocks(b)) body.push(...await blockOf(block, b, readPhoto));

  const doc = new Document({
    creator: 'civgrid', title: b.title, description: `${b.scope.name} ${b.period.label}`,
    styles: {
      default: { document: { run: { font: font(BODY), size: SIZE.body } } },
      paragraphStyles: [
        { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', run: { font: font('宋体'), size: SIZE.title, bold: true, color: '000000' }, paragraph: { spacing: { after: 240 } } },
        { id: 'Heading1', name: 'Heading 1', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { font: font(HEADING), size: SIZE.body, color: '000000' }, paragraph: { spacing: { before: 240, after: 120 }, indent: { firstLine: 640 } } },
        { id: 'Heading2', name: 'Heading 2', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { font: font('楷体'), size: SIZE.note, color: '000000' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
      ],
    },
    sections: [{
      properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right } } },
      children: body,
    }],
  });
  return Packer.toBuffer(doc);
}
