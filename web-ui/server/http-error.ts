/**
 * Errors that only exist at the HTTP layer and so have no code in the firmware's ERROR_STATUS
 * (405, 415, 501). Everything else is a CallboxError.
 */
export const HTTP_ONLY_STATUS = {
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_IMPLEMENTED: 501,
} as const;

export type HttpOnlyCode = keyof typeof HTTP_ONLY_STATUS;

export class HttpError extends Error {
  readonly code: HttpOnlyCode;
  readonly details: unknown;

  constructor(code: HttpOnlyCode, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return HTTP_ONLY_STATUS[this.code];
  }
}
