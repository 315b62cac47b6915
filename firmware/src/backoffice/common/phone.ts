/**
 * Phone numbers as the back office keeps them: digits only, with a leading + kept for
 * international form ("+8613812345678"); spaces, dashes, dots and brackets dropped. Caller ID from
 * an FXO line ("013812345678", "13812345678") and from the modem ("+8613812345678") are different
 * strings for one phone: `phoneKeys` gives the forms a lookup must try.
 */
import { CallboxError } from '../../errors.js';

/** Normalize user or line input; VALIDATION_FAILED (naming `field`) when it is not a phone number. */
export function normalizePhone(input: string, field = 'phone'): string {
  const trimmed = input.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/[\s\-.()（）]/g, '').replace(/^\+/, '');
  if (!/^[0-9]{3,20}$/.test(digits)) {
    throw new CallboxError(
      'VALIDATION_FAILED',
      `${field} must be a phone number of 3..20 digits (spaces, dashes and a leading + allowed)`,
      {
        field,
      },
    );
  }
  return plus ? `+${digits}` : digits;
}

/**
 * The stored forms that may belong to the same phone as `phone` (already normalized), for
 * `country` 'CN' (+86, trunk prefix 0), 'US' (+1) or 'EU' (no rewriting beyond the + form).
 */
export function phoneKeys(phone: string, country: 'CN' | 'US' | 'EU' = 'CN'): string[] {
  const keys = new Set<string>([phone]);
  const cc = country === 'CN' ? '86' : country === 'US' ? '1' : null;
  if (cc) {
    if (phone.startsWith(`+${cc}`)) {
      const national = phone.slice(1 + cc.length);
      keys.add(national);
      if (country === 'CN') keys.add(`0${national}`);
    } else if (!phone.startsWith('+')) {
      const national = country === 'CN' && phone.startsWith('0') && !phone.startsWith('00') ? phone.slice(1) : phone;
      keys.add(national);
      keys.add(`+${cc}${national}`);
      if (country === 'CN') keys.add(`0${national}`);
    }
  }
  return [...keys];
}

/** "13812345678" → "138****5678"; short numbers keep their last 2 digits. Never reversible. */
export function maskPhone(phone: string): string {
  const plus = phone.startsWith('+') ? '+' : '';
  const d = phone.replace(/^\+/, '');
  if (d.length <= 4) return `${plus}${'*'.repeat(Math.max(0, d.length - 2))}${d.slice(-2)}`;
  const keepStart = d.length >= 11 ? 3 : Math.min(3, d.length - 4);
  return `${plus}${d.slice(0, keepStart)}${'*'.repeat(d.length - keepStart - 4)}${d.slice(-4)}`;
}
