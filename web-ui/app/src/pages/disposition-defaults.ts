/**
 * The shop plan's default call result codes, as the setup page starts from them when the config has
 * none (a copy of firmware/src/config/schema-dispositions.ts DEFAULT_DISPOSITIONS: the app imports
 * only types from the firmware; test/unit/web-ui/setup-time.test.ts keeps the two the same).
 */
import type { Config } from '../../../../firmware/src/service/types.js';

type Disposition = NonNullable<Config['dispositions']>[number];

export const DEFAULT_CODES: readonly Disposition[] = [
  { code: '1', label: { 'zh-CN': '咨询', en: 'Inquiry' } },
  { code: '2', label: { 'zh-CN': '下单', en: 'Order' } },
  { code: '3', label: { 'zh-CN': '查询真伪', en: 'Authenticity check' } },
  { code: '4', label: { 'zh-CN': '购买渠道', en: 'Where to buy' } },
  { code: '5', label: { 'zh-CN': '服用指导', en: 'Usage advice' } },
  { code: '6', label: { 'zh-CN': '售后/质量问题', en: 'After-sales / quality' } },
  { code: '7', label: { 'zh-CN': '投诉', en: 'Complaint' } },
  { code: '8', label: { 'zh-CN': '回访', en: 'Follow-up' } },
  { code: '9', label: { 'zh-CN': '无效来电', en: 'Invalid call' } },
];
