/** DTMF frequency plan (ITU-T Q.23): a key is one low-group (row) plus one high-group (column) tone. */

/** Low-group (row) frequencies in Hz. */
export const DTMF_ROW_FREQS: readonly number[] = [697, 770, 852, 941];
/** High-group (column) frequencies in Hz. */
export const DTMF_COL_FREQS: readonly number[] = [1209, 1336, 1477, 1633];

/** Keys by [row][column]. */
export const DTMF_KEYPAD: readonly (readonly string[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/** Every DTMF key, in keypad order. */
export const DTMF_DIGITS = '123A456B789C*0#D';

/** Row and column frequencies of a key (case-insensitive for A-D), or undefined if not a key. */
export function dtmfFrequencies(digit: string): { row: number; col: number } | undefined {
  const idx = DTMF_DIGITS.indexOf(digit.toUpperCase());
  if (digit.length !== 1 || idx < 0) return undefined;
  return { row: DTMF_ROW_FREQS[idx >> 2] as number, col: DTMF_COL_FREQS[idx & 3] as number };
}
