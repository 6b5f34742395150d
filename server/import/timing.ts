import { debuglog } from 'node:util';

/** `NODE_DEBUG=civgrid_import` prints the time each step of an import takes. */
const debug = debuglog('civgrid_import');

/** Runs one step of an import, timing it for the debug log. */
export async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    debug('%s: %d ms', name, Math.round(performance.now() - t0));
  }
}
