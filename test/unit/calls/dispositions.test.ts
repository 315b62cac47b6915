// Call results (通话小结): the *4N feature code, the in-call key collector and the request check.
import t from 'tap';
import { checkDisposition, inCallDispositionKey } from '../../../firmware/src/calls/dispositions.js';
import { confirmationPrompt, parseFeatureCode } from '../../../firmware/src/calls/feature-codes.js';
import { DEFAULT_DISPOSITIONS } from '../../../firmware/src/config/schema-dispositions.js';

t.test('*4N on an idle phone', (t) => {
  t.same(parseFeatureCode('*41'), { kind: 'disposition', code: '1' });
  t.same(parseFeatureCode('*412#'), { kind: 'disposition', code: '12' });
  t.equal(parseFeatureCode('*4'), null, 'a code is needed');
  t.equal(parseFeatureCode('*4123'), null, 'at most 2 digits');
  t.equal(confirmationPrompt({ kind: 'disposition', code: '1' }), 'fc-disposition');
  t.end();
});

t.test('keys during a call', (t) => {
  const keys = (digits: string, codes: string[]) => {
    const ctx: { dispositionDigits?: string } = {};
    return [...digits].map((d) => inCallDispositionKey(ctx, d, codes));
  };
  t.same(keys('*42', ['1', '2']), [null, null, '2'], 'a one-digit code is taken at once');
  t.same(keys('*412', ['1', '12']), [null, null, null, '12'], 'a prefix of a longer code waits');
  t.same(keys('*41#', ['1', '12']), [null, null, null, '1'], '# ends a prefix code');
  t.same(keys('*40', ['1', '2']), [null, null, 'invalid'], 'unknown code');
  t.same(keys('12*1*42', ['2']), [null, null, null, null, null, null, '2'], 'other keys (recording *1) do not disturb');
  t.same(keys('*5', ['5']), [null, null], '*5 is not a call result');
  t.end();
});

t.test('request check names the field', (t) => {
  t.same(checkDisposition(DEFAULT_DISPOSITIONS, { code: '7', note: ' 态度差 ' }), { code: '7', note: '态度差' });
  t.same(checkDisposition(DEFAULT_DISPOSITIONS, { code: '9', note: '' }), { code: '9', note: null });
  t.throws(() => checkDisposition(DEFAULT_DISPOSITIONS, { code: 'none' }), { code: 'VALIDATION_FAILED', details: { field: 'code' } });
  t.throws(() => checkDisposition(DEFAULT_DISPOSITIONS, null), { code: 'VALIDATION_FAILED', details: { field: 'code' } });
  t.throws(() => checkDisposition(DEFAULT_DISPOSITIONS, { code: '1', note: ['x'] }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'note' },
  });
  t.end();
});
