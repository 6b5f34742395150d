/**
 * The bulletin's PDF: the print view's HTML printed by headless Chromium (Debian's package; the
 * tests need it anyway). One browser is started on first use and reused; each PDF gets its own
 * page with JavaScript and network off, since the document is self-contained.
 */
import { access } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { ApiError } from '../errors.ts';

/** How to install what printing needs, named in the 503 when Chromium is missing. */
export const CHROMIUM_INSTALL = 'sudo apt-get install -y chromium fonts-noto-cjk';

const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--no-first-run'];

/** Prints bulletin HTML to PDF with the Chromium at `executablePath`. */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(private readonly executablePath: string) {}

  private async launch(): Promise<Browser> {
    try {
      await access(this.executablePath);
    } catch {
      throw new ApiError(503, 'pdf_unavailable', `PDF needs Chromium at ${this.executablePath}; install it with: ${CHROMIUM_INSTALL}`);
    }
    // Loaded on the first PDF: Playwright's bundle is ~25 MB of the server's heap, and most servers never print.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: this.executablePath, headless: true, args: ARGS });
    // A crashed browser is started again on the next PDF.
    browser.on('disconnected', () => {
      this.browser = null;
    });
    return browser;
  }

  /** The PDF of a self-contained HTML document, A4 with page numbers. */
  async print(html: string): Promise<Buffer> {
    this.browser ??= this.launch().catch((err: unknown) => {
      this.browser = null;
      throw err;
    });
    const browser = await this.browser;
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: '<div style="width:100%;text-align:center;font-size:9pt;font-family:\'Noto Sans CJK SC\'">— <span class="pageNumber"></span> —</div>',
      });
    } finally {
      await context.close();
    }
  }

  /** Closes the browser (server shutdown, tests). */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    await (await browser?.catch(() => null))?.close();
  }
}
