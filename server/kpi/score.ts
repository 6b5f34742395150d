import { readFileSync } from 'node:fs';

/** Weights of the composite score (综合得分); defaults in data/scoring.json. */
export type ScoringConfig = {
  weights: { onTimeRate: number; closureRate: number; immediateRate: number; reworkFree: number };
  penalties: { overdueShare: number };
};

export type ScoreInput = { due: number; onTimeRate: number | null; closureRate: number | null; immediateRate: number | null; reworkRate: number | null; overdue: number };
export type ScoreParts = { onTime: number; closure: number; immediate: number; reworkFree: number; overduePenalty: number };

/** Reads the scoring weights (data/scoring.json, or CIVGRID_SCORING). */
export function loadScoring(path = process.env.CIVGRID_SCORING ?? 'data/scoring.json'): ScoringConfig {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as ScoringConfig;
  return { weights: raw.weights, penalties: raw.penalties };
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
