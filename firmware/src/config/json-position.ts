/**
 * Where a JSON text is broken, as line and column, so an operator can find the typo. V8 names the
 * offset for most syntax errors; for the rest a small strict scanner finds the first bad character.
 */

export interface JsonErrorLocation {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export function locateJsonError(text: string, err: unknown): JsonErrorLocation {
  const message = err instanceof Error ? err.message : '';
  const m = /at position (\d+)/.exec(message);
  let offset = m ? Number(m[1]) : /end of JSON input/.test(message) ? text.length : scanForError(text);
  if (offset < 0 || offset > text.length) offset = text.length;
  return { offset, ...lineColumn(text, offset) };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class ScanError {
  constructor(readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Offset of the first character that makes `text` invalid JSON, or -1 if it is valid. */
export function scanForError(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new ScanError(i);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const str = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text.charAt(i);
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text.charAt(i + k))) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (e !== '' && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const seq = (close: string, item: () => void): void => {
    i++; // opening bracket
    ws();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      item();
      ws();
      const c = text.charAt(i);
      if (c === ',') i++;
      else if (c === close) {
        i++;
        return;
      } else fail();
    }
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      seq('}', () => {
        if (text.charAt(i) !== '"') fail();
        str();
        ws();
        if (text.charAt(i) !== ':') fail();
        i++;
        value();
      });
    } else if (c === '[') seq(']', value);
    else if (c === '"') str();
    else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail();
      i = NUMBER.lastIndex;
    } else {
      const lit = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
      if (!lit) fail();
      i += lit?.length ?? 0;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (e) {
    if (e instanceof ScanError) return e.at;
    return -1; // too deeply nested to scan: let the caller fall back
  }
}
