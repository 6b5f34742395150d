/**
 * The failures the domain knows, without any transport: services and rules throw these, and the
 * HTTP layer (server/errors.ts) maps each kind to its status in one place. `code` is the stable,
 * machine-readable reason clients switch on; `details` says what exactly was wrong.
 */

/** What kind of failure it is; the HTTP layer turns each into one status. */
export type DomainErrorKind = 'invalid_input' | 'not_found' | 'conflict' | 'rule';

/** A failure the caller can act on; never a bug (those stay plain Errors). */
export abstract class DomainError<D = unknown> extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details?: D,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request itself is malformed: a parameter or body field of the wrong shape or value. */
export class InvalidInputError<D = unknown> extends DomainError<D> {
  readonly kind = 'invalid_input';
}

/** What the request names does not exist (an issue, a plan, a grid, a token). */
export class NotFoundError<D = unknown> extends DomainError<D> {
  readonly kind = 'not_found';
}

/** The request is fine but the current state forbids it (not a draft, id taken, no data yet). */
export class ConflictError<D = unknown> extends DomainError<D> {
  readonly kind = 'conflict';
}

/**
 * The request is well-formed but a domain rule refuses its content: an unknown category, a line
 * that does not cross the grid twice, an event dated before the last one, a rejected import file.
 */
export class RuleError<D = unknown> extends DomainError<D> {
  readonly kind = 'rule';
}

/** One invalid query or path parameter, and why. */
export type ParameterProblem = { parameter: string; reason: string };

/** The error for invalid query or path parameters, naming each one (not its index in a list). */
export function invalidParameters(problems: readonly ParameterProblem[]): InvalidInputError<ParameterProblem[]> {
  const names = problems.map((p) => p.parameter).join(', ');
  const why = problems.length === 1 ? ` (${problems[0]!.reason})` : '';
  return new InvalidInputError('invalid_parameter', `invalid parameter${problems.length > 1 ? 's' : ''}: ${names}${why}`, [...problems]);
}

/** The error for one invalid parameter. */
export function invalidParameter(parameter: string, reason: string): InvalidInputError<ParameterProblem[]> {
  return invalidParameters([{ parameter, reason }]);
}

/** One invalid field of a JSON body (`field` null: the body as a whole), with a code and why. */
export type FieldProblem = { field: string | null; code: string; reason: string };

/** The error for a JSON body that does not parse or does not match the route's schema. */
export function invalidBody(problems: readonly FieldProblem[]): InvalidInputError<FieldProblem[]> {
  return new InvalidInputError('invalid_body', `invalid body: ${problems.map((p) => `${p.field ?? 'body'} (${p.reason})`).join(', ')}`, [...problems]);
}

/** Nothing to answer from yet: no district has been imported. Readers that can show "empty" catch it by class. */
export class NoDataError extends ConflictError {
  constructor(message: string) {
    super('no_data', message);
  }
}
