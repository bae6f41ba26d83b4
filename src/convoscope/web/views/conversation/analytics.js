// The speaker analytics panel: the server's talk-time figures and, from the timed messages, who spoke
// when.

import { h, messageSpan } from "../../dom.js";
import { analyticsCharts } from "./charts.js";

// The panel's content, from the conversation (its members), its messages (placed by their offsets, as
// the player and the transcript place them) and analytics.
export function analyticsContent({ conversation, messages, analytics, colourOf }) {
  const segments = messages
    .filter((m) => typeof m.timeOffset === "number" && m.from && m.from.id)
    .map((m) => ({ memberId: m.from.id, name: m.from.name, ...messageSpan(m) }));
  return [
    h("h2", { id: "title-analytics" }, "Speaker analytics"),
    analyticsCharts(analytics || {}, conversation.members, segments, colourOf),
  ];
}
