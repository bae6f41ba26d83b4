// The transcript: one row per sentence. With a player, a click (or Enter or Space) on a sentence plays
// from there, and the sentence under the playhead is highlighted and kept in view.

import { clock, h, messageSpan } from "../../dom.js";

// seek(seconds), or null without media. Returns the list element, show() to draw messages and
// highlight() to follow the playhead.
export function createTranscript(seek) {
  const element = h("ol", { class: "transcript", id: "transcript", "aria-label": "Transcript" });
  let items = [];
  let playing = null;
  let now = null;

  // Times shown and sought are the messages' offsets: seconds into the recording, for media.
  function show({ messages, colourOf }) {
    items = messages.map((message) => sentence(message, colourOf, seek));
    playing = null;
    element.replaceChildren(...items.map((item) => item.el));
    if (!items.length) element.replaceChildren(h("li", { class: "muted" }, "No transcript."));
    if (now !== null) highlight(now);
  }

  // seconds: the playhead on the conversation's timeline.
  function highlight(seconds) {
    now = seconds;
    const item = items.findLast((i) => i.start !== null && i.start <= seconds + 0.05);
    const found = item && (item.end === null || seconds <= item.end + 1) ? item : null;
    if (found === playing) return;
    playing?.el.classList.remove("playing");
    playing?.el.removeAttribute("aria-current");
    playing = found;
    if (!playing) return;
    playing.el.classList.add("playing");
    playing.el.setAttribute("aria-current", "true");
    keepVisible(playing.el);
  }

  return { element, show, highlight };
}

function sentence(message, colourOf, seek) {
  const { start, end } = messageSpan(message);
  const speaker = message.from && message.from.name ? message.from.name : "Unknown speaker";
  const seekable = Boolean(seek) && start !== null;
  const el = h(
    "li",
    {
      class: "sentence",
      "data-id": message.id,
      "data-start": start,
      tabindex: seekable ? 0 : null,
      role: seekable ? "button" : null,
      "aria-label": seekable ? `${speaker} at ${clock(start)}: play from here` : null,
    },
    h("time", {}, clock(start)),
    h("span", { class: "speaker", style: `color:${colourOf(message.from && message.from.id)}` }, speaker),
    h("span", { class: "text" }, message.text),
  );
  if (seekable) {
    el.addEventListener("click", () => seek(start));
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        seek(start);
      }
    });
  }
  return { el, start, end };
}

// Scroll the transcript box (not the page) so the highlighted sentence is in view.
function keepVisible(el) {
  const box = el.parentElement;
  if (!box) return;
  const top = el.offsetTop; // the box is position: relative, so this is relative to it
  if (top < box.scrollTop || top + el.offsetHeight > box.scrollTop + box.clientHeight) {
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
}
