// The download header (web-ui/server/content-disposition.ts): a plain name as it is; a name with
// characters outside printable ASCII as an ASCII fallback plus the UTF-8 name in filename*
// (RFC 6266 / 8187), which Node accepts as a header and a browser decodes back to the name.
import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import t from 'tap';
import { contentDisposition } from '../../../web-ui/server/content-disposition.js';

/** Whether Node takes the value as a header (it throws ERR_INVALID_CHAR on what a 500 came from). */
function nodeTakes(value: string): boolean {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  try {
    res.setHeader('Content-Disposition', value);
    return true;
  } catch {
    return false;
  }
}

/** The file name a browser reads: filename* (decoded) when there, else filename. */
function browserName(header: string): string | undefined {
  const star = /filename\*=UTF-8''([^;]+)/.exec(header);
  if (star) return decodeURIComponent(star[1] as string);
  return /filename="([^"]*)"/.exec(header)?.[1];
}

t.test('plain names unchanged', (t) => {
  t.equal(contentDisposition('attachment', 'customers-2026-11-28.csv'), 'attachment; filename="customers-2026-11-28.csv"');
  t.equal(contentDisposition('inline', '01JDQ5M1T8.wav'), 'inline; filename="01JDQ5M1T8.wav"');
  t.end();
});

t.test('other characters: an ASCII fallback and the whole name in filename*', (t) => {
  for (const name of ['customer-张三.json', '小李茶叶店-月报-2026-10.xlsx', "it's (1) *.csv", 'a"b\\c.txt', 'tab\there.txt', 'ü.txt']) {
    const h = contentDisposition('attachment', name);
    t.ok(nodeTakes(h), `Node takes ${JSON.stringify(h)}`);
    t.notOk(/filename="[^"]*["\\][^"]*"/.test(h.replace(/filename\*=.*/, '')), 'no quote or backslash inside the fallback');
    t.equal(browserName(h), name, `a browser reads ${JSON.stringify(name)} back`);
  }
  t.equal(
    contentDisposition('attachment', 'customer-张三.json'),
    `attachment; filename="customer-__.json"; filename*=UTF-8''customer-%E5%BC%A0%E4%B8%89.json`,
  );
  t.notOk(nodeTakes('attachment; filename="customer-张三.json"'), 'the old header: Node refuses it');
  t.end();
});
