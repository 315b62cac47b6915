/**
 * Phone numbers as the back office keeps them: digits only, with a leading + kept for
 * international form ("+8613812345678"); spaces, dashes, dots and brackets dropped, full-width
 * digits (１３８…, typed with a Chinese input method) read as digits. Caller ID from an FXO line
 * ("013812345678", "13812345678"), from the modem ("+8613812345678") or typed with the
 * international prefix ("008613812345678") are different strings for one phone: `phoneKeys` gives
 * the forms a lookup must try.
 */
import { CallboxError } from '../../errors.js';

export type PhoneCountry = 'CN' | 'US' | 'EU';

/** Full-width digits, plus and dash (U+FF10..FF19, U+FF0B, U+FF0D) as ASCII. */
function halfWidth(s: string): string {
  return s.replace(/[\uff10-\uff19\uff0b\uff0d]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Normalize user or line input; VALIDATION_FAILED (naming `field`) when it is not a phone number. */
export function normalizePhone(input: string, field = 'phone'): string {
  const trimmed = halfWidth(input).trim();
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
 * `country` 'CN' (+86, trunk prefix 0, international prefix 00), 'US' (+1, long-distance prefix
 * 1, international prefix 011) or 'EU' (only the + and 00 forms of international numbers).
 */
export function phoneKeys(phone: string, country: PhoneCountry = 'CN'): string[] {
  const keys = new Set<string>([phone]);
  const idd = country === 'US' ? '011' : '00';
  const cc = country === 'CN' ? '86' : country === 'US' ? '1' : null;
  let intl: string | null = null;
  if (phone.startsWith('+')) intl = phone;
  else if (phone.startsWith(idd) && phone.length > idd.length + 2) intl = `+${phone.slice(idd.length)}`;
  if (intl) {
    keys.add(intl);
    keys.add(`${idd}${intl.slice(1)}`);
  }
  if (!cc) return [...keys];
  let national: string | null = null;
  if (intl) {
    if (intl.startsWith(`+${cc}`) && intl.length > cc.length + 3) national = intl.slice(1 + cc.length);
  } else if (country === 'CN') {
    national = phone.startsWith('0') && !phone.startsWith('00') ? phone.slice(1) : phone;
  } else {
    national = phone.length === 11 && phone.startsWith('1') ? phone.slice(1) : phone;
  }
  if (national) {
    keys.add(national);
    keys.add(`+${cc}${national}`);
    keys.add(`${idd}${cc}${national}`);
    keys.add(country === 'CN' ? `0${national}` : `1${national}`);
  }
  return [...keys];
}

/**
 * "13812345678" → "138****5678", "+8613812345678" → "+86138****5678": numbers of 11 digits and
 * more hide the 4 digits before the last 4 (the Chinese convention); shorter ones hide at least
 * half of their digits ("88886666" → "88****66"); numbers of up to 4 digits (extensions) keep
 * their last 2. Never reversible.
 */
export function maskPhone(phone: string): string {
  const plus = phone.startsWith('+') ? '+' : '';
  const d = phone.replace(/^\+/, '');
  const n = d.length;
  if (n <= 4) return `${plus}${'*'.repeat(Math.max(0, n - 2))}${d.slice(-2)}`;
  if (n >= 11) return `${plus}${d.slice(0, n - 8)}****${d.slice(-4)}`;
  const hidden = Math.ceil(n / 2);
  const end = Math.ceil((n - hidden) / 2);
  const start = n - hidden - end;
  return `${plus}${d.slice(0, start)}${'*'.repeat(hidden)}${d.slice(n - end)}`;
}
