// Numbers, dates and durations in the UI language.
import { locale, t } from "./i18n.js";

export function parseTime(ts) {
  if (!ts) return null;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) || ms <= 0 ? null : ms;
}

export function fmtDateTime(ms, timeZone) {
  if (ms === null || ms === undefined) return "";
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: "medium", timeStyle: "short", ...(timeZone ? { timeZone } : {}),
  }).format(new Date(ms));
}

export function fmtTime(ms) {
  const sameDay = new Date(ms).toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(locale(), sameDay ? { timeStyle: "short" } : { dateStyle: "short", timeStyle: "short" })
    .format(new Date(ms));
}

export function fmtDate(ms, timeZone, opts = { dateStyle: "medium" }) {
  return new Intl.DateTimeFormat(locale(), { ...opts, ...(timeZone ? { timeZone } : {}) }).format(new Date(ms));
}

export function fmtNumber(n, digits = 0) {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(Number(n) || 0);
}

// 241216 -> "241K" (en) / "241 tys." (pl): for the inbox badge.
export function fmtCompact(n) {
  return new Intl.NumberFormat(locale(), { notation: "compact" }).format(Number(n) || 0);
}

export function fmtPercent(x) {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(Number(x) || 0);
}

const pad = (n) => String(n).padStart(2, "0");

// A duration of seconds as "2 d 4 h", "3 h 05 min", "12 min 07 s".
export function fmtSpan(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60), ss = s % 60;
  if (d > 0) return `${d} d ${hh} h`;
  if (hh > 0) return `${hh} h ${pad(mm)} min`;
  return `${mm} min ${pad(ss)} s`;
}

// "3 h 05 min left" or "overdue 12 min 07 s", and whether it is overdue.
export function countdown(deadlineMs, nowMs = Date.now()) {
  if (deadlineMs === null) return { text: t("due.none"), overdue: false };
  const left = (deadlineMs - nowMs) / 1000;
  return left >= 0 ? { text: t("due.in", { t: fmtSpan(left) }), overdue: false }
    : { text: t("due.over", { t: fmtSpan(-left) }), overdue: true };
}

// A duration like the proto3 JSON "3600s" or a number of seconds.
export function fmtSeconds(x) {
  const s = typeof x === "string" ? parseFloat(x) : Number(x);
  if (!s) return "—";
  return fmtSpan(s);
}
