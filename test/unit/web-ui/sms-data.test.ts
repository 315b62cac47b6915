// The SMS page's Sent tab threads: sent messages grouped by the number as shown (masked for
// agents), newest thread first, each conversation oldest first, failed sends counted (received
// messages are the inbox tab's); and the part count of a text (GSM 7-bit 160/153, Chinese UCS2 70/67), the same as
// the modem driver's split (hal/src/drivers/atmodem/sms-concat.ts).
import t from 'tap';
import type { SmsMessage } from '../../../firmware/src/service/types.js';
import { splitText } from '../../../hal/src/drivers/atmodem/sms-concat.js';
import { smsParts, smsThreads } from '../../../web-ui/app/src/pages/sms-data.js';

const msg = (id: string, to: string, createdAt: string, status: SmsMessage['status'] = 'sent'): SmsMessage => ({
  id,
  direction: 'out',
  to,
  text: `text ${id}`,
  status,
  attempts: 1,
  nextTryAt: null,
  lastError: status === 'failed' ? 'CMS ERROR 500' : null,
  parts: 1,
  customerId: null,
  ticketId: null,
  createdBy: 'owner',
  createdAt,
  sentAt: null,
  deliveredAt: null,
  delivery: [],
});

t.test('threads per number', (t) => {
  const threads = smsThreads([
    msg('a', '139****5678', '2026-11-27T08:00:00Z'),
    msg('b', '138****0000', '2026-11-27T09:00:00Z', 'failed'),
    msg('c', '139****5678', '2026-11-27T07:00:00Z'),
    msg('d', '137****1111', '2026-11-26T07:00:00Z'),
  ]);
  t.same(
    threads.map((x) => x.number),
    ['138****0000', '139****5678', '137****1111'],
    'newest thread first',
  );
  const main = threads[1];
  t.same(
    main?.entries.map((e) => e.msg.id),
    ['c', 'a'],
    'oldest first',
  );
  t.equal(threads[0]?.failed, 1, 'failed sends counted');
  t.equal(main?.failed, 0);
  t.same(smsThreads([]), []);
  t.end();
});

t.test('parts', (t) => {
  t.equal(smsParts(''), 0);
  t.equal(smsParts('a'.repeat(160)), 1);
  t.equal(smsParts('a'.repeat(161)), 2);
  t.equal(smsParts('a'.repeat(306)), 2);
  t.equal(smsParts('好'.repeat(70)), 1);
  t.equal(smsParts('好'.repeat(71)), 2);
  t.equal(smsParts(`退货已受理 ok`), 1);
  t.equal(smsParts('😀'.repeat(35)), 1, 'an emoji is two UCS2 units');
  t.equal(smsParts('😀'.repeat(36)), 2);
  // regression: a GSM 7-bit extension character (€ ^ { } [ ] ~ | \\) is two septets, as the modem sends it
  t.equal(smsParts('€'.repeat(80)), 1);
  t.equal(smsParts('€'.repeat(81)), 2, '162 septets: two parts (was counted as 81 characters, one part)');
  t.equal(smsParts(`${'a'.repeat(152)}€${'a'.repeat(10)}`), 2, 'a part never ends inside an extension pair');
  t.end();
});

t.test("the page's part count is the modem driver's", (t) => {
  const samples = [
    'a',
    'a'.repeat(160),
    'a'.repeat(161),
    'a'.repeat(459),
    'a'.repeat(460),
    '€'.repeat(80),
    '€'.repeat(81),
    `${'a'.repeat(152)}€${'a'.repeat(200)}`,
    `${'a'.repeat(159)}{`,
    '好'.repeat(70),
    '好'.repeat(71),
    '好'.repeat(134),
    '好'.repeat(135),
    '😀'.repeat(35),
    '😀'.repeat(36),
    `${'好'.repeat(66)}😀${'好'.repeat(10)}`,
    '退货已受理，单号 SF1234567890，请查收。',
  ];
  for (const text of samples) t.equal(smsParts(text), splitText(text, 0).length, `${text.slice(0, 12)}… (${text.length})`);
  t.end();
});
