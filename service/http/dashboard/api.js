// The JSON API of opinia-server (POST /v1/{Service}/{Method}) and its alert
// stream (Server-Sent Events read with fetch, which can send the key in the
// Authorization header; EventSource cannot). The key lives in sessionStorage
// only: it goes when the tab closes and never into a URL.
const KEY = "opinia.key";
let onUnauthenticated = () => {};

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;       // HTTP status; 0 when the server was not reached
    this.code = code;           // google.rpc.Code
    this.retryAfter = retryAfter;
  }
}

export const session = {
  key() { return sessionStorage.getItem(KEY); },
  set(key) { sessionStorage.setItem(KEY, key); },
  clear() { sessionStorage.removeItem(KEY); },
};

export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

async function errorOf(resp) {
  let code = 0, message = resp.statusText;
  try {
    const body = await resp.json();
    code = body.code ?? 0;
    message = body.message || message;
  } catch { /* not JSON */ }
  return new ApiError(resp.status, code, message, Number(resp.headers.get("Retry-After")) || 0);
}

// One unary call; resolves to the response message as an object.
export async function call(service, method, request = {}, { key = session.key(), quiet = false } = {}) {
  let resp;
  try {
    resp = await fetch(`/v1/${service}/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(request),
      cache: "no-store",
      credentials: "omit",
    });
  } catch (e) {
    throw new ApiError(0, 14, String(e.message || e));
  }
  if (resp.ok) return resp.json();
  const err = await errorOf(resp);
  if (err.status === 401 && !quiet) onUnauthenticated(err);
  throw err;
}

// Reads one SSE stream body: calls onEvent({id, event, data}) per event and
// onActivity() for every chunk (pings included).
async function readEvents(body, onEvent, onActivity) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "", data = [], event = "", id = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onActivity();
    buf += value;
    let m;
    // a line ends at \r\n, \n or \r; a lone \r at the end may be half a \r\n
    while ((m = /\r\n|\n|\r(?!$)/.exec(buf)) !== null) {
      const line = buf.slice(0, m.index);
      buf = buf.slice(m.index + m[0].length);
      if (line === "") {
        if (data.length) onEvent({ id, event: event || "message", data: data.join("\n") });
        data = []; event = ""; id = null;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let v = colon < 0 ? "" : line.slice(colon + 1);
      if (v.startsWith(" ")) v = v.slice(1);
      if (field === "data") data.push(v);
      else if (field === "event") event = v;
      else if (field === "id" && !v.includes("\0")) id = v;
    }
  }
}

// The alert stream, resumed after every drop with Last-Event-ID = the id of
// the last event handled, so no event is lost or repeated. onState gets
// "connecting", "live" (with fresh=true when it started from now, not from
// a resume token) or "down".
export class AlertStream {
  constructor(query, onAlert, onState) {
    this.query = query;
    this.onAlert = onAlert;
    this.onState = onState;
    this.lastId = null;
    this.controller = null;
    this.stopped = false;
  }

  start() { this.loop(); }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async loop() {
    let delay = 500;
    while (!this.stopped) {
      this.controller = new AbortController();
      let watchdog = 0;
      const arm = () => {
        clearTimeout(watchdog);
        // the server pings every 15 s of silence: 40 s without a byte is a dead connection
        watchdog = setTimeout(() => this.controller.abort(), 40000);
      };
      try {
        this.onState("connecting");
        const headers = { Authorization: `Bearer ${session.key()}`, Accept: "text/event-stream" };
        if (this.lastId) headers["Last-Event-ID"] = this.lastId;
        arm();
        const resp = await fetch(`/v1/AlertService/StreamAlerts?${this.query}`, {
          headers, cache: "no-store", credentials: "omit", signal: this.controller.signal,
        });
        if (!resp.ok) {
          const err = await errorOf(resp);
          if (err.status === 401) { clearTimeout(watchdog); onUnauthenticated(err); return; }
          throw err;
        }
        this.onState("live", this.lastId === null);
        delay = 500;
        let refused = null;
        await readEvents(resp.body, (ev) => {
          let parsed;
          try { parsed = JSON.parse(ev.data); } catch { return; }
          if (ev.event === "error") {  // why the server ended the stream: a google.rpc.Status
            refused = new ApiError(0, parsed.code ?? 0, parsed.message || "");
          } else if (ev.event === "alert") {
            if (ev.id) this.lastId = ev.id;
            this.onAlert(parsed);
          }
        }, arm);
        if (refused && refused.code === 16) {  // UNAUTHENTICATED: the key was revoked
          clearTimeout(watchdog);
          onUnauthenticated(refused);
          return;
        }
      } catch (e) {
        if (this.stopped) return;
      } finally {
        clearTimeout(watchdog);
      }
      if (this.stopped) return;
      this.onState("down");
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }
}
