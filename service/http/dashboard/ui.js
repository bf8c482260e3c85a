// Small shared pieces: the signed-in key's abilities, messages, errors,
// enum helpers on reviews, and the one-second ticker for countdowns.
import { ApiError } from "./api.js";
import { t } from "./i18n.js";
import { countdown } from "./format.js";
import { h, $ } from "./dom.js";

export const ctx = { canRespond: false };

// A message in the status area (aria-live), gone after a few seconds.
export function toast(text, kind = "info") {
  const box = $("#toasts");
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  box.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 4000);
}

export function errorText(e) {
  if (!(e instanceof ApiError)) return String(e && e.message ? e.message : e);
  if (e.status === 0) return t("error.network", { detail: e.message });
  if (e.status === 401) return t("error.unauthenticated");
  if (e.status === 429) return t("error.ratelimited", { seconds: e.retryAfter || 1 });
  return t("error.generic", { status: e.status, message: e.message });
}

export function showError(e) { toast(errorText(e), "error"); }

// Effective values: a person's correction (override) wins over the analysis.
export function priorityOf(review) {
  const o = review.override?.urgency?.priority;
  return o && o !== "PRIORITY_UNSPECIFIED" ? o : (review.analysis?.urgency?.priority || "PRIORITY_UNSPECIFIED");
}

export function sentimentOf(review) {
  const o = review.override?.sentiment;
  return o && o.label && o.label !== "SENTIMENT_LABEL_UNSPECIFIED" ? o : (review.analysis?.sentiment || {});
}

// The respond-by deadline in ms; null for none; undefined when a person set
// the priority and the review does not carry the deadline that follows from
// it (the server computes it from the tenant's SLA policy and orders by it).
export function deadlineOf(review) {
  const o = review.override?.urgency;
  const corrected = o && o.priority && o.priority !== "PRIORITY_UNSPECIFIED";
  const ts = corrected ? o.respond_by : review.analysis?.urgency?.respond_by;
  const ms = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(ms) || ms <= 0) return corrected && o.priority !== "NONE" ? undefined : null;
  return ms;
}

// Runs fn once the next frame has been painted (for the Performance API
// measures of bench/dashboard_bench.py).
export function afterPaint(fn) { requestAnimationFrame(() => setTimeout(fn, 0)); }

export function idOf(name) { return String(name || "").replace(/^reviews\//, ""); }

// Countdown elements carry data-deadline (ms since the epoch); one timer
// updates them all every second.
export function fillCountdown(el, deadline) {
  el.dataset.deadline = deadline === null ? "" : deadline === undefined ? "policy" : String(deadline);
  paintCountdown(el, Date.now());
}

function paintCountdown(el, now) {
  const d = el.dataset.deadline;
  const c = d === "policy" ? { text: t("due.policy"), overdue: false } : countdown(d ? Number(d) : null, now);
  if (el.textContent !== c.text) el.textContent = c.text;
  el.classList.toggle("overdue", c.overdue);
  const row = el.closest("[data-review]");
  if (row) row.classList.toggle("overdue", c.overdue);
}

export function startTicker() {
  setInterval(() => {
    const now = Date.now();
    for (const el of document.querySelectorAll("[data-deadline]")) paintCountdown(el, now);
  }, 1000);
}

// A control a read-only key may not use: disabled, with the reason as tooltip.
export function guard(el) {
  if (!ctx.canRespond) {
    el.disabled = true;
    el.title = t("readonly.tip");
    el.classList.add("readonly");
  }
  return el;
}
