/**
 * Server memory with everything loaded: after the KPI engine and the HTTP runs, the planner's
 * working set too (one plan's live metrics: its issue points and their assignment to the grids).
 * Reports the resident set then and its peak, and the bytes per issue they come to, by which the
 * figure at 10 M issues is estimated.
 */
import { readFileSync } from 'node:fs';
import type { BenchServer } from './server.ts';

/** What `memory` measured; null where /proc is missing or the planner did not answer. */
export type MemoryFigures = {
  /** The first plan-metrics request: the planner's points are loaded (or taken from the engine) and assigned. */
  planMetricsMs: number | null;
  rssMb: number | null;
  rssPeakMb: number | null;
  /** RSS over the issues held, bytes (the process's fixed part included). */
  bytesPerIssue: number | null;
  error?: string;
};

/** A field of /proc/<pid>/status in MB (VmRSS: now; VmHWM: the peak). */
function procMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Loads the planner's working set (the published plan's metrics) and reads the server's memory. */
export async function measureMemory(server: BenchServer, token: string | null, issues: number, log: (line: string) => void): Promise<MemoryFigures> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let planMetricsMs: number | null = null;
  let error: string | undefined;
  try {
    const plans = (await (await fetch(`${server.url}/api/plans`, { headers })).json()) as { id: number; status: string }[];
    const plan = plans.find((p) => p.status === 'published') ?? plans[0];
    if (!plan) throw new Error('no grid plan');
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/plans/${plan.id}/metrics`, { headers });
    if (!res.ok) throw new Error(`plan metrics: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
    planMetricsMs = performance.now() - t0;
  } catch (err) {
    error = (err as Error).message;
  }
  const rssMb = procMb(server.pid, 'VmRSS');
  const rssPeakMb = procMb(server.pid, 'VmHWM');
  const bytesPerIssue = rssMb === null || !issues ? null : Math.round((rssMb * 1024 * 1024) / issues);
  log(`memory: RSS ${rssMb?.toFixed(0)} MB (peak ${rssPeakMb?.toFixed(0)} MB) with the planner loaded`
    + `${planMetricsMs === null ? ` — planner: ${error}` : ` (plan metrics ${planMetricsMs.toFixed(0)} ms)`}, ${bytesPerIssue} B/issue`);
  return { planMetricsMs, rssMb, rssPeakMb, bytesPerIssue, ...(error && { error }) };
}
