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

export const healthEn: Record<keyof typeof healthZh, string> = {
  'alarm.title': 'Alarms',
  'alarm.CHANNEL_ERROR': 'Line or phone out of service',
  'alarm.MODULE_FAILED': 'Module failed',
  'alarm.LISTENER_FAILED': 'Software fault (an event handler failed; calls go on)',
  'alarm.RECORDING_FAILED': 'Recording failed (disk full or not writable)',
  'alarm.CLOUD_OFFLINE': 'Cloud offline (records queue on the box)',
  'alarm.CLOUD_OUTBOX_BACKLOG': 'Many records waiting for the cloud (none lost)',
};
