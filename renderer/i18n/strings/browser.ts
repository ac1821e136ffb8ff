/** Strings of the browser feature (owned by the browser code; keep en and zh-CN keys identical). */
const en = {
  'browser.placeholder': 'browser',
};
const zh: Record<keyof typeof en, string> = {
  'browser.placeholder': 'browser',
};
export default { en, 'zh-CN': zh };
