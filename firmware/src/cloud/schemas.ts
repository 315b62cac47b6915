/**
 * JSON Schemas of every payload of the contract (TypeBox, so the same objects check messages in
 * tests and appear in docs/asyncapi.yaml, which asyncapi.ts generates from them).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { ERROR_STATUS } from '../errors.js';

const Strict = { additionalProperties: false } as const;
const Iso = Type.String({ format: 'date-time', description: 'ISO 8601 UTC time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const StatusOnline = Type.Object(
  { state: Type.Literal('online'), session: Type.String(), fw: Type.String(), bootId: Type.String(), ts: Iso },
  { ...Strict, title: 'StatusOnline', description: 'Birth: retained, published at every connect.' },
);
export const StatusLost = Type.Object(
  { state: Type.Literal('lost'), session: Type.String() },
  {
    ...Strict,
    title: 'StatusLost',
    description: 'Last will (retained, no will delay): the broker publishes it when the session drops uncleanly.',
  },
);
export const StatusOffline = Type.Object(
  { state: Type.Literal('offline'), session: Type.String(), ts: Iso },
  { ...Strict, title: 'StatusOffline', description: 'Retained, published before a clean stop.' },
);
export const Status = Type.Union([StatusOnline, StatusLost, StatusOffline], { title: 'Status' });

export const ConfigDesired = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'Increases with every new desired config.' }),
    config: Type.Object({}, { description: 'A whole box config (docs/config.md); its `cloud` section is ignored.' }),
    restart: Type.Optional(Type.Boolean({ description: 'Restart the box gracefully when parts of the config need it.' })),
  },
  { ...Strict, title: 'ConfigDesired' },
);

const Issue = Type.Object({ path: Type.String({ description: 'JSON pointer' }), message: Type.String() }, Strict);
export const ConfigReported = Type.Object(
  {
    version: Nullable(Type.Integer({ minimum: 1 })),
    status: Type.Union([Type.Literal('applied'), Type.Literal('restart-required'), Type.Literal('rejected')], {
      description: 'applied: in effect for the next calls; restart-required: applied, but restartRequired waits for a restart.',
    }),
    errors: Type.Array(Issue),
    restartRequired: Type.Array(Type.String({ description: 'JSON pointer' }), { description: 'Parts in effect only after a restart.' }),
    ts: Iso,
  },
  { ...Strict, title: 'ConfigReported' },
);

export const CommandRequest = Type.Object(
  {
    requestId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Required on MQTT 3.1.1 (no correlation data).' })),
    args: Type.Optional(Type.Object({})),
    expiresAt: Type.Optional(Iso),
  },
  { ...Strict, title: 'CommandRequest' },
);

export const ErrorCode = Type.Union(
  Object.keys(ERROR_STATUS).map((k) => Type.Literal(k)),
  { description: 'CallboxError code (firmware/src/errors.ts)' },
);
export const CommandReplyOk = Type.Object(
  {
    requestId: Nullable(Type.String()),
    ok: Type.Literal(true),
    result: Type.Unknown(),
    chunk: Type.Optional(Type.Integer({ minimum: 0 })),
    chunks: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { ...Strict, title: 'CommandReplyOk' },
);
export const CommandReplyError = Type.Object(
  { requestId: Nullable(Type.String()), ok: Type.Literal(false), error: Type.Object({ code: ErrorCode, message: Type.String() }, Strict) },
  { ...Strict, title: 'CommandReplyError' },
);
export const CommandReply = Type.Union([CommandReplyOk, CommandReplyError], { title: 'CommandReply' });

const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const JobStatus = Type.Union(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED'].map((s) => Type.Literal(s)));

/** The `result` of each command's ok reply. */
export const CommandResults: Record<string, TSchema> = {
  ping: Type.Object({ pong: Type.Literal(true), ts: Iso, uptimeS: Type.Integer() }, Strict),
  diagnostics: Type.Object(
    {
      versions: Type.Object({ fw: Type.String(), node: Type.String(), platform: Type.String() }, Strict),
      uptimeS: Type.Integer(),
      channels: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), state: Type.String() }, Strict)),
      modules: Type.Array(Type.Object({ name: Type.String(), state: Type.String(), error: Type.Optional(Type.String()) }, Strict)),
      disk: Type.Object({ freeBytes: Nullable(Type.Number()), totalBytes: Nullable(Type.Number()) }, Strict),
      memory: Type.Object({ rssBytes: Type.Number(), heapUsedBytes: Type.Number() }, Strict),
      outbox: Type.Object(
        { backlog: Type.Record(Type.String(), Type.Integer()), alarm: Type.Boolean(), lastSyncAt: Nullable(Iso) },
        Strict,
      ),
    },
    Strict,
  ),
  logs: Type.Object(
    {
      lines: Type.Array(
        Type.Object({ seq: Type.Integer(), ts: Iso, type: Type.String(), callId: Nullable(Type.String()), data: Type.Unknown() }, Strict),
        { maxItems: 200 },
      ),
      lastSeq: Type.Integer(),
    },
    Strict,
  ),
  selftest: Type.Object(
    { passed: Type.Boolean(), checks: Type.Array(Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.String() }, Strict)) },
    Strict,
  ),
  reboot: Type.Object({ restarting: Type.Literal(true), exitCode: Type.Integer() }, Strict),
  'rotate-credentials': Type.Object({ rotated: Type.Literal(true), persisted: Type.Boolean(), reconnecting: Type.Literal(true) }, Strict),
  'ota-start': Type.Object(
    {
      jobId: Type.String(),
      status: JobStatus,
      accepted: Type.Boolean({ description: 'false: a job with this id exists already; status is its state (nothing new started)' }),
    },
    Strict,
  ),
  'recording-upload': Type.Object(
    {
      uploadId: Type.String(),
      recordingId: Type.String(),
      size: Type.Integer({ minimum: 0 }),
      sha256: Hex64,
      chunks: Type.Integer({ minimum: 1 }),
      chunkBytes: Type.Integer({ minimum: 1, maximum: 49152 }),
      status: Type.Union([Type.Literal('sending'), Type.Literal('done'), Type.Literal('failed')]),
      resumeFrom: Type.Integer({ minimum: 0, description: 'The first chunk sent now (the chunks before were acked earlier).' }),
    },
    Strict,
  ),
};

export const UploadChunk = Type.Object(
  {
    uploadId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    recordingId: Type.String(),
    name: Type.String({ description: 'The file name on the box (its extension tells the format).' }),
    index: Type.Integer({ minimum: 0 }),
    chunks: Type.Integer({ minimum: 1 }),
    offset: Type.Integer({ minimum: 0, description: 'index × 49152' }),
    size: Type.Integer({ minimum: 0, description: 'The whole file.' }),
    sha256: Hex64,
    chunkSha256: Hex64,
    meta: Type.Object({}, { description: 'callId, format, channels, startedAt, durationMs of the recording.' }),
    data: Type.String({ maxLength: 65536, description: 'At most 48 KiB of the file, base64.' }),
  },
  { ...Strict, title: 'UploadChunk', description: 'One chunk of a recording upload; the message stays under 64 KB.' },
);
export const UploadAck = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: 'Every chunk up to index is stored.' }),
    complete: Type.Optional(Type.Literal(true, { description: 'The whole file is stored and its sha256 checked.' })),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() }, Strict)),
  },
  { ...Strict, title: 'UploadAck', description: 'error: the upload is refused (e.g. HASH_MISMATCH of the whole file); the box stops it.' },
);

const JobStep = Nullable(
  Type.Union(
    ['download', 'verify', 'unpack', 'switch', 'restart', 'health', 'confirm', 'rollback'].map((s) => Type.Literal(s)),
    {
      description: 'The step running (IN_PROGRESS) or the one that failed (FAILED); null when QUEUED or SUCCEEDED.',
    },
  ),
);

export const JobUpdate = Type.Object(
  {
    jobId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    status: JobStatus,
    step: JobStep,
    percent: Type.Integer({ minimum: 0, maximum: 100, description: 'Whole job: download 0-40, install 40-100.' }),
    version: Nullable(Type.String({ description: 'The release being installed (null until known).' })),
    reason: Type.Optional(Type.String({ description: 'FAILED: why.' })),
    code: Type.Optional(
      Type.String({
        description:
          'FAILED: DOWNLOAD_FAILED, HASH_MISMATCH, SIZE_MISMATCH, INSTALLER_EXITED, UNAVAILABLE, or an installer code (BAD_SIGNATURE, DOWNGRADE, HEALTH_FAILED, … docs/ota.md).',
      }),
    ),
    rolledBackTo: Type.Optional(Nullable(Type.String({ description: 'FAILED after the switch: the release running again.' }))),
    at: Iso,
  },
  { ...Strict, title: 'JobUpdate' },
);

export const JobsNotify = Type.Object(
  {
    jobs: Type.Array(
      Type.Object(
        {
          jobId: Type.String(),
          status: JobStatus,
          step: JobStep,
          percent: Type.Integer({ minimum: 0, maximum: 100 }),
          version: Nullable(Type.String()),
          updatedAt: Iso,
        },
        Strict,
      ),
      { maxItems: 10, description: 'The recent jobs, newest first.' },
    ),
    ts: Iso,
  },
  { ...Strict, title: 'JobsNotify' },
);

export const RecordBatch = Type.Object(
  {
    seq: Type.Integer({
      minimum: 1,
      description:
        "Outbox seq of the last record; ack it with the batch's `from` to mark the batch done (without `from`: every record of the stream up to it).",
    }),
    from: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'The batch holds every pending record of the stream after this seq, up to `seq` (`from` is the seq of the batch sent before it, 0 for the first after a (re)start). Ack with the same `from`.',
      }),
    ),
    records: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, description: 'Record id (a ULID for back-office records, the call id for calls)' }),
          version: Type.Integer({ minimum: 1, description: 'Keep the highest version per id' }),
          ts: Iso,
          body: Type.Unknown({ description: 'The record as the REST API returns it' }),
        },
        Strict,
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { ...Strict, title: 'RecordBatch', description: '≤100 records and ≤64 KB (a single larger record travels alone).' },
);

/** The `body` of a record, per stream, where the contract fixes it (`Record_<stream>` in the AsyncAPI doc). */
export const RecordBodies: Record<string, TSchema> = {
  voicemail: Type.Object(
    {
      id: Type.String(),
      callId: Type.String(),
      box: Type.String({ description: 'The voicemail box (config voicemail.boxes[].id)' }),
      callerId: Nullable(Type.String()),
      createdAt: Iso,
      durationMs: Type.Integer({ minimum: 0 }),
      state: Type.Union([Type.Literal('new'), Type.Literal('heard'), Type.Literal('handled')]),
      handledBy: Nullable(Type.String()),
      handledAt: Nullable(Iso),
      note: Nullable(Type.String()),
    },
    {
      ...Strict,
      description:
        'Voicemail metadata (留言): queued when a message is saved and at every change of state or note; the audio stays on the box (cmd/recording-upload is for call recordings). version = the change time in ms.',
    },
  ),
  surveys: Type.Object(
    {
      id: Type.String({ description: 'survey:<callId> (one survey per call; record ids are unique across streams)' }),
      callId: Type.String(),
      queue: Nullable(Type.String()),
      agent: Nullable(Type.String()),
      answered: Type.Boolean({ description: 'false: the caller gave no valid score (survey.noAnswer)' }),
      score: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
      at: Iso,
    },
    { ...Strict, description: 'A post-call satisfaction survey result (满意度回访), queued with the survey event; version 1.' },
  ),
};

export const RecordAck = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    from: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          "The acked batch's `from`: only its records, (from, seq], are done (a batch lost before it stays pending). Without it the ack is cumulative, every record up to seq (older consumers).",
      }),
    ),
    refused: Type.Optional(
      Type.Literal('gap', {
        description:
          'Not stored: a batch before it has not arrived (the consumer keeps first arrivals in order). Nothing is done; the box sends again from its first unacked record. Only sent for batches with `from`.',
      }),
    ),
  },
  { ...Strict, title: 'RecordAck' },
);

export const Telemetry = Type.Object(
  {
    ts: Iso,
    linesTotal: Type.Optional(Type.Integer({ minimum: 0 })),
    linesBusy: Type.Optional(Type.Integer({ minimum: 0 })),
    callsActive: Type.Optional(Type.Integer({ minimum: 0 })),
    callsWaiting: Type.Optional(Type.Integer({ minimum: 0 })),
    serviceLevel: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1 }))),
    eventLoopLagP99S: Type.Optional(Type.Number({ minimum: 0 })),
    cpuPercent: Type.Number({ minimum: 0 }),
    load1: Type.Number({ minimum: 0 }),
    rssBytes: Type.Integer({ minimum: 0 }),
    diskFreeBytes: Nullable(Type.Number({ minimum: 0 })),
    diskTotalBytes: Nullable(Type.Number({ minimum: 0 })),
    outboxDepth: Type.Integer({ minimum: 0 }),
    outboxAlarm: Type.Boolean(),
  },
  { ...Strict, title: 'Telemetry' },
);

/** Every payload schema by the name docs/asyncapi.yaml gives it under components.schemas. */
export const PAYLOAD_SCHEMAS = {
  Status,
  ConfigDesired,
  ConfigReported,
  CommandRequest,
  CommandReply,
  RecordBatch,
  RecordAck,
  Telemetry,
  JobUpdate,
  JobsNotify,
  UploadChunk,
  UploadAck,
} as const;
