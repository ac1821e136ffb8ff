/** Strings shared across the app shell. */
const en = {
  'app.title': 'Qiview',
  'app.language': 'Language',
  'app.help': 'Help',
  'app.close': 'Close',
  'app.cancel': 'Cancel',
  'app.ok': 'OK',
  'app.error': 'Error',
  'app.warning': 'Warning',
};
const zh: Record<keyof typeof en, string> = {
  'app.title': 'Qiview',
  'app.language': '语言',
  'app.help': '帮助',
  'app.close': '关闭',
  'app.cancel': '取消',
  'app.ok': '确定',
  'app.error': '错误',
  'app.warning': '警告',
};
export default { en, 'zh-CN': zh };
