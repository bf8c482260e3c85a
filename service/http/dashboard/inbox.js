// The inbox: open reviews (NEW, ACKNOWLEDGED) of priority P1..P3, most urgent
// first — by priority, then by the respond-by deadline — as the server orders
// them (ListReviews order_by "priority asc, respond_by asc"). Live alerts add
// reviews in their place; a response, a resolution or a lower priority takes
// them out at once.
import { call } from "./api.js";
import { t, tEnum } from "./i18n.js";
import { h, clear, $ } from "./dom.js";
import { fmtCompact, fmtNumber } from "./format.js";
import { afterPaint, ctx, priorityOf, deadlineOf, idOf, fillCountdown, showError } from "./ui.js";

const PAGE = 100;
const OPEN = ["NEW", "ACKNOWLEDGED"];
const URGENT = ["P1", "P2", "P3"];
const RANK = { P1: 1, P2: 2, P3: 3 };

const state = {
  reviews: new Map(),   // name -> Review
  order: [],            // names, most urgent first
  total: 0,             // open reviews on the server (total_size)
  snoozed: new Map(),   // review name -> snooze_until (ms)
  selected: 0,
  loaded: false,
  firstRender: true,
};

export const inboxQuery = { statuses: OPEN, priorities: URGENT };

export function belongs(review) {
  return !review.deleted && OPEN.includes(review.status) && URGENT.includes(priorityOf(review));
}

function compare(a, b) {
  const pa = RANK[priorityOf(a)] || 9, pb = RANK[priorityOf(b)] || 9;
  if (pa !== pb) return pa - pb;
  const da = deadlineOf(a) ?? Infinity, db = deadlineOf(b) ?? Infinity;  // null, undefined: last
  if (da !== db) return da - db;
  return Number(idOf(a.name)) - Number(idOf(b.name));
}

export function cached(name) { return state.reviews.get(name); }
export function snoozedUntil(name) { return state.snoozed.get(name) ?? null; }
export function loaded() { return state.loaded; }

export async function load() {
  const [list, snoozed] = await Promise.all([
    call("ReviewService", "ListReviews", {
      ...inboxQuery, order_by: "priority asc, respond_by asc", page_size: PAGE,
    }),
    call("AlertService", "ListAlerts", { states: ["SNOOZED"], page_size: 1000 }).catch(() => ({ alerts: [] })),
  ]);
  state.reviews.clear();
  state.snoozed.clear();
  const reviews = list.reviews || [];
  for (const r of reviews) state.reviews.set(r.name, r);
  state.order = reviews.map((r) => r.name);
  state.total = Math.max(Number(list.total_size) || 0, reviews.length);
  const now = Date.now();
  for (const a of snoozed.alerts || []) {
    const until = Date.parse(a.snooze_until);
    if (a.review && until > now) state.snoozed.set(a.review, until);
  }
  state.loaded = true;
  render();
}

// A review changed (live alert, an action here): put it in its place, or
// take it out when it no longer needs a response. Returns true when it was
// not in the inbox before and now is.
export function update(review, { fresh = false } = {}) {
  const had = state.reviews.has(review.name);
  if (!belongs(review)) {
    if (had) remove(review.name);
    return false;
  }
  state.reviews.set(review.name, review);
  state.order = state.order.filter((n) => n !== review.name);
  let i = state.order.findIndex((n) => compare(review, state.reviews.get(n)) < 0);
  if (i < 0) i = state.order.length;
  // beyond the loaded page and not urgent enough for it: counted, not shown
  if (i >= PAGE && !had) { state.total += 1; render(); return false; }
  state.order.splice(i, 0, review.name);
  if (!had) state.total += 1;
  if (fresh) state.fresh = review.name;
  render();
  return !had;
}

export function remove(name) {
  if (!state.reviews.delete(name)) return;
  const i = state.order.indexOf(name);
  state.order.splice(i, 1);
  state.total = Math.max(0, state.total - 1);
  if (state.selected > i || state.selected >= state.order.length) state.selected = Math.max(0, state.selected - 1);
  render();
}

export function setSnoozed(name, until) {
  if (until) state.snoozed.set(name, until); else state.snoozed.delete(name);
  render();
}

export function selectedName() { return state.order[state.selected] ?? null; }

export function select(name) {
  const i = state.order.indexOf(name);
  if (i >= 0) state.selected = i;
}

// j/k: only the two rows concerned change, so it stays fast on a full page.
export function move(step) {
  const list = $("#inbox-list");
  if (!state.order.length || !list) return;
  const next = Math.min(state.order.length - 1, Math.max(0, state.selected + step));
  const rows = list.children;
  rows[state.selected]?.classList.remove("selected");
  rows[state.selected]?.querySelector("a")?.setAttribute("tabindex", "-1");
  state.selected = next;
  const row = rows[next];
  if (row) {
    row.classList.add("selected");
    const a = row.querySelector("a");
    a.setAttribute("tabindex", "0");
    a.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
}

export function focusSelected() {
  const a = $("#inbox-list li.selected a");
  if (a) a.focus({ preventScroll: true });
}

function row(review, index) {
  const prio = priorityOf(review);
  const deadline = deadlineOf(review);
  const input = review.input || {};
  const due = h("span", { class: "due" });
  fillCountdown(due, deadline);
  const until = state.snoozed.get(review.name);
  const snoozed = until && until > Date.now();
  const rating = input.rating ? `★ ${input.rating}/${input.rating_scale || 5}` : null;
  const text = (input.title ? `${input.title} — ` : "") + (input.text || "");
  const li = h("li", {
    class: ["row", `p-${prio.toLowerCase()}`, index === state.selected ? "selected" : "",
      snoozed ? "snoozed" : "", state.fresh === review.name ? "fresh" : ""].filter(Boolean).join(" "),
    dataset: { review: review.name },
  },
  h("a", { href: `#/reviews/${idOf(review.name)}`, tabindex: index === state.selected ? "0" : "-1" },
    h("span", { class: `prio ${prio.toLowerCase()}` }, tEnum("priority", prio)),
    due,
    h("span", { class: "meta" },
      h("span", { class: "platform" }, input.source || ""),
      rating && h("span", { class: "stars" }, rating),
      h("span", { class: "author" }, input.author_name || t("review.noauthor")),
      input.subject_id && h("span", { class: "subject" }, input.subject_id)),
    h("span", { class: "snippet" }, text.length > 220 ? `${text.slice(0, 220)}…` : text),
    h("span", { class: "tags" },
      (review.analysis?.urgency?.reasons || []).map((r) => h("span", { class: "tag" }, tEnum("reason", r))),
      review.status === "ACKNOWLEDGED" && h("span", { class: "tag status" }, tEnum("status", review.status)),
      snoozed && h("span", { class: "tag snooze" }, t("inbox.snoozed", { time: new Date(until).toLocaleTimeString() })))));
  return li;
}

export function render() {
  const list = $("#inbox-list");
  if (!list) return;
  const hadFocus = list.contains(document.activeElement);
  if (state.selected >= state.order.length) state.selected = Math.max(0, state.order.length - 1);
  const rows = state.order.map((name, i) => row(state.reviews.get(name), i));
  clear(list).append(...rows);
  state.fresh = null;
  $("#inbox-empty").hidden = !state.loaded || state.order.length > 0;
  $("#inbox-loading").hidden = state.loaded;
  const count = state.loaded ? t("inbox.count", { n: fmtNumber(state.total) }) : "";
  $("#inbox-count").textContent = count;
  $("#nav-count").textContent = state.loaded ? fmtCompact(state.total) : "";
  const more = state.total - state.order.length;
  $("#inbox-more").textContent = more > 0 ? t("inbox.more", { n: fmtNumber(more) }) : "";
  if (hadFocus) focusSelected();
  if (state.loaded && state.firstRender) {
    state.firstRender = false;
    performance.mark("opinia:inbox-rendered");
    // the paint after this render: the first meaningful paint of the app
    afterPaint(() => performance.mark("opinia:inbox-painted"));
  }
  document.body.classList.toggle("readonly", !ctx.canRespond);
}

export function reset() {
  state.reviews.clear(); state.order = []; state.total = 0; state.snoozed.clear();
  state.selected = 0; state.loaded = false;
}

export async function refresh() {
  try { await load(); } catch (e) { if (e.status !== 401) showError(e); }
}
