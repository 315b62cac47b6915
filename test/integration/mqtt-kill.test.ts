// kill -9 of the box process while it drains its outbox (3 trials here; 20 in test/slow/).
import t from 'tap';
import { killTrials } from './fixtures/kill-trials.js';

t.test('kill -9 while draining: nothing lost, nothing twice', (t) => killTrials(t, 3));
