/**
 * Layout checks of the big screen, run inside the page: every panel inside the viewport, nothing
 * sticking out of its panel, no clipped text, no scrollbars. Shared by the screen's browser tests.
 */
import type { Page } from 'playwright-core';

/**
 * The TypeScript transform keeps function names by wrapping them in a `__name` helper that
 * exists in Node but not in the page; functions sent to `page.evaluate` need it defined there.
 */
async function defineNameHelper(page: Page): Promise<void> {
  await page.evaluate('globalThis.__name ??= (fn) => fn');
}

/** One problem found, with enough context to fix it. */
export interface LayoutProblem {
  panel: string;
  what: string;
}

/**
 * Finds layout problems on the page. Checked for every `[data-panel]`: its box lies inside the
 * viewport; every element and text run inside it lies inside its box (1 px tolerance for
 * sub-pixel rounding); no element's content is wider or taller than the element itself
 * (`scrollWidth > clientWidth`: clipped or ellipsised text, or a hidden scrollbar's worth).
 */
export async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  await defineNameHelper(page);
  return page.evaluate(() => {
    const problems: { panel: string; what: string }[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const describe = (el: Element) => {
      const cls = typeof el.className === 'string' ? el.className.split(' ')[0] : '';
      const text = (el.textContent ?? '').trim().slice(0, 30);
      return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}> "${text}"`;
    };
    const doc = document.documentElement;
    if (doc.scrollWidth > vw || doc.scrollHeight > vh) problems.push({ panel: 'page', what: `page scrolls: ${doc.scrollWidth}×${doc.scrollHeight} in ${vw}×${vh}` });
    for (const panel of document.querySelectorAll<HTMLElement>('[data-panel]')) {
      const name = panel.dataset.panel ?? '?';
      const box = panel.getBoundingClientRect();
      if (box.width < 10 || box.height < 10) problems.push({ panel: name, what: `collapsed: ${box.width}×${box.height}` });
      if (box.left < -0.5 || box.top < -0.5 || box.right > vw + 0.5 || box.bottom > vh + 0.5) {
        problems.push({ panel: name, what: `outside the viewport: ${JSON.stringify(box)}` });
      }
      const inside = (r: DOMRect) => r.width === 0 || r.height === 0 ||
        (r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1);
      for (const el of panel.querySelectorAll<HTMLElement>('*')) {
        // The map's own canvases and MapLibre's control containers are sized by the map itself.
        if (el.closest('.maplibregl-map') && !el.closest('[data-testid="screen-legend"]')) continue;
        if (el instanceof HTMLCanvasElement || el.closest('svg')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const r = el.getBoundingClientRect();
        if (!inside(r)) problems.push({ panel: name, what: `sticks out: ${describe(el)} ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}` });
        const tolerance = 1;
        if (style.display !== 'inline' && el.clientWidth > 0 && (el.scrollWidth > el.clientWidth + tolerance || el.scrollHeight > el.clientHeight + tolerance)) {
          problems.push({ panel: name, what: `content larger than box: ${describe(el)} ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}` });
        }
        for (const node of el.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const tr of range.getClientRects()) {
            if (!inside(tr)) problems.push({ panel: name, what: `text outside panel: "${node.textContent.trim().slice(0, 30)}"` });
            // Text must also stay inside its own element when that element clips.
            const er = el.getBoundingClientRect();
            if (style.overflow !== 'visible' && (tr.right > er.right + 1 || tr.bottom > er.bottom + 1)) {
              problems.push({ panel: name, what: `text clipped: "${node.textContent.trim().slice(0, 30)}"` });
            }
          }
        }
      }
    }
    return problems;
  });
}

/**
 * Text runs that overlap another text run in the same panel (e.g. a legend name running into its
 * number): both stay inside the panel, but neither is readable.
 */
export async function overlappingText(page: Page): Promise<LayoutProblem[]> {
  await defineNameHelper(page);
  return page.evaluate(() => {
    const problems: { panel: string; what: string }[] = [];
    for (const panel of document.querySelectorAll<HTMLElement>('[data-panel]')) {
      if (panel.dataset.panel === 'map') continue;
      const runs: { text: string; r: DOMRect }[] = [];
      const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0) runs.push({ text: n.textContent.trim(), r });
      }
      for (let i = 0; i < runs.length; i++) {
        for (let j = i + 1; j < runs.length; j++) {
          const a = runs[i].r;
          const b = runs[j].r;
          const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (overlapX > 1 && overlapY > 2) problems.push({ panel: panel.dataset.panel ?? '?', what: `"${runs[i].text.slice(0, 20)}" overlaps "${runs[j].text.slice(0, 20)}"` });
        }
      }
    }
    return problems;
  });
}

/** Polls `predicate` in the page (no string evaluation: the app's CSP forbids it) until it holds. */
export async function waitInPage(page: Page, predicate: () => boolean, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.evaluate(predicate).catch(() => false)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Waits until the screen has data in its panels and its map has drawn a frame. */
export function screenReady(page: Page, timeoutMs = 90_000): Promise<void> {
  return waitInPage(
    page,
    () => Boolean(document.querySelector('[data-screen-state="ready"]') && document.querySelector('[data-map-state="ready"]')),
    timeoutMs,
    'the screen to be ready',
  );
}

/** The test hook's state (`?test=1`). */
export interface HookState {
  scope: string | null;
  stop: number;
  stops: number;
  refreshes: number;
  failing: boolean;
  connection: string;
  freshAt: number | null;
  replay: { active: boolean; frame: number; frames: number };
}

/** Reads `window.__civgridScreen.state()`. */
export function hookState(page: Page): Promise<HookState> {
  return page.evaluate(() => (window as unknown as { __civgridScreen: { state(): HookState } }).__civgridScreen.state());
}
