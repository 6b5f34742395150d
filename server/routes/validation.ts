import { ApiError } from '../errors.ts';

type ValidationResult = { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };

/** zValidator hook: invalid parameters become a 400 naming each parameter (not its index in a list) and why. */
export function queryError(result: ValidationResult) {
  if (result.success) return;
  const details = result.error.issues.map((i) => ({ parameter: String(i.path[0] ?? ''), reason: i.message }));
  const names = details.map((d) => d.parameter).join(', ');
  throw new ApiError(400, 'invalid_parameter', `invalid parameter${details.length > 1 ? 's' : ''}: ${names}`, details);
}
