// The conversation list: newest first, searchable by name and by words spoken, paginated.

import { get, query } from "../api.js";
import { clock, formatDate, h, mount, secondsBetween, statusBadge } from "../dom.js";

const PAGE = 10;

async function latestJob(conversationId) {
  try {
    const { jobs } = await get(`/v1/conversations/${encodeURIComponent(conversationId)}/jobs`);
    return jobs.length ? jobs[jobs.length - 1] : null;
  } catch {
    return null;
  }
}

async function fetchPage(q, page) {
  const offset = page * PAGE;
  if (q) {
    const body = await get(`/v1/search${query({ q, limit: PAGE, offset })}`);
    return { rows: body.conversations, hasNext: offset + PAGE < body.total, total: body.total };
  }
  // One extra row tells whether there is a next page.
  const body = await get(`/v1/conversations${query({ order: "desc", limit: PAGE + 1, offset })}`);
  return { rows: body.conversations.slice(0, PAGE), hasNext: body.conversations.length > PAGE };
}

function row(conversation) {
  const status = h("td", { "data-label": "Status" }, "…");
  latestJob(conversation.id).then((job) => {
    status.replaceChildren(statusBadge(job && job.status));
  });
  const speakers = conversation.members.map((m) => m.name).join(", ") || "–";
  return h(
    "tr",
    {},
    h(
      "td",
      { "data-label": "Name" },
      h("a", { href: `#/c/${encodeURIComponent(conversation.id)}` }, conversation.name),
      conversation.snippet ? h("div", { class: "snippet" }, conversation.snippet) : null,
    ),
    h("td", { "data-label": "Date" }, formatDate(conversation.startTime)),
    h("td", { "data-label": "Duration" }, clock(secondsBetween(conversation.startTime, conversation.endTime))),
    h("td", { "data-label": "Speakers" }, speakers),
    status,
  );
}

export function renderList({ root }) {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  let q = params.get("q") || "";
  let page = 0;
  const search = h("input", {
    type: "search",
    id: "search",
    placeholder: "Search names and spoken words",
    value: q,
    "aria-label": "Search conversations",
  });
  const body = h("div", { "aria-live": "polite" });
  const prev = h("button", { type: "button" }, "← Newer");
  const next = h("button", { type: "button" }, "Older →");
  const where = h("span", { class: "muted" });

  async function load() {
    body.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    const { rows, hasNext, total } = await fetchPage(q, page);
    prev.disabled = page === 0;
    next.disabled = !hasNext;
    where.textContent = `Page ${page + 1}` + (total !== undefined ? ` · ${total} found` : "");
    if (!rows.length) {
      body.replaceChildren(
        h("p", { class: "empty" }, q ? `Nothing matches “${q}”.` : "No conversations yet. ", q ? null : h("a", { href: "#/new" }, "Add the first one.")),
      );
      return;
    }
    body.replaceChildren(
      h(
        "table",
        { class: "conversations" },
        h("thead", {}, h("tr", {}, ["Name", "Date", "Duration", "Speakers", "Status"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows.map(row)),
      ),
    );
  }

  const form = h("form", { role: "search", class: "searchbar" }, search, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    q = search.value.trim();
    page = 0;
    load();
  });
  prev.addEventListener("click", () => {
    page -= 1;
    load();
  });
  next.addEventListener("click", () => {
    page += 1;
    load();
  });
  mount(
    root,
    h("div", { class: "heading" }, h("h1", {}, "Conversations")),
    form,
    body,
    h("nav", { class: "pager", "aria-label": "Pages" }, prev, where, next),
  );
  return load();
}
