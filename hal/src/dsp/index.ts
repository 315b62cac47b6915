/** Public API of the DSP library: pure TypeScript on Int16Array, 8 kHz mono (see README.md). */
export {
  ALAW_SILENCE,
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ULAW_SILENCE,
  ulawToLinear,
} from './g711.js';
export {
  DBM0_REF_RMS,
  DBM0_SINE_PEAK,
  dbm0ToAmplitude,
  dbm0ToPower,
  frameEnergyDbm0,
  isSilent,
  LEVEL_FLOOR_DBM0,
  meanSquare,
  rms,
  rmsToDbm0,
} from './level.js';
export { applyGain, clamp16, dbToGain, mixInto } from './mix.js';
export type { ToneOptions, ToneSpec } from './tone.js';
export { ToneGenerator } from './tone.js';
export type { ToneName, TonePlan, ToneRegion } from './tone-presets.js';
export { TONE_PRESETS, tonePreset } from './tone-presets.js';
export { DTMF_COL_FREQS, DTMF_DIGITS, DTMF_KEYPAD, DTMF_ROW_FREQS, dtmfFrequencies } from './dtmf-tables.js';
export type { DtmfGeneratorOptions } from './dtmf-gen.js';
export { DtmfGenerator } from './dtmf-gen.js';
export type { DtmfDetectorOptions } from './dtmf-detect.js';
export {
  BLOCK_ALLOWANCE_DB,
  DEFAULT_MIN_LEVEL_DBM0,
  DTMF_BLOCK_MS,
  DTMF_BLOCK_SIZE,
  DtmfDetector,
  END_MISS_BLOCKS,
  MAX_DEVIATION_PCT,
  MAX_HARMONIC_DB,
  MAX_RESIDUAL_RATIO,
  MIN_HALF_BLOCK_RATIO,
  MIN_HIT_BLOCKS,
  MIN_TONE_ENERGY_RATIO,
  NORMAL_TWIST_DB,
  RELATIVE_PEAK_DB,
  REVERSE_TWIST_DB,
  TWIST_MARGIN_DB,
} from './dtmf-detect.js';
export type { DtmfMeasurement } from './dtmf-validate.js';
export type { ParseWavOptions, WavData, WavFormat } from './wav.js';
export { encodeWav16, parseWav, WavFormatError } from './wav.js';
export {
  loadWavAs8k,
  RESAMPLE_CUTOFF_HZ,
  RESAMPLE_HALF_WIDTH_S,
  RESAMPLE_KAISER_BETA,
  RESAMPLE_MAX_PHASES,
  resample,
  resampleTo8k,
} from './resample.js';
export { digitEndMs, digitStartMs } from './dtmf-detect.js';
export type { FskModulatorOptions, FskSpec, FskStandard } from './fsk.js';
export { FSK_SPECS, FskModulator, uartBits } from './fsk.js';
export type { FskDemodulatorOptions } from './fsk-demod.js';
export { CORRELATOR_SAMPLES, FSK_MIN_LEVEL_DBM0, FskDemodulator } from './fsk-demod.js';
export type { CallerIdInfo, CallerIdMessage, CidAbsence, CidFormat, CidStandard } from './cid-message.js';
export { cidChecksum, decodeName, encodeCallerId, encodeGb2312, parseCallerId } from './cid-message.js';
export { DTMF_CID_GAP_MS, DtmfCallerIdParser, encodeDtmfCallerId, parseDtmfCallerId } from './cid-dtmf.js';
export type { CallerIdReceiverOptions } from './cid-receive.js';
export { CallerIdReceiver, MARK_MIN_BITS, SEIZURE_MIN_BITS } from './cid-receive.js';
export type { CallerIdGeneratorOptions } from './cid-gen.js';
export { CALLER_ID_PRESETS, CallerIdGenerator } from './cid-gen.js';
export type { ProgressClass, ProgressEventName, ProgressProfile, ProgressTone, ProgressToneName } from './progress-profiles.js';
export { buildProfile, CADENCE_SLACK_MS, CADENCE_TOLERANCE, PROGRESS_PROFILES } from './progress-profiles.js';
export type { CallProgressOptions, ProgressEvent } from './progress-detect.js';
export { CallProgressDetector, PROGRESS_BLOCK_MS, PROGRESS_BLOCK_SIZE } from './progress-detect.js';
export type { LineMonitorOptions } from './line-monitor.js';
export { LineMonitor } from './line-monitor.js';
