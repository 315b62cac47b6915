/** The agent console's call result panel (通话小结, pages/console-disposition.tsx) and callbacks (回拨预约: text/callbacks.ts). */
import { callbacksZh } from './callbacks.js';

export const dispositionZh = {
  ...callbacksZh,
  'disp.title': '通话小结',
  'disp.none': '接听电话后可在此选择通话结果。',
  'disp.call': '通话 {phone} · {time}',
  'disp.code': '通话结果',
  'disp.pick': '请选择…',
  'disp.note': '备注（可选）',
  'disp.save': '保存小结',
  'disp.saved': '已保存：{label}',
  'disp.current': '当前结果：{label}',
  'disp.noneSet': '系统记录：未填写',
  'disp.phoneHint': '模拟话机：通话中或话后按 *4 加代码，例如 *41。',
} as const;
