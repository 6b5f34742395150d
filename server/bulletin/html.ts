/**
 * The bulletin as one self-contained HTML document (A4, 公文-like): the print view the web app
 * shows and the page headless Chromium prints to PDF. Self-contained — maps and photos are data
 * URIs and the fonts are the system's Noto CJK — so printing needs no token, server or network.
 */
import { bulletinBlocks, SIGNATURE_SECTION, type Block, type Cell, type TableBlock } from './layout.ts';
import type { Bulletin, PhotoCase } from './model.ts';
import { formatDate } from '../../web/components/format.ts';

/** A photo's image for the page, by hash (a data URI), or null when the file is gone. */
export type PhotoSource = (hash: string) => string | null;

/** Tables up to this many rows are kept on one page. */
const KEEP_ROWS = 25;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `
@page { size: A4; margin: 30mm 26mm 28mm 28mm; }
* { box-sizing: border-box; }
html { background: #f3f4f6; }
body { margin: 0; color: #111; font-family: 'Noto Serif CJK SC', 'Noto Serif SC', serif; font-size: 15.5pt; line-height: 1.75; }
.page { background: #fff; max-width: 210mm; margin: 0 auto; padding: 24mm 22mm; }
@media print { html { background: #fff; } .page { padding: 0; max-width: none; } }
.red-head { text-align: center; color: #c00; font-family: 'Noto Serif CJK SC', serif; font-weight: 900; font-size: 22pt; line-height: 1.3; white-space: nowrap; }
.number { text-align: center; font-size: 14pt; margin: 8pt 0 4pt; }
.red-rule { border: 0; border-top: 2.5pt solid #c00; margin: 6pt 0 20pt; }
h1 { text-align: center; font-family: 'Noto Serif CJK SC', serif; font-weight: 700; font-size: 21pt; line-height: 1.5; margin: 10pt 0 4pt; }
.period { text-align: center; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 13pt; color: #333; margin-bottom: 16pt; }
h2 { font-family: 'Noto Sans CJK SC', sans-serif; font-weight: 700; font-size: 16pt; margin: 18pt 0 6pt; break-after: avoid; }
p { text-indent: 2em; margin: 0 0 4pt; text-align: justify; }
p.sign { text-indent: 0; text-align: right; }
table { width: 100%; border-collapse: collapse; margin: 8pt 0 4pt; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9.5pt; line-height: 1.35; break-inside: auto; }
caption { font-family: 'Noto Sans CJK SC', sans-serif; font-weight: 700; font-size: 11pt; padding-bottom: 4pt; }
th, td { border: 0.75pt solid #333; padding: 2.5pt 4pt; }
th { background: #eef0f3; font-weight: 700; }
td.name { white-space: nowrap; }
.keep { break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
.note { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9pt; color: #444; text-indent: 0; margin-bottom: 10pt; }
figure { margin: 10pt 0; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; border: 0.5pt solid #bbb; }
figcaption { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 10pt; margin-top: 3pt; }
.legend { display: flex; flex-wrap: wrap; justify-content: center; gap: 4pt 10pt; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9pt; }
.legend i { display: inline-block; width: 10pt; height: 10pt; margin-right: 3pt; vertical-align: -1pt; border: 0.5pt solid #999; }
.photos { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt; margin: 8pt 0; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9pt; }
.case { break-inside: avoid; border: 0.5pt solid #bbb; padding: 4pt; }
.case .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 4pt; }
.case img { width: 100%; aspect-ratio: 4 / 3; object-fit: cover; background: #eee; }
.case .label { text-align: center; color: #333; }
.flag { color: #b45309; }
.definitions { margin-top: 18pt; border-top: 0.75pt solid #333; padding-top: 6pt; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9pt; line-height: 1.5; }
.definitions p { text-indent: 0; margin: 0 0 2pt; }
`;

const FLAG_LABEL: Record<string, string> = { stale: '照片早于上报', before_report: '整改后照片早于上报', far: '拍摄位置偏远', no_exif: '无拍摄信息', reused: '照片重复使用' };

function table(t: TableBlock): string {
  const head = t.columns.map((c) => `<th>${esc(c.label)}</th>`).join('');
  // The first text column names the row (a unit, a site, a category): never wrapped.
  const nameColumn = t.columns.findIndex((c) => c.unit === 'text');
  const cls = (cell: Cell, i: number) => (t.columns[i].unit !== 'text' || cell.value !== null ? ' class="num"' : i === nameColumn ? ' class="name"' : '');
  const body = t.rows.map((r) => `<tr>${r.map((cell, i) => `<td${cls(cell, i)}>${esc(cell.text)}</td>`).join('')}</tr>`).join('');
  const empty = t.rows.length ? '' : `<tr><td colspan="${t.columns.length}">（无）</td></tr>`;
  // A short table moves to the next page whole rather than leave its heading behind.
  const keep = t.rows.length <= KEEP_ROWS ? ' class="keep"' : '';
  return `<div${keep}><table><caption>${esc(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}${empty}</tbody></table>${t.note ? `<p class="note">${esc(t.note)}</p>` : ''}</div>`;
}

function photo(src: string | null, label: string, flags: string[]): string {
  const img = src ? `<img src="${src}" alt="${esc(label)}">` : '<img alt="">';
  const warn = flags.length ? ` <span class="flag">（${flags.map((f) => FLAG_LABEL[f] ?? f).map(esc).join('、')}）</span>` : '';
  return `<div>${img}<div class="label">${esc(label)}${warn}</div></div>`;
}

function photoCase(c: PhotoCase, source: PhotoSource): string {
  const images = [
    c.before && photo(source(c.before.hash), '整改前', c.before.flags),
    c.after && photo(source(c.after.hash), '整改后', c.after.flags),
  ].filter(Boolean).join('');
  const when = c.closedAt ? `，${formatDate(c.closedAt, 'day')}结案` : '';
  return `<div class="case"><div class="pair">${images}</div><div>${esc(`${c.issueId} ${c.category} ${c.place}${when}`)}</div></div>`;
}

function block(b: Block, source: PhotoSource): string {
  switch (b.kind) {
    case 'title':
      return `<h1>${esc(b.text)}</h1><div class="period">（${esc(b.period)}）</div>`;
    case 'heading':
      return `<h2>${esc(b.text)}</h2>`;
    case 'paragraph':
      return `<p${b.sign ? ' class="sign"' : ''}>${esc(b.text)}</p>`;
    case 'table':
      return table(b);
    case 'image':
      return `<figure><img src="data:image/png;base64,${b.image.png}" width="${b.image.width}" alt="${esc(b.image.caption)}">`
        + `<figcaption>${esc(b.image.caption)}</figcaption><div class="legend">${b.image.legend.map((l) => `<span><i style="background:${esc(l.colour)}"></i>${esc(l.label)}</span>`).join('')}</div></figure>`;
    case 'photos':
      return `<h3 class="note">${esc(b.caption)}</h3><div class="photos">${b.cases.map((c) => photoCase(c, source)).join('')}</div>`;
    case 'definitions':
      return `<div class="definitions"><p><b>指标口径</b>（数据截至 ${esc(formatDate(b.asOf, 'minute'))}）</p>`
        + b.items.map((d) => `<p><b>${esc(d.term)}</b>：${esc(d.text)}</p>`).join('') + '</div>';
  }
}

/** The whole document. `header` is the issuing office (红头); the archive number shows when stored. */
export function bulletinHtml(b: Bulletin, source: PhotoSource): string {
  const office = b.text.find((s) => s.section === SIGNATURE_SECTION)?.paragraphs[0]?.text ?? '';
  const body = bulletinBlocks(b).map((x) => block(x, source)).join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(b.title)}</title><style>${CSS}</style></head>`
    + `<body><div class="page"><div class="red-head">${esc(office)}</div>`
    + `<div class="number">${esc(b.number ?? '（预览，未编号）')}</div><hr class="red-rule">${body}</div></body></html>`;
}
