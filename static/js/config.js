// What the server rendered for the scripts: endpoint URLs (#pb-config) and translated strings (#pb-i18n).
const read = (id) => {
  try { return JSON.parse(document.getElementById(id)?.textContent || "{}"); } catch { return {}; }
};
export const config = read("pb-config");
const strings = read("pb-i18n");

// t("syncing", {done: 3, total: 9}) → "同步中 3/9"
export const t = (key, vars = {}) => (strings[key] || key).replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);

// The logged-in user of this page (the page is re-read: htmx may have swapped the body).
export const currentUser = () =>
  read("pb-config").user || document.querySelector('meta[name="pb-user"]')?.content || "";

// When the server rendered this page (ms, the server's clock); 0 for a page from before it said so.
export const renderedAt = () => Number(read("pb-config").rendered_at) || 0;

export const hhmm = (ms) => new Date(ms).toLocaleTimeString(document.documentElement.lang || undefined,
  { hour: "2-digit", minute: "2-digit", hour12: false });
