// Speaker analytics as inline SVG: talk time per speaker, who spoke when, and talk/silence/overlap.

import { clock, h, svg } from "../../dom.js";

// Drawn in a 520-unit-wide box that scales with the column; text sizes are in the same units.
const WIDTH = 520;

// Long names would run into the bars.
function shorten(name) {
  return name.length > 16 ? `${name.slice(0, 15)}…` : name;
}

function chart(title, height, ...content) {
  return h(
    "figure",
    { class: "chart" },
    h("figcaption", {}, title),
    svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": title, preserveAspectRatio: "xMinYMin meet" }, ...content),
  );
}

function talkTime(members, colours) {
  const rows = members.filter((m) => m.talkTime);
  const most = Math.max(1, ...rows.map((m) => m.talkTime.seconds));
  const bars = rows.map((member, i) => {
    const y = i * 30;
    const width = Math.max(2, (member.talkTime.seconds / most) * (WIDTH - 270));
    return svg(
      "g",
      {},
      svg("text", { x: 0, y: y + 17, class: "label" }, shorten(member.name)),
      svg("rect", { x: 140, y: y + 4, width, height: 18, rx: 3, fill: colours(member.id) }),
      svg("text", { x: 146 + width, y: y + 17, class: "value" }, `${clock(member.talkTime.seconds)} · ${Math.round(member.talkTime.percentage)}%`),
    );
  });
  return chart("Talk time per speaker", Math.max(30, rows.length * 30), bars);
}

function timeline(segments, members, colours, duration) {
  const lanes = members.map((m) => m.id);
  const scale = (WIDTH - 150) / Math.max(duration, 1);
  const blocks = segments.map((s) =>
    svg(
      "rect",
      {
        x: 140 + s.start * scale,
        y: Math.max(0, lanes.indexOf(s.memberId)) * 26 + 4,
        width: Math.max(1.5, (s.end - s.start) * scale),
        height: 18,
        fill: colours(s.memberId),
      },
      svg("title", {}, `${s.name} ${clock(s.start)}–${clock(s.end)}`),
    ),
  );
  const labels = members.map((m, i) => svg("text", { x: 0, y: i * 26 + 17, class: "label" }, shorten(m.name)));
  const height = Math.max(1, members.length) * 26 + 20;
  const axis = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    svg("text", { x: 140 + f * (WIDTH - 150), y: height - 4, class: "tick", "text-anchor": f === 1 ? "end" : f ? "middle" : "start" }, clock(f * duration)),
  );
  return chart("Who spoke when", height, labels, blocks, axis);
}

function silenceOverlap(metrics) {
  const find = (type) => metrics.find((m) => m.type === type) || { seconds: 0, percent: 0 };
  const talk = find("total_talk_time");
  const silence = find("total_silence");
  const overlap = find("total_overlap");
  const total = Math.max(talk.seconds + silence.seconds, 0.001);
  const talkWidth = (talk.seconds / total) * WIDTH;
  const overlapWidth = Math.min(talkWidth, (overlap.seconds / total) * WIDTH);
  return chart(
    "Talk, silence and overlap",
    66,
    svg("rect", { x: 0, y: 0, width: talkWidth, height: 22, fill: "#1f6feb" }),
    svg("rect", { x: talkWidth, y: 0, width: WIDTH - talkWidth, height: 22, fill: "#d0d7de" }),
    svg("rect", { x: 0, y: 26, width: overlapWidth, height: 8, fill: "#bc4c00" }),
    svg("text", { x: 0, y: 56, class: "value" }, `Talk ${clock(talk.seconds)} (${Math.round(talk.percent)}%) · Silence ${clock(silence.seconds)} (${Math.round(silence.percent)}%) · Overlap ${clock(overlap.seconds)}`),
  );
}

// segments: [{memberId, name, start, end}] in seconds on the conversation timeline.
export function analyticsCharts(analytics, members, segments, colours) {
  if (!segments.length) return h("p", { class: "muted" }, "No timings: analytics need audio or video.");
  const duration = Math.max(...segments.map((s) => s.end));
  return h(
    "div",
    { class: "charts" },
    talkTime(analytics.members || [], colours),
    timeline(segments, members, colours, duration),
    silenceOverlap(analytics.metrics || []),
  );
}
