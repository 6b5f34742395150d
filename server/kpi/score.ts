import { z } from 'zod';
import { CONFIG_FILES, readConfigFile } from '../env.ts';

const weight = z.number().finite().min(0);

/** `data/scoring.json`: strict, so a misspelt weight is reported instead of silently counting as missing. */
const scoringSchema = z
  .object({
    $comment: z.string().optional(),
    weights: z.object({ onTimeRate: weight, closureRate: weight, immediateRate: weight, reworkFree: weight }).strict(),
    penalties: z.object({ overdueShare: weight }).strict(),
    // A unit needs this many cases due in the period to be ranked: 3 cases closed on time say little.
    minDue: z.number().int().min(1).max(10_000).default(5),
  })
  .strict()
  .transform(({ weights, penalties, minDue }) => ({ weights, penalties, minDue }));

/** Weights of the composite score (综合得分) and the fewest cases due a ranked unit has (`minDue`); defaults in data/scoring.json. */
export type ScoringConfig = z.output<typeof scoringSchema>;

export type ScoreInput = { due: number; onTimeRate: number | null; closureRate: number | null; immediateRate: number | null; reworkRate: number | null; overdue: number };
export type ScoreParts = { onTime: number; closure: number; immediate: number; reworkFree: number; overduePenalty: number };

/** Reads and validates the scoring weights: the file CIVGRID_SCORING names (server/env.ts), by default data/scoring.json. */
export function loadScoring(path: string = CONFIG_FILES.CIVGRID_SCORING): ScoringConfig {
  return readConfigFile('CIVGRID_SCORING', path, scoringSchema);
}

/**
 * The composite score of one unit: weighted rates plus a rework-free share, minus a penalty for
 * the share of due issues still overdue; 0–100. Null when nothing was due — an idle unit is
 * neither good nor bad, and must not top the red list.
 */
export function compositeScore(k: ScoreInput, cfg: ScoringConfig): { score: number | null; parts: ScoreParts | null } {
  if (k.due === 0) return { score: null, parts: null };
  const w = cfg.weights;
  const parts: ScoreParts = {
    onTime: w.onTimeRate * (k.onTimeRate ?? 0),
    closure: w.closureRate * (k.closureRate ?? 0),
    immediate: w.immediateRate * (k.immediateRate ?? 0),
    reworkFree: w.reworkFree * (1 - (k.reworkRate ?? 0)),
    overduePenalty: cfg.penalties.overdueShare * Math.min(1, k.overdue / k.due),
  };
  const total = parts.onTime + parts.closure + parts.immediate + parts.reworkFree - parts.overduePenalty;
  const rounded: ScoreParts = {
    onTime: round2(parts.onTime), closure: round2(parts.closure), immediate: round2(parts.immediate),
    reworkFree: round2(parts.reworkFree), overduePenalty: round2(parts.overduePenalty),
  };
  return { score: round2(Math.max(0, Math.min(100, total))), parts: rounded };
}

/** Two decimals; a fixed factor, as `10 ** digits` per call made scoring 10 k units take milliseconds. */
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
