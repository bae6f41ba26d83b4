// The conversation's heading: name, date, duration, speaker count and the last job's state.

import { clock, formatDate, h, secondsBetween, statusBadge } from "../../dom.js";

// latest: the conversation's last job, or null. actions: the element with the page's buttons.
export function headingContent({ conversation, latest }, actions) {
  const duration = secondsBetween(conversation.startTime, conversation.endTime);
  const speakers = conversation.members.length;
  return [
    h(
      "div",
      {},
      h("h1", {}, conversation.name),
      h(
        "p",
        { class: "muted" },
        `${formatDate(conversation.startTime)} · ${clock(duration)} · ${speakers} speaker${speakers === 1 ? "" : "s"} `,
        latest ? statusBadge(latest.status) : null,
      ),
    ),
    actions,
  ];
}

// What the status line says under the heading once no job is running: why the last one failed.
export function jobOutcome(latest) {
  if (!latest || latest.status !== "failed") return [];
  return [h("p", { class: "error", role: "alert" }, `The last job failed: ${latest.message || "no reason given"}`)];
}
