/** The agent console's call result panel (通话小结, pages/console-disposition.tsx). */
export const dispositionZh = {
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
  'disp.followup': '预约回电',
  'disp.followupList': '回访列表',
  'disp.followupAt': '回电时间',
  'disp.followupSave': '加入回访',
  'disp.followupDone': '已加入回访列表',
} as const;
