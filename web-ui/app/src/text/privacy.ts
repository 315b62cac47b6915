/** 个人信息 / Personal data (PIPL 个人信息保护法 / GDPR) on the customer page: export, erase, audit trail. */
export const privacyZh = {
  'privacy.title': '个人信息（个人信息保护法）',
  'privacy.hint': '客户要求查阅或删除个人信息时使用。导出和删除都会记入审计日志。',
  'privacy.export': '导出个人信息（JSON）',
  'privacy.erase': '删除个人信息…',
  'privacy.reason': '删除原因（必填，记入审计日志）',
  'privacy.reasonPlaceholder': '例如：客户来电要求删除个人信息',
  'privacy.confirmText': '将永久删除此客户的姓名、电话、备注，以及通话、工单、订单、留言中的号码和内容。此操作不能撤销。',
  'privacy.confirm': '确认删除',
  'privacy.cancel': '取消',
  'privacy.erasedDone':
    '已删除：{phones} 个号码，{calls} 条通话，{tickets} 个工单，{orders} 个订单，{voicemails} 条留言，{callbacks} 个回拨，{sms} 条短信',
  'privacy.audit': '审计记录',
  'privacy.auditEmpty': '没有审计记录',
  'privacy.action.customer.erase': '删除个人信息',
  'privacy.action.customer.personal_data_export': '导出个人信息',
  'privacy.action.customer.view': '查看',
  'privacy.action.customer.create': '创建',
  'privacy.action.customer.update': '修改',
} as const;
