// One conversation: player, transcript (click to seek, the sentence playing is highlighted),
// speakers (rename), insight panels, analytics charts, exports and delete.

import { ApiError, api, get, mediaUrl, watchJob } from "../api.js";
import { clock, colourFor, download, formatDate, h, mount, secondsBetween, statusBadge, toast } from "../dom.js";
import { analyticsCharts } from "./charts.js";
import { insightPanels } from "./panels.js";

const INSIGHTS = {
  summary: "summary",
  questions: "questions",
  actionItems: "action-items",
  followUps: "follow-ups",
  topics: "topics?sentiment=true&parentRefs=true",
  entities: "entities",
  trackers: "trackers-detected",
  analytics: "analytics",
};
const EXPORTS = [
  ["md", "Markdown", "text/markdown"],
  ["srt", "SRT", "text/srt"],
  ["vtt", "VTT", "text/vtt"],
  ["json", "JSON", "application/json"],
];

async function loadInsights(base) {
  const entries = await Promise.all(
    Object.entries(INSIGHTS).map(async ([key, path]) => {
      try {
        const body = await get(`${base}/${path}`);
        // Most answers wrap their list in a key of the same name; trackers are a bare array.
        return [key, key === "analytics" || Array.isArray(body) ? body : body[key] || []];
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return [key, key === "analytics" ? {} : []];
        throw error;
      }
    }),
  );
  return Object.fromEntries(entries);
}

// Seconds from the start of the conversation's media timeline.
function offsetOf(conversation, iso) {
  return iso ? secondsBetween(conversation.startTime, iso) : null;
}

export async function renderConversation({ root, signal }, id) {
  const base = `/v1/conversations/${encodeURIComponent(id)}`;
  const [conversation, { jobs }] = await Promise.all([get(base), get(`${base}/jobs`)]);
  const latest = jobs[jobs.length - 1];

  const header = h("div", { class: "heading" });
  const statusLine = h("div", { id: "job-status", role: "status", "aria-live": "polite" });
  mount(root, header, statusLine);

  // A job still running: show it live, then draw the page when it is done.
  if (latest && (latest.status === "scheduled" || latest.status === "in_progress")) {
    header.replaceChildren(h("h1", {}, conversation.name));
    const job = await watchJob(latest.id, (current) => {
      if (signal.aborted) throw new Error("left the page");
      statusLine.replaceChildren("Processing: ", statusBadge(current.status));
    });
    if (job.status === "completed") return renderConversation({ root, signal }, id);
    latest.status = job.status;
    latest.message = job.message;
  }

  const state = { conversation, messages: [], insights: {}, items: [], colours: new Map() };
  const speakersBox = h("section", { class: "panel", id: "speakers", "aria-labelledby": "title-speakers" });
  const transcriptBox = h("ol", { class: "transcript", id: "transcript", "aria-label": "Transcript" });
  const analyticsBox = h("section", { class: "panel", id: "analytics", "aria-labelledby": "title-analytics" });
  const panelsBox = h("div");
  const player = createPlayer(conversation, jobs.filter((j) => j.hasMedia), state);

  const colourOf = (memberId) => state.colours.get(memberId) || "#6e7781";

  async function refresh() {
    const [fresh, { messages }, insights] = await Promise.all([get(base), get(`${base}/messages`), loadInsights(base)]);
    Object.assign(state, { conversation: fresh, messages, insights });
    fresh.members.forEach((member, i) => state.colours.set(member.id, colourFor(i)));
    drawHeader();
    drawSpeakers();
    drawTranscript();
    const segments = messages
      .filter((m) => m.startTime && m.endTime && m.from && m.from.id)
      .map((m) => ({ memberId: m.from.id, name: m.from.name, start: offsetOf(fresh, m.startTime), end: offsetOf(fresh, m.endTime) }));
    analyticsBox.replaceChildren(
      h("h2", { id: "title-analytics" }, "Speaker analytics"),
      analyticsCharts(insights.analytics || {}, fresh.members, segments, colourOf),
    );
    panelsBox.replaceChildren(insightPanels(insights));
  }

  function drawHeader() {
    const c = state.conversation;
    const duration = secondsBetween(c.startTime, c.endTime);
    const exports = EXPORTS.map(([key, label, type]) =>
      h("button", { type: "button", "data-export": key, onclick: () => exportAs(key, type) }, label),
    );
    header.replaceChildren(
      h(
        "div",
        {},
        h("h1", {}, c.name),
        h(
          "p",
          { class: "muted" },
          `${formatDate(c.startTime)} · ${clock(duration)} · ${c.members.length} speaker${c.members.length === 1 ? "" : "s"} `,
          latest ? statusBadge(latest.status) : null,
        ),
      ),
      h(
        "div",
        { class: "actions" },
        h("span", { class: "muted" }, "Export:"),
        exports,
        h("button", { type: "button", class: "danger", id: "delete", onclick: confirmDelete }, "Delete"),
      ),
    );
    if (latest && latest.status === "failed") {
      statusLine.replaceChildren(h("p", { class: "error", role: "alert" }, `The last job failed: ${latest.message || "no reason given"}`));
    }
  }

  function drawSpeakers() {
    const members = state.conversation.members;
    speakersBox.replaceChildren(
      h("h2", { id: "title-speakers" }, "Speakers"),
      members.length
        ? h("ul", { class: "speakers" }, members.map((member) => speakerRow(member)))
        : h("p", { class: "muted" }, "No speakers."),
    );
  }

  function speakerRow(member) {
    const row = h("li", { "data-member": member.id });
    const show = () =>
      row.replaceChildren(
        h("span", { class: "swatch", style: `background:${colourOf(member.id)}` }),
        h("span", { class: "name" }, member.name),
        h("button", { type: "button", class: "link", "aria-label": `Rename ${member.name}`, onclick: edit }, "Rename"),
      );
    function edit() {
      const input = h("input", { value: member.name, "aria-label": `New name for ${member.name}`, maxlength: 200 });
      const form = h("form", { class: "rename" }, input, h("button", { type: "submit" }, "Save"), h("button", { type: "button", onclick: show }, "Cancel"));
      input.addEventListener("keydown", (event) => event.key === "Escape" && show());
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const name = input.value.trim();
        if (!name || name === member.name) return show();
        await api("PUT", `${base}/members/${encodeURIComponent(member.id)}`, { id: member.id, name, ...(member.email ? { email: member.email } : {}) });
        toast(`Renamed ${member.name} to ${name}.`);
        await refresh();
        speakersBox.querySelector(`[data-member="${CSS.escape(member.id)}"] button`)?.focus();
      });
      row.replaceChildren(form);
      input.focus();
      input.select();
    }
    show();
    return row;
  }

  function drawTranscript() {
    const c = state.conversation;
    state.items = state.messages.map((message) => {
      const start = offsetOf(c, message.startTime);
      const end = offsetOf(c, message.endTime);
      const speaker = message.from && message.from.name ? message.from.name : "Unknown speaker";
      const seekable = player.enabled && start !== null;
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
        el.addEventListener("click", () => player.seek(start));
        el.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            player.seek(start);
          }
        });
      }
      return { el, start, end };
    });
    transcriptBox.replaceChildren(...state.items.map((item) => item.el));
    if (!state.items.length) transcriptBox.replaceChildren(h("li", { class: "muted" }, "No transcript."));
  }

  async function exportAs(key, type) {
    const filename = `${state.conversation.name.replace(/[^\w.-]+/g, "_") || id}.${key}`;
    try {
      if (key === "json") {
        const document = { conversation: state.conversation, messages: state.messages, insights: state.insights };
        download(filename, JSON.stringify(document, null, 2), type);
      } else {
        const body = await api("POST", `${base}/transcript`, { contentType: type, showSpeakerSeparation: true, createParagraphs: true });
        const payload = body.transcript.payload;
        // The documented SRT answer nests the text as {content, contentType}.
        download(filename, typeof payload === "string" ? payload : payload.content, type);
      }
      toast(`Exported ${filename}.`);
    } catch (error) {
      toast(`Export failed: ${error.message}`);
    }
  }

  function confirmDelete() {
    const dialog = h(
      "dialog",
      { "aria-labelledby": "delete-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "delete-title" }, "Delete this conversation?"),
        h("p", {}, `“${state.conversation.name}”, its transcript, insights and media will be deleted permanently.`),
        h("div", { class: "actions" }, h("button", { value: "cancel", autofocus: true }, "Cancel"), h("button", { value: "delete", class: "danger", id: "confirm-delete" }, "Delete")),
      ),
    );
    dialog.addEventListener("close", async () => {
      dialog.remove();
      if (dialog.returnValue !== "delete") return;
      await api("DELETE", base);
      toast(`Deleted “${state.conversation.name}”.`);
      location.hash = "#/";
    });
    document.body.append(dialog);
    dialog.showModal();
  }

  mount(
    root,
    header,
    statusLine,
    h(
      "div",
      { class: "layout" },
      h(
        "div",
        { class: "primary-column" },
        player.element,
        h("section", { class: "panel", "aria-labelledby": "title-transcript" }, h("h2", { id: "title-transcript" }, "Transcript"), transcriptBox),
        analyticsBox,
      ),
      h("div", { class: "side-column" }, speakersBox, panelsBox),
    ),
  );
  await refresh();
}

// The media player. Appended media continue the timeline, so a time picks the media job whose span
// holds it; the sentence under the playhead is highlighted as it plays.
function createPlayer(conversation, mediaJobs, state) {
  if (!mediaJobs.length) return { enabled: false, element: null, seek() {} };
  const isVideo = mediaJobs.some((job) => job.kind === "video");
  const media = h(isVideo ? "video" : "audio", { controls: true, preload: "metadata", id: "player" });
  let active = null;

  function use(job) {
    if (active === job) return Promise.resolve();
    active = job;
    media.src = mediaUrl(conversation.id, job.id);
    return new Promise((resolve) => media.addEventListener("loadedmetadata", resolve, { once: true }));
  }

  function jobAt(seconds) {
    return mediaJobs.findLast((job) => job.mediaOffset <= seconds + 0.01) || mediaJobs[0];
  }

  async function seek(seconds) {
    await use(jobAt(seconds));
    media.currentTime = Math.max(0, seconds - active.mediaOffset);
    highlight();
    media.play().catch(() => {
      // Autoplay may be refused (no user gesture yet): the position is still set.
    });
  }

  let current = null;
  function highlight() {
    if (!active) return;
    const now = active.mediaOffset + media.currentTime;
    const item = state.items.findLast((i) => i.start !== null && i.start <= now + 0.05);
    const playing = item && (item.end === null || now <= item.end + 1) ? item : null;
    if (playing === current) return;
    current?.el.classList.remove("playing");
    current?.el.removeAttribute("aria-current");
    current = playing;
    if (!current) return;
    current.el.classList.add("playing");
    current.el.setAttribute("aria-current", "true");
    keepVisible(current.el);
  }

  media.addEventListener("timeupdate", highlight);
  media.addEventListener("seeked", highlight);
  media.addEventListener("ended", async () => {
    // Play on into the next appended media, if any.
    const next = mediaJobs[mediaJobs.indexOf(active) + 1];
    if (next) {
      await use(next);
      media.play().catch(() => {});
    }
  });
  use(mediaJobs[0]);
  return { enabled: true, element: h("div", { class: "player" }, media), seek };
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
