// Small DOM and formatting helpers. Text always goes in through textContent, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    // Through the CSSOM, which the Content-Security-Policy allows (a style attribute it would block).
    else if (key === "style") el.style.cssText = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// SVG elements need their namespace.
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function mount(root, ...children) {
  root.replaceChildren();
  append(root, children);
}

export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.classList.add("shown");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove("shown"), 3500);
}

// Seconds as m:ss or h:mm:ss.
export function clock(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

export function secondsBetween(start, end) {
  if (!start || !end) return null;
  return (Date.parse(end) - Date.parse(start)) / 1000;
}

// Where a message sits on the conversation's timeline, in seconds: its timeOffset (from the start of the
// recording, for media) and timeOffset + duration. Null for a message without times.
export function messageSpan(message) {
  if (typeof message.timeOffset !== "number") return { start: null, end: null };
  const length = typeof message.duration === "number" ? message.duration : 0;
  return { start: message.timeOffset, end: message.timeOffset + length };
}

export function formatDate(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// Speaker colours, distinguishable and readable as text on white.
const PALETTE = ["#1f6feb", "#b3261e", "#1a7f37", "#8250df", "#bc4c00", "#0a7b83", "#bf3989", "#6e7781"];

export function colourFor(index) {
  return PALETTE[index % PALETTE.length];
}

// A job's status as a badge; a job still waiting in the queue (`scheduled`) reads "queued".
export function statusBadge(status) {
  const label = status === "scheduled" ? "queued" : status ? status.replace("_", " ") : "–";
  return h("span", { class: `badge ${status || "none"}` }, label);
}

export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
