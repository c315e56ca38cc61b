/** HTTP-meaningful class of a refusal: 403 role/department, 404 unknown, 409 state, 422 invalid. */
export type RefusalStatus = 400 | 403 | 404 | 409 | 422;

/** A business rule refused a command. `code` is the stable machine word clients rely on. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const forbidden = (code: string, message: string) => new DomainError(403, code, message);
export const notFound = (code: string, message: string) => new DomainError(404, code, message);
export const conflict = (code: string, message: string) => new DomainError(409, code, message);
export const invalid = (code: string, message: string) => new DomainError(422, code, message);

/** The failure type by which recording says "the event store will never take these events" (data it refuses). */
export const EVENTS_UNRECORDABLE = 'events_unrecordable';
