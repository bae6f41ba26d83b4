// The conversation's actions: export (Markdown, SRT and VTT from the server, JSON of what the page
// holds) and delete, after a confirmation.

import { api } from "../../api.js";
import { download, h, toast } from "../../dom.js";

const EXPORTS = [
  ["md", "Markdown", "text/markdown"],
  ["srt", "SRT", "text/srt"],
  ["vtt", "VTT", "text/vtt"],
  ["json", "JSON", "application/json"],
];

// base: the conversation's API path. shown: what the page shows ({conversation, messages, insights}).
export function conversationActions(base, shown) {
  return h(
    "div",
    { class: "actions" },
    h("span", { class: "muted" }, "Export:"),
    EXPORTS.map(([key, label, type]) =>
      h("button", { type: "button", "data-export": key, onclick: () => exportAs(base, shown, key, type) }, label),
    ),
    h("button", { type: "button", class: "danger", id: "delete", onclick: () => confirmDelete(base, shown.conversation) }, "Delete"),
  );
}

async function exportAs(base, shown, key, type) {
  const { conversation } = shown;
  const filename = `${conversation.name.replace(/[^\w.-]+/g, "_") || conversation.id}.${key}`;
  try {
    if (key === "json") {
      const document = { conversation, messages: shown.messages, insights: shown.insights };
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

function confirmDelete(base, conversation) {
  const dialog = h(
    "dialog",
    { "aria-labelledby": "delete-title" },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "delete-title" }, "Delete this conversation?"),
      h("p", {}, `“${conversation.name}”, its transcript, insights and media will be deleted permanently.`),
      h(
        "div",
        { class: "actions" },
        h("button", { value: "cancel", autofocus: true }, "Cancel"),
        h("button", { value: "delete", class: "danger", id: "confirm-delete" }, "Delete"),
      ),
    ),
  );
  dialog.addEventListener("close", async () => {
    dialog.remove();
    if (dialog.returnValue !== "delete") return;
    await api("DELETE", base);
    toast(`Deleted “${conversation.name}”.`);
    location.hash = "#/";
  });
  document.body.append(dialog);
  dialog.showModal();
}
