// The trends chart: per bucket a bar of reviews stacked by sentiment, and a
// line of the average rating (1..5, right axis). Plain SVG, drawn here.
import { svg, h } from "./dom.js";
import { t, tEnum } from "./i18n.js";
import { fmtDate, fmtNumber } from "./format.js";

const H = 260, L = 40, R = 34, T = 12, B = 36;
const PARTS = [["negative_count", "neg"], ["mixed_count", "mix"], ["neutral_count", "neu"], ["positive_count", "pos"]];

// The top of the count axis: four equal steps of 1, 2 or 5 times a power of ten.
function niceMax(n) {
  const raw = Math.max(1, n / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  return 4 * [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw);
}

// width: the pixels the chart gets, so that text keeps its size on a phone.
export function trendsChart(trends, interval, width) {
  const W = Math.max(300, Math.round(width || 720));
  const points = trends.points || [];
  const zone = trends.time_zone || undefined;
  const total = points.reduce((s, p) => s + Number(p.summary?.review_count || 0), 0);
  const label = t("chart.label", { interval: t(`interval.${interval}`), zone: zone || "UTC" });
  if (!points.length || total === 0) return h("p", { class: "muted", id: "chart-empty" }, t("chart.empty"));
  const max = niceMax(Math.max(...points.map((p) => Number(p.summary?.review_count || 0))));
  const plotW = W - L - R, plotH = H - T - B;
  const step = plotW / points.length;
  const barW = Math.max(1, Math.min(40, step * 0.7));
  const y = (v) => T + plotH - (v / max) * plotH;
  const yRating = (v) => T + plotH - ((v - 1) / 4) * plotH;
  const dateOpts = interval === "MONTH" ? { month: "short", year: "numeric" } : { day: "numeric", month: "short" };
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": label });
  chart.append(svg("title", {}, label));
  for (let k = 0; k <= 4; k++) {
    const v = (max / 4) * k;
    chart.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, fmtNumber(v)),
      svg("text", { x: W - R + 6, y: yRating(1 + k) + 4, class: "axis rating" }, `${1 + k}★`));
  }
  const labelEvery = Math.ceil(points.length / Math.max(2, Math.floor(plotW / 70)));
  const line = [];
  points.forEach((p, i) => {
    const s = p.summary || {};
    const x = L + step * i + (step - barW) / 2;
    const ms = Date.parse(p.start_time);
    const date = fmtDate(ms, zone, dateOpts);
    const g = svg("g", { class: "bucket" });
    g.append(svg("title", {}, t("chart.point", {
      date, n: Number(s.review_count || 0), pos: Number(s.positive_count || 0),
      neg: Number(s.negative_count || 0), avg: s.average_rating ? fmtNumber(s.average_rating, 2) : "—",
    })));
    let acc = 0;
    for (const [field, cls] of PARTS) {
      const v = Number(s[field] || 0);
      if (!v) continue;
      g.append(svg("rect", { x, y: y(acc + v), width: barW, height: Math.max(0.5, y(acc) - y(acc + v)), class: `bar ${cls}` }));
      acc += v;
    }
    chart.append(g);
    if (i % labelEvery === 0) {
      chart.append(svg("text", { x: x + barW / 2, y: H - B + 16, class: "axis", "text-anchor": "middle" }, date));
    }
    if (Number(s.average_rating) > 0) line.push(`${x + barW / 2},${yRating(Number(s.average_rating))}`);
  });
  if (line.length > 1) chart.append(svg("polyline", { points: line.join(" "), class: "rating-line" }));
  for (const p of line.length === 1 ? line : []) {
    const [cx, cy] = p.split(",");
    chart.append(svg("circle", { cx, cy, r: 3, class: "rating-dot" }));
  }
  const legend = h("p", { class: "chart-legend" },
    PARTS.slice().reverse().map(([, cls]) => h("span", { class: `key ${cls}` },
      tEnum("sentiment", { neg: "NEGATIVE", mix: "MIXED", neu: "NEUTRAL", pos: "POSITIVE" }[cls]))),
    h("span", { class: "key line" }, t("summary.rating")));
  return h("figure", { class: "chart-box" }, chart, h("figcaption", {}, label), legend);
}
