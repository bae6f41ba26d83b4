// The voice library: people enrolled by voice, named in later diarized recordings.
// Lists voices, adds one from a recording of one person, renames and deletes. Voiceprints never
// reach the browser: the API does not return them.

import { api, get, query, upload } from "../api.js";
import { h, mount, toast } from "../dom.js";

function voiceRow(voice, refresh) {
  const rename = async () => {
    const name = prompt("New name", voice.name);
    if (!name || name === voice.name) return;
    await api("PATCH", `/v1/voices/${encodeURIComponent(voice.id)}`, { name });
    refresh();
  };
  const remove = async () => {
    if (!confirm(`Delete the voice of ${voice.name}? Later recordings will no longer name them.`)) return;
    await api("DELETE", `/v1/voices/${encodeURIComponent(voice.id)}`);
    toast(`Deleted ${voice.name}`);
    refresh();
  };
  const failing = (action) => () => action().catch((error) => toast(error.message));
  return h(
    "tr",
    {},
    h("td", { "data-label": "Name" }, voice.name),
    h("td", { "data-label": "Email" }, voice.email || "–"),
    h(
      "td",
      { "data-label": "Actions" },
      h("button", { type: "button", class: "link", onclick: failing(rename) }, "Rename"),
      " ",
      h("button", { type: "button", class: "link", onclick: failing(remove) }, "Delete"),
    ),
  );
}

function addForm(refresh) {
  const name = h("input", { id: "voice-name", required: true, maxlength: 500, autocomplete: "off" });
  const email = h("input", { id: "voice-email", type: "email", maxlength: 320 });
  const file = h("input", { id: "voice-file", type: "file", accept: "audio/*,video/*", required: true });
  const submit = h("button", { type: "submit", class: "button primary" }, "Add voice");
  const form = h(
    "form",
    {
      class: "stack",
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        try {
          const path = `/v1/voices/audio${query({ name: name.value.trim(), email: email.value.trim() })}`;
          const voice = await upload(path, file.files[0], () => {});
          toast(`Added ${voice.name}`);
          form.reset();
          refresh();
        } catch (error) {
          toast(error.message);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h2", {}, "Add a voice"),
    h("p", { class: "muted" }, "A recording of one person speaking for a few seconds or more; it is not kept."),
    h("label", { for: "voice-name" }, "Name"),
    name,
    h("label", { for: "voice-email" }, "Email (optional)"),
    email,
    h("label", { for: "voice-file" }, "Recording"),
    file,
    submit,
  );
  return form;
}

export async function renderVoices({ root }) {
  const body = h("tbody");
  const refresh = async () => {
    const { voices } = await get("/v1/voices");
    body.replaceChildren(
      ...(voices.length
        ? voices.map((voice) => voiceRow(voice, refresh))
        : [h("tr", {}, h("td", { colspan: 3, class: "muted" }, "No voices yet."))]),
    );
  };
  await refresh();
  mount(
    root,
    h("h1", {}, "Voices"),
    h(
      "p",
      { class: "muted" },
      "Diarized recordings name these people instead of “Speaker N” when their voice is recognised.",
    ),
    h(
      "table",
      { class: "list" },
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Email"), h("th", {}, ""))),
      body,
    ),
    addForm(refresh),
  );
}
