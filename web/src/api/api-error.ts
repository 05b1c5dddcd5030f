import type { Problem } from './types.ts';

/** A problem+json answer as an Error: `code` is the API's stable code, `errors` the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Problem['errors'] = [],
    /** The catalogue key of the message (`messages` namespace) and its params, when the server gave one. */
    readonly messageKey?: string,
    readonly params?: Problem['params'],
  ) {
    super(message);
  }
}
