/** The wallboard's health line and alarm list (告警, pages/wallboard.tsx; codes: service/alarms.ts). */
export const healthZh = {
  'alarm.title': '告警',
  'alarm.CHANNEL_ERROR': '线路故障',
  'alarm.MODULE_FAILED': '模块故障',
  'alarm.LISTENER_FAILED': '软件故障（事件处理出错，通话继续）',
  'alarm.RECORDING_FAILED': '录音失败（磁盘已满或不可写）',
  'alarm.CLOUD_OFFLINE': '云端未连接（数据已在本机排队）',
  'alarm.CLOUD_OUTBOX_BACKLOG': '待同步记录过多（不会丢失）',
} as const;
