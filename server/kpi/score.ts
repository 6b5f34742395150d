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
    onTime: round(parts.onTime, 2), closure: round(parts.closure, 2), immediate: round(parts.immediate, 2),
    reworkFree: round(parts.reworkFree, 2), overduePenalty: round(parts.overduePenalty, 2),
  };
  return { score: round(Math.max(0, Math.min(100, total)), 2), parts: rounded };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
