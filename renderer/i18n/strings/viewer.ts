/** Strings of the viewer feature (owned by the viewer code; keep en and zh-CN keys identical). */
const en = {
  'viewer.placeholder': 'viewer',
};
const zh: Record<keyof typeof en, string> = {
  'viewer.placeholder': 'viewer',
};
export default { en, 'zh-CN': zh };
