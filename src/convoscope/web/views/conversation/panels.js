// Insight panels: summary, questions, action items, follow-ups, topics, entities, trackers.

import { h } from "../../dom.js";

function panel(id, title, items, renderItem, emptyText = "None found.") {
  return h(
    "section",
    { class: "panel", id: `panel-${id}`, "aria-labelledby": `title-${id}` },
    h("h2", { id: `title-${id}` }, title, h("span", { class: "count" }, String(items.length))),
    items.length ? h("ul", {}, items.map((item) => h("li", {}, renderItem(item)))) : h("p", { class: "muted" }, emptyText),
  );
}

function who(item) {
  return item.from && item.from.name ? h("span", { class: "muted" }, ` — ${item.from.name}`) : null;
}

function actionItem(item) {
  const assignee = item.assignee && item.assignee.name;
  const due = item.dueBy ? new Date(item.dueBy).toLocaleDateString(undefined, { dateStyle: "medium" }) : null;
  return [
    item.text,
    h(
      "div",
      { class: "meta" },
      assignee ? h("span", { class: "tag" }, `Assignee: ${assignee}`) : null,
      due ? h("span", { class: "tag" }, `Due: ${due}`) : null,
      item.definitive === false ? h("span", { class: "tag" }, "tentative") : null,
    ),
  ];
}

function sentiment(topic) {
  const suggested = topic.sentiment && topic.sentiment.suggested;
  return suggested ? h("span", { class: `sentiment ${suggested}`, title: `Sentiment score ${topic.sentiment.polarity.score}` }, suggested) : null;
}

// Topics as a tree: a child names its parent's text in parentRefs.
function topicTree(topics) {
  const byParent = new Map();
  const texts = new Set(topics.map((t) => t.text));
  for (const topic of topics) {
    const parent = (topic.parentRefs || []).map((p) => p.text).find((text) => texts.has(text)) || null;
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent).push(topic);
  }
  const branch = (parent, seen) =>
    (byParent.get(parent) || [])
      .filter((t) => !seen.has(t.text))
      .map((topic) => {
        const children = branch(topic.text, new Set([...seen, topic.text]));
        return h("li", {}, h("span", { class: "topic" }, topic.text), " ", sentiment(topic), children.length ? h("ul", {}, children) : null);
      });
  return branch(null, new Set());
}

function entity(item) {
  const value = typeof item.value === "string" && item.value !== item.text ? ` = ${item.value}` : "";
  return [h("span", { class: "tag" }, item.customType || item.type), " ", item.text, value];
}

function tracker(item) {
  const values = [...new Set((item.matches || []).map((m) => m.value))];
  const mentions = (item.matches || []).reduce((n, m) => n + (m.messageRefs || []).length, 0);
  return [h("strong", {}, item.name), ` — ${values.join(", ")} (${mentions} mention${mentions === 1 ? "" : "s"})`];
}

function topicsPanel(topics) {
  const tree = topicTree(topics);
  return h(
    "section",
    { class: "panel", id: "panel-topics", "aria-labelledby": "title-topics" },
    h("h2", { id: "title-topics" }, "Topics", h("span", { class: "count" }, String(topics.length))),
    tree.length ? h("ul", { class: "tree" }, tree) : h("p", { class: "muted" }, "None found."),
  );
}

// Each panel by its insight key, in page order; each draws from its own list alone.
const PANELS = {
  summary: (items) => panel("summary", "Summary", items, (s) => s.text, "No summary."),
  questions: (items) => panel("questions", "Questions", items, (q) => [q.text, who(q)]),
  actionItems: (items) => panel("action-items", "Action items", items, actionItem),
  followUps: (items) => panel("follow-ups", "Follow-ups", items, actionItem),
  topics: topicsPanel,
  entities: (items) => panel("entities", "Entities", items, entity),
  trackers: (items) => panel("trackers", "Trackers", items, tracker),
};

export const PANEL_KEYS = Object.keys(PANELS);

// One insight panel; `items` is that insight's list as the server answered it.
export function insightPanel(key, items) {
  return PANELS[key](items || []);
}
