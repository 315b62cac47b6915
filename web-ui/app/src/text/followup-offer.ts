/**
 * 回访推送 / the preview dialer's offer in the agent console (pages/console-offer.tsx). A lazy
 * area: imported by the console's chunk with its English pair through `areaText` (i18n.ts).
 */
export const followupOfferZh = {
  title: '回访推送',
  hint: '空闲时，系统会把到期的回访推送给您：先看客户和话术，再决定拨打或跳过。',
  none: '暂时没有要回访的客户',
  list: '名单',
  customer: '客户',
  unknownCustomer: '未建档客户',
  phone: '电话',
  note: '备注',
  script: '话术',
  attempts: '已拨 {n} 次',
  expires: '{t} 前未处理将推送给其他坐席',
  accept: '拨打',
  skip: '跳过',
  skipNote: '跳过原因（可选）',
  skipped: '已跳过，5 分钟后会再推送',
  calling: '您的话机正在振铃，摘机后系统拨打客户',
  closedByBox: '通话已结束，系统已记录：{result}',
  outcomeTitle: '通话后请记录回访结果',
  'refusal.agentBusy': '您的话机正忙，请挂机后再拨',
  'refusal.noLine': '没有空闲的外线，请稍后再拨',
  'refusal.do_not_call': '该客户拒绝来电，不能拨打',
  'refusal.expired': '推送已过期，已回到名单',
} as const;
