/**
 * The scorecard a new box starts with (服务质量考核 / service quality), from the call-center plans
 * in the shared seeds: greeting (开场问候), identity check (身份核实, auto-fail), accuracy of the
 * answer (业务准确), attitude (服务态度), call result recorded (通话小结) and closing (结束语).
 * The owner edits or replaces it; a saved change is a new version.
 */
import type { ScorecardInput } from './types.js';

export const DEFAULT_SCORECARD: ScorecardInput = {
  name: '服务质量考核 Service quality',
  passMark: 80,
  criteria: [
    { key: 'greeting', labelZh: '开场问候', labelEn: 'Greeting', weight: 10, critical: false },
    { key: 'identity', labelZh: '身份核实', labelEn: 'Identity check', weight: 15, critical: true },
    { key: 'accuracy', labelZh: '业务准确', labelEn: 'Accuracy', weight: 30, critical: false },
    { key: 'attitude', labelZh: '服务态度', labelEn: 'Attitude', weight: 25, critical: false },
    { key: 'summary', labelZh: '通话小结', labelEn: 'Call result recorded', weight: 10, critical: false },
    { key: 'closing', labelZh: '结束语', labelEn: 'Closing', weight: 10, critical: false },
  ],
};
