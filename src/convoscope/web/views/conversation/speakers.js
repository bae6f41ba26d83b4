// The speakers panel: each member with their colour, renamed in place.

import { colourFor, h } from "../../dom.js";

const NO_SPEAKER = "#6e7781";

// Colours by the member's place in the list, as on a fresh load of the page.
export function speakerColours(members) {
  const place = new Map(members.map((member, i) => [member.id, i]));
  return (memberId) => (place.has(memberId) ? colourFor(place.get(memberId)) : NO_SPEAKER);
}

// The member a rename left: the same one, or the one it was merged into (the one with its email).
export function survivorOf(members, renamed) {
  const email = renamed.email && renamed.email.toLowerCase();
  return (
    members.find((member) => member.id === renamed.id) ||
    members.find((member) => email && member.email && member.email.toLowerCase() === email) ||
    null
  );
}

// The panel's content. rename(member, name) saves a new name and redraws the page's speaker parts.
export function speakersContent({ members, colourOf, rename }) {
  return [
    h("h2", { id: "title-speakers" }, "Speakers"),
    members.length
      ? h("ul", { class: "speakers" }, members.map((member) => speakerRow(member, colourOf(member.id), rename)))
      : h("p", { class: "muted" }, "No speakers."),
  ];
}

export function focusSpeaker(panel, member) {
  if (member) panel.querySelector(`[data-member="${CSS.escape(member.id)}"] button`)?.focus();
}

function speakerRow(member, colour, rename) {
  const row = h("li", { "data-member": member.id });
  const show = () =>
    row.replaceChildren(
      h("span", { class: "swatch", style: `background:${colour}` }),
      h("span", { class: "name" }, member.name),
      h("button", { type: "button", class: "link", "aria-label": `Rename ${member.name}`, onclick: edit }, "Rename"),
    );
  function edit() {
    const input = h("input", { value: member.name, "aria-label": `New name for ${member.name}`, maxlength: 200 });
    const form = h(
      "form",
      { class: "rename" },
      input,
      h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", onclick: show }, "Cancel"),
    );
    input.addEventListener("keydown", (event) => event.key === "Escape" && show());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name || name === member.name) return show();
      rename(member, name);
    });
    row.replaceChildren(form);
    input.focus();
    input.select();
  }
  show();
  return row;
}
