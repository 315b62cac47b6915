/** Errors of OTA bundles and installs: a code the CLI, the job update and the tests can match. */
export type OtaErrorCode =
  | 'BAD_BUNDLE'
  | 'BAD_MANIFEST'
  | 'BAD_SIGNATURE'
  | 'BAD_KEY'
  | 'HASH_MISMATCH'
  | 'UNSAFE_PATH'
  | 'DOWNGRADE'
  | 'BUSY'
  | 'HEALTH_FAILED';

export class OtaError extends Error {
  constructor(
    readonly code: OtaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OtaError';
  }
}
