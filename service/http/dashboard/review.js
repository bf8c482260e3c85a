// One review: its text with the evidence highlighted, its analysis, and the
// actions — respond, the alert's acknowledge / snooze / resolve, and a
// person's correction of sentiment or priority. Every change goes into the
// inbox at once.
import { call } from "./api.js";
import { t, tEnum } from "./i18n.js";
import { h, clear, $, safeUrl } from "./dom.js";
import { fmtDateTime, fmtNumber, fmtTime, parseTime } from "./format.js";
import { segment } from "./spans.js";
import * as inbox from "./inbox.js";
import { ctx, priorityOf, sentimentOf, deadlineOf, fillCountdown, guard, toast, showError } from "./ui.js";

const AUTHOR = "opinia.author";  // the signature, a preference (not secret)
let current = null;   // the Review shown
let alert = null;     // its most relevant alert, if any
let seq = 0;          // drops answers meant for a review no longer shown

export function shownName() { return current ? current.name : null; }

export async function show(id, { focusRespond = false } = {}) {
  const name = `reviews/${id}`;
  const my = ++seq;
  const body = clear($("#review-body"));
  delete body.dataset.fresh;  // set once the server's current copy is shown
  const known = inbox.cached(name);
  current = null; alert = null;
  if (known) {
    current = known;
    render(focusRespond);
  } else {
    body.append(h("p", { class: "muted" }, t("inbox.loading")));
  }
  try {
    const [review, alerts] = await Promise.all([
      call("ReviewService", "GetReview", { name }),
      call("AlertService", "ListAlerts", { review: name, page_size: 20 }).catch(() => ({ alerts: [] })),
    ]);
    if (my !== seq) return;
    alert = pickAlert(alerts.alerts || []);
    const same = known && JSON.stringify(known) === JSON.stringify(review);
    current = review;
    inbox.update(review);
    if (!same || !known) render(focusRespond && !known);
    else renderAlert();
    body.dataset.fresh = name;
  } catch (e) {
    if (my !== seq) return;
    if (e.status === 404) {
      clear(body).append(h("p", { class: "notfound" }, t("review.notfound")));
    } else if (e.status !== 401) {
      showError(e);
    }
  }
}

export function rerender() { if (current) render(false); }

function pickAlert(alerts) {
  const rank = { OPEN: 0, SNOOZED: 1, ACKNOWLEDGED_ALERT: 2, RESOLVED_ALERT: 3 };
  return alerts.filter((a) => a.kind !== "VOLUME_SPIKE")
    .sort((a, b) => (rank[a.state] ?? 9) - (rank[b.state] ?? 9) || (Date.parse(b.create_time) - Date.parse(a.create_time)))[0] || null;
}

// The marks over the text: sentences by sentiment, aspect evidence, urgency evidence.
function marksOf(review) {
  const a = review.analysis || {};
  const marks = [];
  (a.sentences || []).forEach((s, k) => {
    const label = s.sentiment?.label;
    if (label === "NEGATIVE" || label === "POSITIVE") {
      marks.push({ ...s.span, cls: label === "NEGATIVE" ? "s-neg" : "s-pos", id: `s${k}`, label: tEnum("sentiment", label) });
    }
  });
  (a.aspects || []).forEach((asp, k) => (asp.evidence || []).forEach((span, j) => marks.push({
    ...span, cls: "ev-aspect", id: `a${k}-${j}`,
    label: `${tEnum("aspect", asp.aspect)}: ${tEnum("sentiment", asp.sentiment?.label)}`,
  })));
  const reasons = (a.urgency?.reasons || []).map((r) => tEnum("reason", r)).join(", ");
  (a.urgency?.evidence || []).forEach((span, k) => marks.push({ ...span, cls: "ev-urgency", id: `u${k}`, label: reasons }));
  return marks;
}

function highlighted(text, marks) {
  return segment(text, marks).map((piece) => {
    if (!piece.marks.length) return piece.text;
    const cls = [...new Set(piece.marks.map((m) => m.cls))];
    const evidence = cls.some((c) => c.startsWith("ev-"));
    return h(evidence ? "mark" : "span", {
      class: cls.join(" "),
      title: [...new Set(piece.marks.map((m) => m.label))].join(" · "),
      dataset: { spans: piece.marks.map((m) => m.id).join(" ") },
    }, piece.text);
  });
}

function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

function render(focusRespond) {
  // a re-render (fresher data, a language switch) keeps a response being written
  const draft = $("#respond-text");
  const keep = draft && { text: draft.value, focused: document.activeElement === draft };
  const r = current;
  const input = r.input || {};
  const a = r.analysis || {};
  const prio = priorityOf(r);
  const sentiment = sentimentOf(r);
  const due = h("span", { class: "due big" });
  fillCountdown(due, ["RESPONDED", "RESOLVED"].includes(r.status) ? null : deadlineOf(r));
  const url = safeUrl(input.url);
  const created = parseTime(input.create_time);
  const corrected = r.override && Object.keys(r.override).length > 0;

  const head = h("header", { class: "review-head", dataset: { review: r.name } },
    h("span", { class: `prio ${prio.toLowerCase()}` }, tEnum("priority", prio)),
    due,
    h("span", { class: `tag status-${r.status}`, id: "review-status" }, tEnum("status", r.status)),
    h("span", { class: "platform" }, input.source || ""),
    url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "original" },
      t("review.original", { platform: input.source || "" }))
      : input.url && h("span", { class: "rawurl", title: input.url }, input.url));

  const meta = h("p", { class: "meta" },
    h("span", { class: "author" }, input.author_name || t("review.noauthor")),
    h("span", {}, input.rating ? t("review.rating", { r: input.rating, s: input.rating_scale || 5 }) : t("review.norating")),
    created && h("span", {}, t("review.created", { time: fmtDateTime(created) })),
    input.subject_id && h("span", { class: "subject" }, input.subject_id),
    a.language && h("span", {}, t("review.language", { lang: a.language })));

  const text = h("blockquote", { class: "review-text", lang: a.language && a.language !== "und" ? a.language : null },
    highlighted(input.text || "", marksOf(r)));

  const legend = h("p", { class: "legend", "aria-label": t("review.legend") },
    h("mark", { class: "ev-urgency" }, t("legend.urgency")),
    h("mark", { class: "ev-aspect" }, t("legend.aspect")),
    h("span", { class: "s-neg" }, t("legend.negative")),
    h("span", { class: "s-pos" }, t("legend.positive")));

  const analysis = h("div", { class: "analysis" },
    section(t("review.sentiment"),
      h("p", {}, h("span", { class: `senti ${String(sentiment.label || "").toLowerCase()}` }, tEnum("sentiment", sentiment.label)),
        " ", fmtNumber(sentiment.score, 2),
        corrected && h("span", { class: "tag" }, t("review.override")))),
    (a.urgency?.reasons || []).length > 0 && section(t("review.reasons"),
      h("ul", { class: "reasons" }, a.urgency.reasons.map((x) => h("li", {}, tEnum("reason", x))))),
    section(t("review.aspects"), (a.aspects || []).length
      ? h("ul", { class: "aspects" }, a.aspects.map((x) => h("li", {},
        h("span", { class: "aspect" }, tEnum("aspect", x.aspect)), " ",
        h("span", { class: `senti ${String(x.sentiment?.label || "").toLowerCase()}` }, tEnum("sentiment", x.sentiment?.label)),
        " ", fmtNumber(x.sentiment?.score, 2))))
      : h("p", { class: "muted" }, t("review.noaspects"))));

  clear($("#review-body")).append(
    head, meta,
    input.title && h("h2", { class: "review-title" }, input.title),
    text, legend,
    h("div", { class: "columns" },
      h("div", { class: "col" }, responseBlock(), h("div", { id: "alert-box" }), correctionBlock()),
      h("div", { class: "col" }, analysis)));
  renderAlert();
  const area = $("#respond-text");
  if (keep && area) {
    area.value = keep.text;
    if (keep.focused) area.focus();
  }
  if (focusRespond) focusResponse();
}

export function focusResponse() {
  const area = $("#respond-text");
  if (area && !area.disabled) { area.focus(); area.scrollIntoView({ block: "nearest" }); }
}

function responseBlock() {
  const r = current;
  if (r.response && r.response.text) {
    return section(t("review.response"),
      h("p", { class: "muted" }, t("review.responded", {
        time: fmtDateTime(parseTime(r.response.response_time)), author: r.response.author || "—",
      })),
      h("blockquote", { class: "response-text" }, r.response.text));
  }
  const area = guard(h("textarea", { id: "respond-text", rows: "5", required: true }));
  const author = guard(h("input", { id: "respond-author", type: "text", autocomplete: "name" }));
  try { author.value = localStorage.getItem(AUTHOR) || ""; } catch { /* storage disabled */ }
  const submit = guard(h("button", { type: "submit", class: "primary", id: "respond-submit" }, t("respond.submit")));
  const form = h("form", { id: "respond-form", title: ctx.canRespond ? null : t("readonly.tip") },
    h("label", { for: "respond-text" }, t("respond.text")), area,
    h("label", { for: "respond-author" }, t("respond.author")), author,
    h("div", { class: "buttons" }, submit));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!ctx.canRespond) return;
    const text = area.value.trim();
    if (!text) { toast(t("respond.empty"), "error"); area.focus(); return; }
    try { localStorage.setItem(AUTHOR, author.value.trim()); } catch { /* storage disabled */ }
    submit.disabled = true;
    try {
      const review = await call("ReviewService", "RecordResponse",
        { name: r.name, response: { text, author: author.value.trim() } });
      current = review;
      inbox.update(review);
      toast(t("respond.done"));
      render(false);
    } catch (e) {
      submit.disabled = false;
      showError(e);
    }
  });
  return section(t("review.response"), form);
}

function renderAlert() {
  const box = $("#alert-box");
  if (!box || !current) return;
  const until = alert?.state === "SNOOZED" ? parseTime(alert.snooze_until) : null;
  const state = alert ? h("p", { id: "alert-state", dataset: { state: alert.state } },
    t("actions.state", { state: tEnum("alert", alert.state) }),
    until ? ` — ${t("inbox.snoozed", { time: fmtTime(until) })}` : "")
    : h("p", { class: "muted", id: "alert-state", dataset: { state: "NONE" } }, t("actions.none"));
  const closed = ["RESPONDED", "RESOLVED"].includes(current.status);
  const ack = guard(h("button", { type: "button", id: "action-ack" }, t("actions.ack")));
  const hours = guard(h("select", { id: "snooze-hours", "aria-label": t("actions.snoozefor") },
    [1, 4, 24].map((n) => h("option", { value: String(n) }, t("hours", { n })))));
  const snooze = guard(h("button", { type: "button", id: "action-snooze" }, t("actions.snooze")));
  const resolve = guard(h("button", { type: "button", id: "action-resolve" }, t("actions.resolve")));
  if (closed || current.status === "ACKNOWLEDGED" && (!alert || alert.state !== "OPEN")) ack.disabled = true;
  if (!alert || alert.state === "RESOLVED_ALERT") { snooze.disabled = true; hours.disabled = true; }
  if (closed) resolve.disabled = true;
  ack.addEventListener("click", () => act(ack, "actions.acked", async () => {
    if (alert && ["OPEN", "SNOOZED"].includes(alert.state)) {
      alert = await call("AlertService", "AcknowledgeAlert", { name: alert.name });
    }
    if (current.status === "NEW") await setStatus("ACKNOWLEDGED");
    inbox.setSnoozed(current.name, null);
  }));
  snooze.addEventListener("click", () => act(snooze, null, async () => {
    const until = new Date(Date.now() + Number(hours.value) * 3600e3);
    alert = await call("AlertService", "SnoozeAlert", { name: alert.name, snooze_until: until.toISOString() });
    inbox.setSnoozed(current.name, until.getTime());
    toast(t("actions.snoozed", { time: fmtTime(until.getTime()) }));
  }));
  resolve.addEventListener("click", () => act(resolve, "actions.resolved", async () => {
    if (alert && alert.state !== "RESOLVED_ALERT") {
      alert = await call("AlertService", "ResolveAlert", { name: alert.name });
    }
    await setStatus("RESOLVED");
  }));
  clear(box).append(section(t("actions.heading"), state,
    h("div", { class: "buttons", title: ctx.canRespond ? null : t("readonly.tip") },
      ack, h("span", { class: "snooze" }, hours, snooze), resolve)));
}

async function setStatus(status) {
  const review = await call("ReviewService", "UpdateReview",
    { review: { name: current.name, status }, update_mask: "status" });
  current = review;
  inbox.update(review);
}

async function act(button, done, fn) {
  if (!ctx.canRespond) return;
  button.disabled = true;
  try {
    await fn();
    if (done) toast(t(done));
    render(false);
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

function correctionBlock() {
  const r = current;
  const ovSent = r.override?.sentiment?.label || "";
  const ovPrio = r.override?.urgency?.priority || "";
  const auto = (key) => h("option", { value: "" }, `${t("correct.auto")} (${key})`);
  const sentiment = guard(h("select", { id: "correct-sentiment" },
    auto(tEnum("sentiment", r.analysis?.sentiment?.label)),
    ["NEGATIVE", "NEUTRAL", "MIXED", "POSITIVE"].map((v) => h("option", { value: v, selected: v === ovSent }, tEnum("sentiment", v)))));
  const priority = guard(h("select", { id: "correct-priority" },
    auto(tEnum("priority", r.analysis?.urgency?.priority)),
    ["P1", "P2", "P3", "P4", "NONE"].map((v) => h("option", { value: v, selected: v === ovPrio }, tEnum("priority", v)))));
  const save = guard(h("button", { type: "submit", id: "correct-save" }, t("correct.save")));
  const form = h("form", { id: "correct-form", title: ctx.canRespond ? null : t("readonly.tip") },
    h("label", { for: "correct-sentiment" }, t("correct.sentiment")), sentiment,
    h("label", { for: "correct-priority" }, t("correct.priority")), priority,
    h("div", { class: "buttons" }, save));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const paths = [];
    const override = {};
    if (sentiment.value !== ovSent) {
      paths.push("override.sentiment");
      const score = { NEGATIVE: -1, POSITIVE: 1 }[sentiment.value] ?? 0;
      override.sentiment = sentiment.value ? { label: sentiment.value, score, confidence: 1 } : {};
    }
    if (priority.value !== ovPrio) {
      paths.push("override.urgency.priority");
      override.urgency = { priority: priority.value || "PRIORITY_UNSPECIFIED" };
    }
    if (!paths.length) return;
    act(save, "correct.saved", async () => {
      const review = await call("ReviewService", "UpdateReview",
        { review: { name: r.name, override }, update_mask: paths.join(",") });
      current = review;
      inbox.update(review);
    });
  });
  return section(t("correct.heading"), form);
}
