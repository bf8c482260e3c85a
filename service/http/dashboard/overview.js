// The overview: reputation summary, trends chart and aspects for a time range
// and optional platform / subject filters, and full-text search with the
// ListReviews.query syntax.
import { call } from "./api.js";
import { t, tEnum } from "./i18n.js";
import { h, clear, $ } from "./dom.js";
import { fmtDateTime, fmtNumber, fmtPercent, fmtSeconds, parseTime } from "./format.js";
import { trendsChart } from "./chart.js";
import { priorityOf, idOf, showError } from "./ui.js";

let seq = 0;
let lastTrends = null;
let searchToken = "";
let searchQuery = "";

function list(value) {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

// The SummaryRequest of the filter form.
function filter() {
  const days = $("#f-range").value;
  const f = {};
  if (days !== "all") f.start_time = new Date(Date.now() - Number(days) * 86400e3).toISOString();
  const sources = list($("#f-platform").value), subjects = list($("#f-subject").value);
  if (sources.length) f.sources = sources;
  if (subjects.length) f.subject_ids = subjects;
  return f;
}

function drawChart() {
  if (!lastTrends) return;
  const box = $("#chart");
  clear(box).append(trendsChart(lastTrends.trends, lastTrends.interval, box.clientWidth));
}

export function init() {
  let timer = 0;
  window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(drawChart, 150); });
  $("#overview-filters").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  for (const id of ["#f-range", "#f-interval"]) $(id).addEventListener("change", () => load());
  $("#search-form").addEventListener("submit", (ev) => { ev.preventDefault(); search(false); });
  $("#search-more").addEventListener("click", () => search(true));
}

export async function load() {
  const my = ++seq;
  const f = filter();
  const interval = $("#f-interval").value;
  $("#overview").setAttribute("aria-busy", "true");
  try {
    const [summary, trends, aspects] = await Promise.all([
      call("InsightsService", "GetReputationSummary", f),
      call("InsightsService", "GetTrends", { filter: f, interval }),
      call("InsightsService", "ListAspectInsights", f),
    ]);
    if (my !== seq) return;
    renderSummary(summary);
    lastTrends = { trends, interval };
    drawChart();
    renderAspects(aspects.aspects || []);
    $("#overview").setAttribute("aria-busy", "false");
    performance.mark("opinia:overview-rendered");
  } catch (e) {
    if (my === seq && e.status !== 401) showError(e);
  }
  if (searchQuery) search(false);
}

function card(id, label, value, detail) {
  return h("div", { class: "stat", id },
    h("dt", {}, label), h("dd", {}, h("span", { class: "value" }, value), detail && h("small", {}, detail)));
}

function renderSummary(s) {
  const n = Number(s.review_count || 0);
  const net = Number(s.net_sentiment || 0);
  clear($("#summary")).append(
    card("sum-count", t("summary.reviews"), fmtNumber(n)),
    card("sum-rating", t("summary.rating"), Number(s.average_rating) ? `${fmtNumber(s.average_rating, 2)} ★` : "—"),
    card("sum-sentiment", t("summary.sentiment"), null, t("summary.counts", {
      pos: fmtNumber(s.positive_count), neu: fmtNumber(s.neutral_count),
      mix: fmtNumber(s.mixed_count), neg: fmtNumber(s.negative_count),
    })),
    card("sum-net", t("summary.net"), `${net > 0 ? "+" : ""}${fmtPercent(net)}`),
    card("sum-rate", t("summary.rate"), fmtPercent(s.response_rate)),
    card("sum-median", t("summary.median"), fmtSeconds(s.median_response_seconds)),
    card("sum-breached", t("summary.breached"), fmtNumber(s.breached_sla_count),
      `${t("summary.open")}: ${fmtNumber(s.open_sla_count)}`));
}

function quote(q, cls) {
  if (!q) return h("span", { class: "muted" }, "—");
  return h("a", { href: `#/reviews/${idOf(q.review)}`, class: `quote ${cls}` }, `„${q.text}”`);
}

function renderAspects(aspects) {
  const box = clear($("#aspects"));
  const rows = aspects.filter((a) => a.aspect !== "ASPECT_UNSPECIFIED");
  if (!rows.length) { box.append(h("p", { class: "muted" }, t("aspects.empty"))); return; }
  const max = Math.max(...rows.map((a) => ["negative_count", "neutral_count", "positive_count", "mixed_count"]
    .reduce((s, k) => s + Number(a[k] || 0), 0)));
  box.append(h("table", { class: "aspects-table" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("aspects.aspect")), h("th", { scope: "col" }, t("aspects.mentions")),
      h("th", { scope: "col" }, t("aspects.worst")), h("th", { scope: "col" }, t("aspects.best")))),
    h("tbody", {}, rows.map((a) => {
      const neg = Number(a.negative_count || 0), pos = Number(a.positive_count || 0);
      const other = Number(a.neutral_count || 0) + Number(a.mixed_count || 0);
      const bar = h("span", { class: "mini-bar" });
      for (const [v, cls] of [[neg, "neg"], [other, "neu"], [pos, "pos"]]) {
        const part = h("span", { class: cls });
        part.style.width = `${(100 * v) / max}%`;  // CSSOM, allowed by the CSP
        bar.append(part);
      }
      return h("tr", {},
        h("th", { scope: "row" }, tEnum("aspect", a.aspect)),
        h("td", {}, bar, h("small", {}, `−${fmtNumber(neg)} / +${fmtNumber(pos)}`)),
        h("td", {}, quote((a.negative_quotes || [])[0], "neg")),
        h("td", {}, quote((a.positive_quotes || [])[0], "pos")));
    }))));
}

export function resultRow(r) {
  const input = r.input || {};
  const prio = priorityOf(r);
  const text = (input.title ? `${input.title} — ` : "") + (input.text || "");
  return h("li", { class: "result", dataset: { review: r.name } },
    h("a", { href: `#/reviews/${idOf(r.name)}` },
      h("span", { class: `prio ${prio.toLowerCase()}` }, tEnum("priority", prio)),
      h("span", { class: "meta" }, h("span", { class: "platform" }, input.source || ""),
        input.rating ? h("span", {}, `★ ${input.rating}/${input.rating_scale || 5}`) : null,
        h("span", {}, fmtDateTime(parseTime(input.create_time))),
        h("span", { class: "tag" }, tEnum("status", r.status))),
      h("span", { class: "snippet" }, text.length > 300 ? `${text.slice(0, 300)}…` : text)));
}

async function search(more) {
  const q = $("#search-q").value.trim();
  const results = $("#search-results");
  if (!more) { searchToken = ""; searchQuery = q; clear(results); }
  if (!searchQuery) { $("#search-count").textContent = ""; $("#search-more").hidden = true; return; }
  const f = filter();
  try {
    const resp = await call("ReviewService", "ListReviews", {
      query: searchQuery, page_size: 20, page_token: searchToken,
      sources: f.sources, subject_ids: f.subject_ids, start_time: f.start_time,
    });
    const reviews = resp.reviews || [];
    results.append(...reviews.map(resultRow));
    searchToken = resp.next_page_token || "";
    const total = Number(resp.total_size || 0);
    $("#search-count").textContent = total || results.children.length
      ? t("search.results", { n: fmtNumber(Math.max(total, results.children.length)) }) : t("search.none");
    $("#search-more").hidden = !searchToken;
  } catch (e) {
    if (e.status !== 401) showError(e);
  }
}
