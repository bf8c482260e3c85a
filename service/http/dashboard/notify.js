// The optional alarm for new urgent reviews: a short tone (Web Audio, no
// sound file) and a desktop notification when the browser allows one.
import { t, tEnum } from "./i18n.js";
import { toast } from "./ui.js";

const PREF = "opinia.notify";
let audio = null;

export function enabled() {
  try { return localStorage.getItem(PREF) === "1"; } catch { return false; }
}

// Called from the toggle's change event: a user gesture, so the audio
// context may start and the permission prompt may show.
export async function setEnabled(on) {
  try { localStorage.setItem(PREF, on ? "1" : "0"); } catch { /* storage disabled */ }
  if (!on) return;
  try { audio = audio || new AudioContext(); await audio.resume(); } catch { audio = null; }
  if ("Notification" in window && Notification.permission === "default") {
    const answer = await Notification.requestPermission();
    if (answer === "denied") toast(t("notify.denied"));
  }
}

function beep() {
  if (!audio) { try { audio = new AudioContext(); } catch { return; } }
  const osc = audio.createOscillator(), gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.4);
}

export function announce(review, priority) {
  if (!enabled()) return;
  beep();
  if ("Notification" in window && Notification.permission === "granted") {
    const input = review.input || {};
    const n = new Notification(t("notify.title", { priority: tEnum("priority", priority), platform: input.source || "" }), {
      body: (input.text || "").slice(0, 180),  // shown as plain text by the browser
      tag: review.name,
    });
    n.onclick = () => { window.focus(); location.hash = `#/reviews/${review.name.replace(/^reviews\//, "")}`; };
  }
}
