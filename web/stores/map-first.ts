/**
 * The map's new values first. A filter click asks for the grid values, the panel's figures, the
 * department list and the key sites at once; on two cores the server then answers them in any
 * order, and the page renders whichever arrives (charts above all) before the map's next frame.
 * The map is what the user looks at when they click, so the other loads wait here until the grid
 * values they were started with have been drawn, or {@link MAP_FIRST_MAX_MS} at most. Their slots
 * show "loading" from the click on (async-slot.ts), so the numbers they still hold read as the
 * previous ones, never as current.
 */
import { nextTick } from 'vue';

/** The longest a panel waits for the map: a slow map must not hold the figures back for long. */
export const MAP_FIRST_MAX_MS = 400;

/** Map loads in flight (grid values for a new filter). */
const pending = new Set<Promise<unknown>>();

/** Marks `work` as a map load the other loads wait for; returns it. */
export function holdForMap<T>(work: Promise<T>): Promise<T> {
  pending.add(work);
  const done = () => void pending.delete(work);
  work.then(done, done);
  return work;
}

/** After the frame that follows now: a rAF callback runs before the paint, the task after it runs after. */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const after = () => setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(after);
    else after();
  });
}

/**
 * Resolves once the map loads in flight have settled and been drawn, or after `maxMs`. It first
 * lets the current reactive flush finish, so a map load started by the same change as the
 * caller's (a watcher further down) is waited for too.
 */
export async function afterMapPaint(maxMs = MAP_FIRST_MAX_MS): Promise<void> {
  await nextTick();
  if (!pending.size) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)));
  await Promise.race([Promise.allSettled([...pending]).then(afterNextPaint), cap]);
  clearTimeout(timer);
}

/**
 * `fetcher` started after the map's paint ({@link afterMapPaint}); a load cancelled meanwhile
 * sends nothing.
 */
export function mapFirst<T>(fetcher: (signal: AbortSignal) => Promise<T>): (signal: AbortSignal) => Promise<T> {
  return async (signal) => {
    await afterMapPaint();
    signal.throwIfAborted();
    return fetcher(signal);
  };
}
