// Opinia's dashboard: sign-in, routing (#/inbox, #/reviews/{id},
// #/overview), the live alert stream and the keyboard.
import { AlertStream, ApiError, call, session, setUnauthenticatedHandler } from "./api.js";
import { applyStatic, lang, onLangChange, setLang, t } from "./i18n.js";
import { $ } from "./dom.js";
import * as inbox from "./inbox.js";
import * as review from "./review.js";
import * as overview from "./overview.js";
import * as notify from "./notify.js";
import { afterPaint, ctx, priorityOf, showError, startTicker } from "./ui.js";

const VIEWS = ["signin", "inbox", "review", "overview"];
const STREAM_QUERY = "priorities=P1&priorities=P2&priorities=P3&kinds=NEGATIVE_REVIEW&kinds=SLA_BREACH";
let stream = null;
let view = null;
let refreshTimer = 0;

function showView(name) {
  view = name;
  for (const v of VIEWS) $(`#view-${v}`).hidden = v !== name;
  $("#nav-inbox").classList.toggle("active", name === "inbox" || name === "review");
  $("#nav-overview").classList.toggle("active", name === "overview");
  if (name === "inbox") $("#nav-inbox").setAttribute("aria-current", "page"); else $("#nav-inbox").removeAttribute("aria-current");
  if (name === "overview") $("#nav-overview").setAttribute("aria-current", "page"); else $("#nav-overview").removeAttribute("aria-current");
}

// What the key may do: GetCallerApiKey names its roles (any key may ask).
// Signing in needs the read role of a tenant key; the respond role enables
// the actions. Refusals are the server's own words for the same calls.
async function abilities(key) {
  const me = await call("AdminService", "GetCallerApiKey", {}, { key, quiet: true });
  const roles = me.roles || [];
  if (!me.tenant) {
    throw new ApiError(403, 7, "operator keys manage tenants and keys only; use a tenant key", 0);
  }
  if (!roles.includes("ROLE_READ")) throw new ApiError(403, 7, "this key lacks the read role", 0);
  return roles.includes("ROLE_RESPOND");
}

function signinError(e) {
  if (e.status === 401) return t("error.unauthenticated");
  if (e.status === 403) return /operator/i.test(e.message) ? t("error.operator") : t("error.noread");
  return null;
}

function showSignin(message) {
  stopSession();
  showView("signin");
  $("#signin-error").textContent = message || "";
  $("#signin-key").focus();
}

function stopSession() {
  if (stream) stream.stop();
  stream = null;
  clearInterval(refreshTimer);
  inbox.reset();
  for (const id of ["#nav", "#signout", "#live", "#readonly-badge", "#notify-box"]) $(id).hidden = true;
}

let liveState = "connecting";
function setLive(state) {
  liveState = state;
  const el = $("#live");
  el.hidden = false;
  el.className = `live st-${state}`;
  el.textContent = t(state === "live" ? "live.on" : state === "down" ? "live.off" : "live.connecting");
}

// A review named by an alert: fetched and placed in (or out of) the inbox;
// several alerts of one review in a row fetch it once.
const pending = new Map();
function onAlert(event) {
  const alert = event.alert || {};
  const name = alert.review;
  if (!name) return;
  if (alert.state === "SNOOZED") inbox.setSnoozed(name, Date.parse(alert.snooze_until));
  else if (inbox.snoozedUntil(name)) inbox.setSnoozed(name, null);
  if (pending.has(name)) return;
  const p = call("ReviewService", "GetReview", { name }).then((r) => {
    if (inbox.update(r, { fresh: true })) {
      performance.mark("opinia:live-insert");
      notify.announce(r, priorityOf(r));
    }
  }).catch((e) => { if (e.status !== 404 && e.status !== 401) showError(e); })
    .finally(() => pending.delete(name));
  pending.set(name, p);
}

function startSession() {
  for (const id of ["#nav", "#signout", "#notify-box"]) $(id).hidden = false;
  $("#notify").checked = notify.enabled();
  stream = new AlertStream(STREAM_QUERY, onAlert, (state, fresh) => {
    setLive(state);
    // a stream that starts "from now" may begin after the list was read:
    // read the list again so nothing that came in between is missed
    if (state === "live" && fresh && inbox.loaded()) inbox.refresh();
  });
  stream.start();
  clearInterval(refreshTimer);
  // P3 reviews raise no alert by default, and colleagues answer too
  refreshTimer = setInterval(() => { if (!document.hidden && view === "inbox") inbox.refresh(); }, 60000);
  inbox.refresh();
  route();
}

function setAbilities(canRespond) {
  ctx.canRespond = canRespond;
  $("#readonly-badge").hidden = canRespond;
  inbox.render();
  review.rerender();
}

async function signIn(key) {
  $("#signin-error").textContent = t("signin.checking");
  $("#signin-submit").disabled = true;
  try {
    const canRespond = await abilities(key);
    session.set(key);
    $("#signin-key").value = "";
    $("#signin-error").textContent = "";
    ctx.canRespond = canRespond;
    $("#readonly-badge").hidden = canRespond;
    if (!location.hash || location.hash === "#/signin") location.hash = "#/inbox";
    startSession();
  } catch (e) {
    $("#signin-error").textContent = signinError(e) || (e.status === 0 ? t("error.network", { detail: e.message })
      : t("error.generic", { status: e.status, message: e.message }));
  } finally {
    $("#signin-submit").disabled = false;
  }
}

function route() {
  if (!session.key()) { showSignin(); return; }
  const hash = location.hash || "#/inbox";
  let m;
  if ((m = /^#\/reviews\/(\d+)$/.exec(hash))) {
    showView("review");
    inbox.select(`reviews/${m[1]}`);
    review.show(m[1], { focusRespond: wantRespond });  // renders a review the inbox holds at once
    wantRespond = false;
    if (openStart !== null) {
      const start = openStart;
      openStart = null;
      afterPaint(() => performance.measure("opinia:open-review", { start, end: performance.now() }));
    }
  } else if (hash === "#/overview") {
    showView("overview");
    overview.load();
  } else {
    if (hash !== "#/inbox") { location.replace("#/inbox"); return; }
    showView("inbox");
    inbox.render();
    inbox.focusSelected();
  }
}

let wantRespond = false;
let openStart = null;  // keydown time of an open from the inbox, for the measure
function openSelected(respond, start) {
  const name = inbox.selectedName();
  if (!name) return;
  wantRespond = respond;
  openStart = start;
  location.hash = `#/reviews/${name.replace(/^reviews\//, "")}`;
}

function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || !session.key() || view === "signin") return;
  const field = ev.target.closest && ev.target.closest("input, textarea, select, [contenteditable]");
  if (ev.key === "Escape") {
    if ($("#help").open) return;  // the dialog closes itself
    if (field) { field.blur(); return; }
    if (view === "review") { ev.preventDefault(); location.hash = "#/inbox"; }
    return;
  }
  if (field) return;
  if (view === "inbox" && (ev.key === "j" || ev.key === "k")) {
    ev.preventDefault();
    const start = ev.timeStamp;
    inbox.move(ev.key === "j" ? 1 : -1);
    afterPaint(() => performance.measure("opinia:jk", { start, end: performance.now() }));
  } else if (view === "inbox" && ev.key === "Enter") {
    ev.preventDefault();
    openSelected(false, ev.timeStamp);
  } else if (ev.key === "r") {
    if (view === "inbox") { ev.preventDefault(); openSelected(true, ev.timeStamp); }
    else if (view === "review") { ev.preventDefault(); review.focusResponse(); }
  } else if (ev.key === "?") {
    $("#help").showModal();
  }
}

function init() {
  applyStatic(document);
  $("#lang").value = lang();
  $("#lang").addEventListener("change", (ev) => setLang(ev.target.value));
  onLangChange(() => {
    $("#lang").value = lang();
    inbox.render();
    review.rerender();
    if (view === "overview") overview.load();
    if (stream) setLive(liveState);
  });
  $("#signin-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const key = $("#signin-key").value.trim();
    if (!key) { $("#signin-error").textContent = t("signin.empty"); return; }
    signIn(key);
  });
  $("#signout").addEventListener("click", () => { session.clear(); location.hash = "#/signin"; showSignin(); });
  $("#notify").addEventListener("change", (ev) => notify.setEnabled(ev.target.checked));
  $("#help-close").addEventListener("click", () => $("#help").close());
  setUnauthenticatedHandler(() => { session.clear(); showSignin(t("error.unauthenticated")); });
  overview.init();
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", route);
  startTicker();

  const key = session.key();
  if (!key) { showSignin(); return; }
  // a reload: the key is still in this tab's session storage
  ctx.canRespond = false;
  startSession();
  abilities(key).then(setAbilities).catch((e) => {
    if (e.status === 401 || e.status === 403) { session.clear(); showSignin(signinError(e)); }
  });
}

init();
