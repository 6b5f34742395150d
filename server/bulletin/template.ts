/**
 * The bulletin's wording: a Markdown-like template an office edits without code. `# Title` is the
 * title; each `## name` or `## name: 标题` opens a section (its heading printed when given);
 * paragraphs are separated by blank lines; `{{placeholder}}` takes a value the content provides.
 * Pure: reading the file is the caller's job, so errors can name it.
 */

/** A section of a template before its placeholders are filled. */
export interface TemplateSection {
  name: string;
  heading: string | null;
  paragraphs: string[];
}

/** A parsed template. */
export interface Template {
  title: string;
  sections: TemplateSection[];
}

/** A template that cannot be used, naming the file and the reason. */
export class TemplateError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

const SECTION = /^##\s+([a-z][\w-]*)\s*(?::\s*(.+))?$/;
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/** Parses a template's text; `file` names it in errors. */
export function parseTemplate(text: string, file: string): Template {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let title: string | null = null;
  const sections: TemplateSection[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) sections.at(-1)?.paragraphs.push(paragraph.join(''));
    paragraph = [];
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('# ')) {
      if (title !== null) throw new TemplateError(file, `line ${i + 1}: a second title`);
      title = line.slice(2).trim();
      return;
    }
    if (line.startsWith('##')) {
      const m = SECTION.exec(line);
      if (!m) throw new TemplateError(file, `line ${i + 1}: a section is "## name" or "## name: 标题" (name in lower-case letters)`);
      flush();
      if (sections.some((s) => s.name === m[1])) throw new TemplateError(file, `line ${i + 1}: section "${m[1]}" appears twice`);
      sections.push({ name: m[1], heading: m[2]?.trim() ?? null, paragraphs: [] });
      return;
    }
    if (!line) return flush();
    if (!sections.length) throw new TemplateError(file, `line ${i + 1}: text before the first "## section"`);
    paragraph.push(line);
  });
  flush();
  if (title === null) throw new TemplateError(file, 'no "# title" line');
  return { title, sections };
}

/** The placeholders a text uses. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Fills every placeholder from `values`; an unknown one is an error naming it (a typo must not print as blank). */
export function fillText(text: string, values: Record<string, string>, file: string): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TemplateError(file, `unknown placeholder {{${name}}}; known: ${Object.keys(values).sort().join(', ')}`);
    return value;
  });
}
