// The UI language: Polish or English, Polish by default for a browser whose
// language is Polish. t(key, vars) looks a string up; static text in
// index.html names its key in data-i18n (text), data-i18n-title (tooltip),
// data-i18n-label (aria-label) or data-i18n-placeholder.
import en from "./strings-en.js";
import pl from "./strings-pl.js";

const dictionaries = { en, pl };
const STORE = "opinia.lang";  // a preference, not a secret: localStorage is fine
let current = pickDefault();
const listeners = [];

function pickDefault() {
  let saved = null;
  try { saved = localStorage.getItem(STORE); } catch { /* storage disabled */ }
  if (saved && dictionaries[saved]) return saved;
  const browser = (navigator.language || "").toLowerCase();
  return browser.startsWith("pl") ? "pl" : "en";
}

export function lang() { return current; }
export function locale() { return current === "pl" ? "pl-PL" : "en-GB"; }

export function setLang(code) {
  if (!dictionaries[code] || code === current) return;
  current = code;
  try { localStorage.setItem(STORE, code); } catch { /* storage disabled */ }
  applyStatic(document);
  for (const fn of listeners) fn(code);
}

export function onLangChange(fn) { listeners.push(fn); }

export function t(key, vars) {
  let s = dictionaries[current][key];
  if (s === undefined) s = dictionaries.en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

// Names of enum values ("P1", "NEGATIVE", ...) through their dictionary prefix.
export function tEnum(prefix, value) {
  const key = `${prefix}.${value}`;
  const s = t(key);
  return s === key ? String(value ?? "") : s;
}

export function applyStatic(root) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
}
