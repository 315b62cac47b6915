/** Page names in the header navigation (导航栏). One key per page of ../pages.ts. */
export const pagesZh = {
  'page.wallboard': '实时看板',
  'page.console': '坐席工作台',
  'page.calls': '通话记录',
  'page.customers': '客户',
  'page.tickets': '工单',
  'page.kb': '知识库',
  'page.users': '用户与角色',
  'page.reports': '报表',
  'page.products': '商品',
  'page.orders': '订单',
  'page.followups': '回访',
  'page.account': '账户',
  'page.sms': '短信',
  'page.qa': '质检',
  'page.loadFailed': '页面加载失败，请检查与设备的连接。',
  'page.retry': '重试',
} as const;
