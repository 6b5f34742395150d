import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import type { Bbox } from '../domain/geometry.ts';
import { parseBbox } from '../kpi/heat.ts';
import { invalidBody, invalidParameters } from '../domain/errors.ts';
import { controlCharacterProblem } from '../domain/text.ts';

type ValidationResult = { success: true; data?: unknown } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; code: string; message: string }[] } };

/** zValidator hook for query and path parameters: 400 `invalid_parameter` naming each parameter (not its index in a list) and why. */
export function queryError(result: ValidationResult) {
  if (result.success) return;
  throw invalidParameters(result.error.issues.map((i) => ({ parameter: String(i.path[0] ?? ''), reason: i.message })));
}

/**
 * zValidator hook for JSON bodies: 400 `invalid_body` listing each field by its path, with zod's
 * code and why; a body of the right shape is also refused for control characters in any of its
 * text (server/domain/text.ts), so no write route can store them.
 */
function bodyError(result: ValidationResult) {
  if (result.success) {
    const problems = controlCharacters(result.data, []);
    if (problems.length) throw invalidBody(problems);
    return;
  }
  throw invalidBody(result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || null, code: i.code, reason: i.message })));
}

/** Every string in a parsed body that holds a control character, by its path. */
function controlCharacters(value: unknown, path: string[]): { field: string; code: string; reason: string }[] {
  if (typeof value === 'string') {
    const field = path.join('.');
    const reason = controlCharacterProblem(field, value);
    return reason ? [{ field, code: 'control_character', reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => controlCharacters(v, [...path, String(i)]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => controlCharacters(v, [...path, k]));
  return [];
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Validates a JSON body against `schema`. A body that is not JSON at all (broken syntax, NaN)
 * is the same 400 `invalid_body` as one that misses a field, rather than the validator's bare 400.
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  const validate = zValidator('json', schema, bodyError);
  const guarded: typeof validate = async (c, next) => {
    if (JSON_TYPE.test((c.req.header('content-type') ?? '').split(';')[0]!.trim())) {
      try {
        // Hono keeps the body text, so the validator's own parse reads no stream twice.
        await c.req.json();
      } catch (err) {
        throw invalidBody([{ field: null, code: 'malformed_json', reason: err instanceof Error ? err.message : 'not JSON' }]);
      }
    }
    return validate(c, next);
  };
  return guarded;
}

/** A map window parameter `minLon,minLat,maxLon,maxLat` in degrees, checked by `parseBbox` (Web Mercator's latitudes). */
export const bboxParam = z.string().transform((text, ctx): Bbox => {
  const parsed = parseBbox(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.bbox;
});

/** A map zoom parameter, 0–22 on 256-px tiles. */
export const zoomParam = z.coerce.number().int('zoom must be an integer').min(0).max(22);
