/** Page names in the header navigation (导航栏). One key per page of ../pages.ts. */
export const pagesZh = {
  'page.wallboard': '实时看板',
  'page.console': '坐席工作台',
  'page.users': '用户与角色',
  'page.account': '账户',
} as const;

export const pagesEn: Record<keyof typeof pagesZh, string> = {
  'page.wallboard': 'Wallboard',
  'page.console': 'Agent console',
  'page.users': 'Users and roles',
  'page.account': 'Account',
};
