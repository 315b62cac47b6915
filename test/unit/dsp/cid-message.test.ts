// Caller ID message layer: published vectors, encode/parse round trips, checksums, reasons for
// absence, GB 2312 names, message waiting, truncation.
import t from 'tap';
import {
  cidChecksum,
  decodeName,
  encodeCallerId,
  encodeGb2312,
  MSG_MDMF,
  MSG_SDMF,
  parseCallerId,
} from '../../../hal/src/dsp/cid-message.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/), (x) => Number.parseInt(x, 16));

t.test('published vectors: the Telcordia SDMF example and a Chinese MDMF example', (t) => {
  // GR-30's example: September 30, 12:24, 609-555-1212, checksum 0x51.
  const sdmf = parseCallerId(hex('04 12 30 39 33 30 31 32 32 34 36 30 39 35 35 35 31 32 31 32 51'), 'bell202');
  t.match(sdmf, { format: 'sdmf', datetime: '09-30 12:24', number: '6095551212', checksumOk: true, complete: true });
  // A YD/T 1277.1 MDMF example (03-17 16:56, 2156430144), checksum 0xBA.
  const mdmf = parseCallerId(hex('80 16 01 08 30 33 31 37 31 36 35 36 02 0A 32 31 35 36 34 33 30 31 34 34 BA'), 'bell202');
  t.match(mdmf, { format: 'mdmf', datetime: '03-17 16:56', number: '2156430144', checksumOk: true, name: null });
  t.end();
});

t.test('encode → parse round trip, SDMF and MDMF', (t) => {
  const info = { number: '13800138000', name: 'ACME Ltd', datetime: '12251430' };
  const m = encodeCallerId(info, 'mdmf');
  t.equal(m[0], MSG_MDMF);
  t.equal(m[1], m.length - 3, 'length byte counts the body');
  t.equal(cidChecksum(m), 0, 'all bytes with the checksum sum to 0 mod 256');
  t.match(parseCallerId(m, 'bell202'), { number: '13800138000', name: 'ACME Ltd', datetime: '12-25 14:30', checksumOk: true });
  const s = encodeCallerId(info, 'sdmf');
  t.equal(s[0], MSG_SDMF);
  t.match(parseCallerId(s, 'v23'), { format: 'sdmf', number: '13800138000', name: null, datetime: '12-25 14:30', checksumOk: true });
  // A Date gives its local month, day, hours and minutes.
  const d = new Date(2024, 1, 29, 9, 5);
  t.equal(parseCallerId(encodeCallerId({ number: '1', datetime: d }), 'bell202').datetime, '02-29 09:05');
  t.throws(() => encodeCallerId({ number: '1', datetime: '2024' }), /MMDDHHMM/);
  t.end();
});

t.test('reasons for absence: O = unavailable, P = private (GR-30, EN 300 659-3)', (t) => {
  for (const [absence, code] of [
    ['private', 'P'],
    ['unavailable', 'O'],
  ] as const) {
    for (const format of ['sdmf', 'mdmf'] as const) {
      const m = parseCallerId(encodeCallerId({ absence, nameAbsence: absence }, format), 'bell202');
      t.match(m, { number: null, absence, absenceCode: code, checksumOk: true }, `${format} ${absence}`);
      if (format === 'mdmf') t.equal(m.nameAbsence, absence);
    }
  }
  t.end();
});

t.test('Chinese names: GB 2312 on the wire, decoded with TextDecoder("gbk")', (t) => {
  const bytes = encodeGb2312('张三丰');
  t.same(Array.from(bytes), [0xd5, 0xc5, 0xc8, 0xfd, 0xb7, 0xe1], 'GB 2312 codes of 张 三 丰');
  t.equal(decodeName(bytes), '张三丰');
  t.equal(decodeName(encodeGb2312('王小明 Ltd')), '王小明 Ltd', 'mixed with ASCII');
  t.equal(decodeName(Uint8Array.from([0x41, 0x42])), 'AB');
  t.throws(() => encodeGb2312('😀'), /not in GB 2312/);
  const m = parseCallerId(encodeCallerId({ number: '13912345678', name: '李四（采购部）', datetime: '01010800' }), 'bell202');
  t.equal(m.name, '李四（采购部）');
  t.end();
});

t.test('a bad checksum is reported, fields decoded but flagged; a cut message is incomplete', (t) => {
  const m = encodeCallerId({ number: '13800138000', name: 'Bob' });
  const bad = m.slice();
  bad[bad.length - 1] = ((bad[bad.length - 1] as number) + 1) & 0xff;
  t.match(parseCallerId(bad, 'bell202'), { checksumOk: false, complete: true, number: '13800138000' });
  const flipped = m.slice();
  flipped[8] = (flipped[8] as number) ^ 0x04;
  t.equal(parseCallerId(flipped, 'bell202').checksumOk, false, 'a flipped bit in the body');
  const cut = parseCallerId(m.subarray(0, 10), 'bell202');
  t.match(cut, { complete: false, checksumOk: false });
  t.end();
});

t.test('message waiting (SDMF 0x06, MDMF 0x82)', (t) => {
  const sdmf = (b: number): Uint8Array => {
    const m = Uint8Array.from([0x06, 3, b, b, b, 0]);
    m[5] = cidChecksum(m, 5);
    return m;
  };
  t.equal(parseCallerId(sdmf(0x42), 'bell202').messageWaiting, true);
  t.equal(parseCallerId(sdmf(0x6f), 'bell202').messageWaiting, false);
  const mdmf = Uint8Array.from([0x82, 3, 0x0b, 1, 0xff, 0]);
  mdmf[5] = cidChecksum(mdmf, 5);
  t.match(parseCallerId(mdmf, 'bell202'), { messageWaiting: true, checksumOk: true, format: 'mdmf' });
  t.end();
});
