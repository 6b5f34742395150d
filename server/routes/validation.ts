import type { ZodError } from 'zod';
import { ApiError } from '../errors.ts';

/** zValidator hook: invalid parameters become a 400 naming each parameter and why. */
export function queryError(result: { success: boolean; error?: ZodError }) {
  if (result.success || !result.error) return;
  const details = result.error.issues.map((i) => ({ parameter: i.path.join('.'), reason: i.message }));
  const names = details.map((d) => d.parameter).join(', ');
  throw new ApiError(400, 'invalid_parameter', `invalid parameter${details.length > 1 ? 's' : ''}: ${names}`, details);
}
