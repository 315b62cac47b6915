// kill -9 of the box process at 20 random moments while it drains (the acceptance count).
import t from 'tap';
import { killTrials } from '../integration/fixtures/kill-trials.js';

t.test('kill -9 while draining, 20 trials: nothing lost, nothing twice', (t) => killTrials(t, 20, 1500));
