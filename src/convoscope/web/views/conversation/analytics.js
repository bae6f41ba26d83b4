// The speaker analytics panel: the server's talk-time figures and, from the timed messages, who spoke
// when.

import { h, secondsBetween } from "../../dom.js";
import { analyticsCharts } from "./charts.js";

// The panel's content, from the conversation (its members and start), its messages and analytics.
export function analyticsContent({ conversation, messages, analytics, colourOf }) {
  const segments = messages
    .filter((m) => m.startTime && m.endTime && m.from && m.from.id)
    .map((m) => ({
      memberId: m.from.id,
      name: m.from.name,
      start: secondsBetween(conversation.startTime, m.startTime),
      end: secondsBetween(conversation.startTime, m.endTime),
    }));
  return [
    h("h2", { id: "title-analytics" }, "Speaker analytics"),
    analyticsCharts(analytics || {}, conversation.members, segments, colourOf),
  ];
}
