import { debuglog } from 'node:util';

/** `NODE_DEBUG=civgrid_import` prints the time each step of an import takes. */
const debug = debuglog('civgrid_import');

/**
 * Runs one step of an import, timing it for the debug log: wall time, and the process's CPU time
 * (every DuckDB thread's and the event loop's), which says more than wall time on a busy machine.
 */
export async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!debug.enabled) return run();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    return await run();
  } finally {
    const cpu = process.cpuUsage(cpu0);
    debug('%s: %d ms, cpu %d ms', name, Math.round(performance.now() - t0), Math.round((cpu.user + cpu.system) / 1000));
  }
}
