/**
 * The one error class of the box. Codes are stable: they reach HTTP clients (with the status
 * below), MQTT response envelopes and the CLI.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  CONFIG_INVALID: 400,
  /** An OTA bundle that is not one, or does not verify (details.reason: the OTA code, e.g. BAD_SIGNATURE, HASH_MISMATCH). */
  BAD_BUNDLE: 400,
  UNAUTHORIZED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** An OTA bundle not newer than the running release, or needing a newer one first. */
  DOWNGRADE: 409,
  /** No OTA launcher here (no CALLBOX_OTA_ROOT): a bundle cannot be installed. */
  OTA_UNAVAILABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** A write was made but the storage did not confirm it (fsync failed: the SD card is failing). */
  STORAGE_FAILED: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class CallboxError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'CallboxError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isCallboxError(err: unknown): err is CallboxError {
  return err instanceof CallboxError;
}
