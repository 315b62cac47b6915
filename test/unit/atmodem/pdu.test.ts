// SMS PDU codec against hand-worked vectors (3GPP TS 23.040 / 23.038 layouts): GSM 7-bit packing
// with and without a UDH, the extension table, UCS2 Chinese, 8- and 16-bit concatenation, SUBMIT
// encoding, splitting and reassembly both ways, and clear errors on broken PDUs.
import t from 'tap';
import { fromSeptets, isGsm7, packSeptets, toSeptets, unpackSeptets } from '../../../hal/src/drivers/atmodem/gsm7.js';
import { bytesToHex, decodeDeliver, encodeSubmit, hexToBytes } from '../../../hal/src/drivers/atmodem/pdu.js';
import { SmsAssembler, splitText } from '../../../hal/src/drivers/atmodem/sms-concat.js';
import { deliverPdu } from './fixtures/deliver.js';

t.test('septet packing: "hellohello" is E8329BFD4697D9EC37 (the 23.038 packing rule)', async (t) => {
  const packed = packSeptets(toSeptets('hellohello'));
  t.equal(bytesToHex(packed), 'E8329BFD4697D9EC37');
  t.equal(fromSeptets(unpackSeptets(packed, 10)), 'hellohello');
  // 8 septets fill exactly 7 octets
  t.equal(packSeptets(toSeptets('12345678')).length, 7);
});

t.test('GSM alphabet: basic table, extension table, what does not fit', async (t) => {
  t.same(toSeptets('@£$'), [0, 1, 2]);
  t.same(toSeptets('€[]'), [0x1b, 0x65, 0x1b, 0x3c, 0x1b, 0x3e]);
  t.equal(fromSeptets(toSeptets('{a|b}~^\\€')), '{a|b}~^\\€');
  t.ok(isGsm7('Hello, world! 123 ÄÖÜ'));
  t.notOk(isGsm7('你好'));
  t.throws(() => toSeptets('你'), /not in the GSM 7-bit alphabet/);
  for (let fill = 0; fill < 7; fill++) {
    const codes = toSeptets('The quick brown fox @£ jumps');
    t.same(unpackSeptets(packSeptets(codes, fill), codes.length, fill), codes, `fill ${fill}`);
  }
});

t.test('SMS-DELIVER, 7-bit: the classic hellohello PDU', async (t) => {
  const m = decodeDeliver('07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37');
  t.equal(m.smsc, '+27381000015');
  t.equal(m.from, '27838890001');
  t.equal(m.text, 'hellohello');
  t.equal(m.alphabet, 'gsm7');
  t.equal(m.concat, null);
  t.equal(new Date(m.sentAt).toISOString(), '1999-03-29T13:16:59.000Z'); // 15:16:59 +02:00
});

t.test('SMS-DELIVER, UCS2 Chinese from a Chinese number, +08:00 time stamp', async (t) => {
  const m = decodeDeliver('0891683108200105F0' + '04' + '0D91683115325476F8' + '0008' + '62117221430023' + '04' + '4F60597D');
  t.equal(m.smsc, '+8613800210500');
  t.equal(m.from, '+8613512345678');
  t.equal(m.alphabet, 'ucs2');
  t.equal(m.text, '你好');
  t.equal(new Date(m.sentAt).toISOString(), '2026-11-27T04:34:00.000Z');
});

t.test('deliver fixture builder agrees with the decoder (UCS2 and 7-bit, 8/16-bit concat)', async (t) => {
  const a = decodeDeliver(
    deliverPdu({ from: '+8613512345678', text: '订单查询', alphabet: 'ucs2', concat: { ref: 0xa5, total: 3, seq: 2, refBits: 8 } }),
  );
  t.same(a.concat, { ref: 0xa5, total: 3, seq: 2, refBits: 8 });
  t.equal(a.text, '订单查询');
  const b = decodeDeliver(
    deliverPdu({ from: '10086', text: 'Balance {low} €5', alphabet: 'gsm7', concat: { ref: 0x1234, total: 2, seq: 1, refBits: 16 } }),
  );
  t.same(b.concat, { ref: 0x1234, total: 2, seq: 1, refBits: 16 });
  t.equal(b.text, 'Balance {low} €5');
  t.equal(b.from, '10086');
});

t.test('SMS-DELIVER with an alphanumeric sender', async (t) => {
  // TOA D0 (alphanumeric), "Shop" = 4 septets = 28 bits = 7 semi-octets
  const sender = bytesToHex(packSeptets(toSeptets('Shop')));
  const hi = bytesToHex(packSeptets(toSeptets('Hi')));
  const m = decodeDeliver(`000407D0${sender}00006211722143002302${hi}`);
  t.equal(m.from, 'Shop');
  t.equal(m.text, 'Hi');
});

t.test('broken PDUs give clear errors, never crash', async (t) => {
  t.throws(() => decodeDeliver('0'), /even run of hex/);
  t.throws(() => decodeDeliver('ZZ'), /even run of hex/);
  t.throws(() => decodeDeliver(''), /ends before the SMSC length/);
  t.throws(() => decodeDeliver('0001'), /not an SMS-DELIVER/);
  t.throws(() => decodeDeliver('00040B91'), /ends inside the sender address/);
  const good = '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37';
  for (let n = 0; n < good.length - 2; n += 2) {
    try {
      decodeDeliver(good.slice(0, n));
    } catch (e) {
      t.type(e, Error);
    }
  }
  t.end();
});

t.test('SMS-SUBMIT: the classic hellohello to +46708251358', async (t) => {
  const [part] = splitText('hellohello', 0);
  const pdu = encodeSubmit('+46708251358', part as never);
  t.equal(pdu.hex, '0011000B916407281553F80000AA0AE8329BFD4697D9EC37');
  t.equal(pdu.tpduLength, 23);
  t.throws(() => encodeSubmit('abc', part as never), /cannot send an SMS to "abc"/);
});

t.test('SMS-SUBMIT UCS2: 你好 to a national number', async (t) => {
  const [part] = splitText('你好', 0);
  t.equal(encodeSubmit('13512345678', part as never).hex, '0011000B813115325476F80008AA044F60597D');
});

t.test('split: 160/153 septets, 70/67 UCS2 units, escape and surrogate pairs kept whole', async (t) => {
  t.equal(splitText('a'.repeat(160), 1).length, 1);
  const p = splitText('a'.repeat(161), 7);
  t.same(
    p.map((x) => x.units.length),
    [153, 8],
  );
  t.same(p[0]?.concat, { ref: 7, total: 2, seq: 1, refBits: 8 });
  t.same(
    splitText('a'.repeat(200), 0x1234, 16).map((x) => x.units.length),
    [152, 48],
  );
  const esc = splitText(`${'a'.repeat(152)}€${'b'.repeat(10)}`, 1);
  t.equal(esc[0]?.units.length, 152, 'ESC not left alone at a part end');
  t.equal(splitText('中'.repeat(70), 1).length, 1);
  t.same(
    splitText('中'.repeat(71), 1).map((x) => x.units.length),
    [67, 4],
  );
  const emoji = splitText(`${'中'.repeat(66)}😀${'x'.repeat(10)}`, 1);
  t.equal(emoji[0]?.units.length, 66, 'surrogate pair not split');
  t.throws(() => splitText('中'.repeat(67 * 256), 1), /255 parts/);
});

t.test('round trip: split → SUBMIT → (as DELIVER) → reassemble, parts in any order', async (t) => {
  const texts = ['您好，我想查询一下订单 20261127-0042 的物流，快递一直没有更新，麻烦尽快回复，谢谢！'.repeat(3), 'x'.repeat(400), 'short'];
  for (const [k, text] of texts.entries()) {
    for (const refBits of [8, 16] as const) {
      const parts = splitText(text, 300 + k, refBits);
      const pdus = parts.map((p) => deliverPdu({ from: '+8613512345678', text: partText(p), alphabet: p.alphabet, concat: p.concat }));
      const asm = new SmsAssembler();
      let got: string | null = null;
      for (const hex of [...pdus].reverse()) {
        const r = asm.add(decodeDeliver(hex), 0);
        if (r) got = r.text;
      }
      t.equal(got, text, `text ${k} ref ${refBits}`);
      t.equal(asm.waiting, 0);
    }
  }
});

t.test('reassembly: separate senders and references do not mix; partial expiry keeps what came', async (t) => {
  const asm = new SmsAssembler();
  const mk = (from: string, ref: number, seq: number, text: string) =>
    decodeDeliver(deliverPdu({ from, text, alphabet: 'ucs2', concat: { ref, total: 2, seq, refBits: 8 } }));
  t.equal(asm.add(mk('+8611', 1, 1, '甲'), 0), null);
  t.equal(asm.add(mk('+8622', 1, 2, '乙'), 0), null);
  t.equal(asm.add(mk('+8611', 2, 2, '丙'), 0), null);
  t.equal(asm.add(mk('+8611', 1, 2, '丁'), 0)?.text, '甲丁');
  t.equal(asm.expire(1000, 5000).length, 0);
  const old = asm.expire(10_000, 5000);
  t.same(old.map((m) => [m.from, m.text, m.complete]).sort(), [
    ['+8611', '丙', false],
    ['+8622', '乙', false],
  ]);
});

function partText(p: { alphabet: string; units: number[] }): string {
  return p.alphabet === 'gsm7' ? fromSeptets(p.units) : String.fromCharCode(...p.units);
}

t.test('hex helpers', async (t) => {
  t.same(Array.from(hexToBytes('00ff10')), [0, 255, 16]);
  t.equal(bytesToHex(Uint8Array.from([0, 255, 16])), '00FF10');
});
