/**
 * Call result codes (通话小结 / dispositions): what a call was about, set by the agent during the
 * call or its wrap-up (FXS feature code `*4N`, the agent console, the API). Absent from a config
 * file: DEFAULT_DISPOSITIONS, taken from the shop's own plan (客户最主要咨询的问题: 查询真伪, 产品如何
 * 服用, 在哪里购买, 质量问题反馈, 服用后身体反应; plus 下单, 投诉 and 无效来电).
 */
import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict } from './schema-base.js';

/** Digits only: an FXS agent dials `*4` + the code. `none` is the box's own code (wrap-up limit). */
export const DISPOSITION_CODE_PATTERN = '^[0-9]{1,2}$';

export const DispositionSchema = Type.Object(
  {
    /** 1-2 digits, what an FXS agent dials after *4 (e.g. *41). */
    code: Type.String({ pattern: DISPOSITION_CODE_PATTERN }),
    label: Type.Object({ 'zh-CN': Name, en: Name }, Strict),
  },
  Strict,
);

export const DispositionsSchema = Type.Array(DispositionSchema, { minItems: 1, maxItems: 30 });

export type DispositionConfig = Static<typeof DispositionSchema>;

export const DEFAULT_DISPOSITIONS: readonly DispositionConfig[] = [
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

/** The list a box runs with: the config's, or the defaults. */
export function dispositionsOf(c: { dispositions?: readonly DispositionConfig[] }): readonly DispositionConfig[] {
  return c.dispositions ?? DEFAULT_DISPOSITIONS;
}
