// New conversation: a media file (drag and drop, upload progress), a media URL, or pasted text;
// then the job's progress, live, until it completes (go to the conversation) or fails (say why).

import { api, languages, query, upload, watchJob } from "../api.js";
import { h, mount, statusBadge } from "../dom.js";

const DEFAULT_LANGUAGE = "en-US";
const VIDEO = /\.(mp4|m4v|mov|webm|mkv)$/i;

function field(id, label, control, hint) {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("small", { class: "muted" }, hint) : null);
}

// The language select, filled from the server's list once it answers. Until then (or if it cannot
// answer) it offers the server's default, which a submit without a languageCode gets.
function languageSelect() {
  const select = h("select", { id: "language", disabled: true }, h("option", { value: "" }, "Server default"));
  languages()
    .then((codes) => {
      select.replaceChildren(...codes.map((code) => h("option", { value: code, selected: code === DEFAULT_LANGUAGE }, code)));
      select.disabled = false;
    })
    .catch(() => {
      // Keep the default: the form works without the list.
    });
  return select;
}

// "Name: word, word" per line -> [{name, vocabulary}]
function parseTrackers(text) {
  return text
    .split("\n")
    .map((line) => line.split(":"))
    .filter((parts) => parts.length >= 2 && parts[0].trim())
    .map(([name, ...rest]) => ({
      name: name.trim(),
      vocabulary: rest.join(":").split(",").map((w) => w.trim()).filter(Boolean),
    }))
    .filter((tracker) => tracker.vocabulary.length);
}

// "Speaker: what they said" per line -> Text API messages; lines without a name continue the speaker.
function parseText(text) {
  const messages = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const match = line.match(/^([^:]{1,40}):\s+(.+)$/);
    const message = { payload: { content: match ? match[2] : line, contentType: "text/plain" } };
    if (match) message.from = { name: match[1].trim() };
    messages.push(message);
  }
  return messages;
}

export function renderNew({ root, signal }) {
  let source = "file";
  let file = null;

  const fileInput = h("input", { type: "file", id: "file", accept: "audio/*,video/*" });
  const fileName = h("span", { class: "muted" }, "No file chosen");
  const drop = h(
    "label",
    { class: "dropzone", for: "file" },
    h("strong", {}, "Drop an audio or video file here"),
    h("span", {}, "or press to choose one"),
    fileName,
  );
  const chooseFile = (chosen) => {
    file = chosen;
    fileName.textContent = chosen ? `${chosen.name} (${(chosen.size / 1e6).toFixed(1)} MB)` : "No file chosen";
    if (chosen && !name.value) name.value = chosen.name.replace(/\.[^.]+$/, "");
  };
  fileInput.addEventListener("change", () => chooseFile(fileInput.files[0] || null));
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files.length) chooseFile(event.dataTransfer.files[0]);
  });

  const url = h("input", { type: "url", id: "url", placeholder: "https://example.com/meeting.mp3" });
  const text = h("textarea", { id: "text", rows: 8, placeholder: "Ana: Can you send the report by Friday?\nBen: Yes, tomorrow." });

  const name = h("input", { id: "name", placeholder: "Weekly sync" });
  const diarize = h("input", { type: "checkbox", id: "diarize" });
  const speakers = h("input", { type: "number", id: "speakers", min: 1, max: 20, placeholder: "auto", disabled: true });
  diarize.addEventListener("change", () => (speakers.disabled = !diarize.checked));
  const language = languageSelect();
  const vocabulary = h("input", { id: "vocabulary", placeholder: "Convoscope, Kubernetes" });
  const trackers = h("textarea", { id: "trackers", rows: 2, placeholder: "Pricing: price, cost, discount" });
  const summary = h("input", { type: "checkbox", id: "summary", checked: true });
  const redact = h("input", { type: "checkbox", id: "redact" });

  const panes = {
    file: h("div", { class: "pane" }, fileInput, drop),
    url: h("div", { class: "pane", hidden: true }, field("url", "Media URL", url, "A public http(s) link to an audio or video file.")),
    text: h("div", { class: "pane", hidden: true }, field("text", "Conversation", text, "One line per sentence, optionally starting with “Speaker: ”.")),
  };
  const speechOnly = h(
    "fieldset",
    { class: "speech" },
    h("legend", {}, "Speech"),
    h("div", { class: "check" }, diarize, h("label", { for: "diarize" }, "Separate speakers (diarization)")),
    field("speakers", "Number of speakers", speakers),
    field("language", "Language", language),
    field("vocabulary", "Custom vocabulary", vocabulary, "Comma-separated words the recogniser should favour."),
  );

  const tabs = h(
    "div",
    { class: "tabs", role: "radiogroup", "aria-label": "Source" },
    ["file", "url", "text"].map((key) => {
      const id = `source-${key}`;
      const radio = h("input", { type: "radio", name: "source", id, value: key, checked: key === source });
      radio.addEventListener("change", () => {
        source = key;
        for (const [k, pane] of Object.entries(panes)) pane.hidden = k !== key;
        speechOnly.hidden = key === "text";
      });
      return h("span", {}, radio, h("label", { for: id }, { file: "Upload a file", url: "From a URL", text: "Paste text" }[key]));
    }),
  );

  const progress = h("progress", { id: "upload-progress", max: 1, value: 0, hidden: true });
  const status = h("div", { id: "job-status", role: "status", "aria-live": "polite" });
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Process");

  function options() {
    const common = {
      name: name.value.trim() || undefined,
      enableSummary: summary.checked,
      trackers: parseTrackers(trackers.value),
      // Masked before anything is stored, and bleeped in the stored recording.
      redaction: redact.checked ? { identifyContent: true, redactContent: true, redactAudio: source !== "text" } : undefined,
    };
    if (!common.trackers.length) delete common.trackers;
    if (source === "text") return common;
    const words = vocabulary.value.split(",").map((w) => w.trim()).filter(Boolean);
    return {
      ...common,
      languageCode: language.value || undefined,
      enableSpeakerDiarization: diarize.checked || undefined,
      diarizationSpeakerCount: diarize.checked && speakers.value ? Number(speakers.value) : undefined,
      customVocabulary: words.length ? words : undefined,
    };
  }

  async function send() {
    const chosen = options();
    if (source === "file") {
      if (!file) throw new Error("Choose a file first.");
      const kind = file.type.startsWith("video/") || VIDEO.test(file.name) ? "video" : "audio";
      progress.hidden = false;
      status.replaceChildren(`Uploading ${file.name}…`);
      return upload(`/v1/process/${kind}${query(chosen)}`, file, (fraction) => {
        progress.value = fraction;
        status.replaceChildren(`Uploading ${file.name}… ${Math.round(fraction * 100)}%`);
      });
    }
    if (source === "url") {
      if (!url.value.trim()) throw new Error("Enter a URL first.");
      const kind = VIDEO.test(new URL(url.value.trim()).pathname) ? "video" : "audio";
      return api("POST", `/v1/process/${kind}/url`, { url: url.value.trim(), ...chosen });
    }
    const messages = parseText(text.value);
    if (!messages.length) throw new Error("Paste some text first.");
    return api("POST", "/v1/process/text", { messages, ...chosen });
  }

  const form = h(
    "form",
    { class: "card", "aria-labelledby": "new-title" },
    h("h1", { id: "new-title" }, "New conversation"),
    tabs,
    panes.file,
    panes.url,
    panes.text,
    h(
      "fieldset",
      {},
      h("legend", {}, "Options"),
      field("name", "Name", name),
      h("div", { class: "check" }, summary, h("label", { for: "summary" }, "Make a summary")),
      h("div", { class: "check" }, redact, h("label", { for: "redact" }, "Redact personal data (card numbers, SSNs, names…)")),
      field("trackers", "Trackers", trackers, "One per line: “Name: phrase, phrase”."),
    ),
    speechOnly,
    error,
    submit,
    progress,
    status,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    try {
      const ids = await send();
      progress.value = 1;
      const started = Date.now();
      const job = await watchJob(ids.conversationId, ids.jobId, (current) => {
        if (signal.aborted) throw new Error("left the page");
        const seconds = Math.round((Date.now() - started) / 1000);
        status.replaceChildren("Processing: ", statusBadge(current.status), ` ${seconds}s`);
      });
      if (job.status === "failed") {
        status.replaceChildren("Processing: ", statusBadge("failed"));
        throw new Error(`The job failed: ${job.message || "no reason given"}`);
      }
      location.hash = `#/c/${encodeURIComponent(ids.conversationId)}`;
    } catch (failure) {
      if (signal.aborted) return;
      error.textContent = failure.message;
      error.hidden = false;
      submit.disabled = false;
    }
  });
  mount(root, form);
}
