// One conversation: player, transcript, speakers, insight panels, analytics, export and delete. This
// module loads the data, lays the parts out and redraws the parts a change touches; each part is drawn
// by its own module in ./conversation/ from the data it is given.

import { watchJob } from "../api.js";
import { h, mount, statusBadge, toast } from "../dom.js";
import { conversationActions } from "./conversation/actions.js";
import { analyticsContent } from "./conversation/analytics.js";
import {
  SPEAKER_INSIGHTS,
  conversationPath,
  loadContent,
  loadConversation,
  loadSpeakerViews,
  renameMember,
} from "./conversation/data.js";
import { headingContent, jobOutcome } from "./conversation/header.js";
import { PANEL_KEYS, insightPanel } from "./conversation/panels.js";
import { createPlayer } from "./conversation/player.js";
import { focusSpeaker, speakerColours, speakersContent, survivorOf } from "./conversation/speakers.js";
import { createTranscript } from "./conversation/transcript.js";

const RUNNING = new Set(["scheduled", "in_progress"]);
// The insight panels that name speakers, redrawn after a rename.
const SPEAKER_PANELS = SPEAKER_INSIGHTS.filter((key) => PANEL_KEYS.includes(key));

export async function renderConversation({ root, signal }, id) {
  const base = conversationPath(id);
  const { conversation, jobs } = await loadConversation(base);
  let latest = jobs.length ? jobs[jobs.length - 1] : null;
  if (latest && RUNNING.has(latest.status)) {
    const job = await showProgress(root, signal, conversation, latest);
    if (job.status === "completed") return renderConversation({ root, signal }, id);
    latest = { ...latest, status: job.status, message: job.message };
  }
  const { messages, insights } = await loadContent(base);
  drawPage(root, base, { conversation, jobs, latest, messages, insights });
}

// A job still running: its progress, live, under the conversation's name; resolves with the job ended.
function showProgress(root, signal, conversation, job) {
  const statusLine = h("div", { id: "job-status", role: "status", "aria-live": "polite" });
  mount(root, h("div", { class: "heading" }, h("h1", {}, conversation.name)), statusLine);
  return watchJob(conversation.id, job.id, (current) => {
    if (signal.aborted) throw new Error("left the page");
    statusLine.replaceChildren("Processing: ", statusBadge(current.status));
  });
}

// first: {conversation, jobs, latest, messages, insights}. What the page shows is replaced as a whole
// (never changed in place) when the server's answer changes.
function drawPage(root, base, first) {
  let shown = first;
  const heading = h("div", { class: "heading" });
  const statusLine = h("div", { id: "job-status", role: "status", "aria-live": "polite" }, jobOutcome(shown.latest));
  const speakers = h("section", { class: "panel", id: "speakers", "aria-labelledby": "title-speakers" });
  const analytics = h("section", { class: "panel", id: "analytics", "aria-labelledby": "title-analytics" });
  const panels = new Map();
  const player = createPlayer(
    shown.conversation.id,
    shown.jobs.filter((job) => job.hasMedia),
    (seconds) => transcript.highlight(seconds),
  );
  const transcript = createTranscript(player && player.seek);

  // The parts that show speakers: all of them after a rename, as the members may have merged.
  function drawSpeakerParts() {
    const { conversation, messages, insights } = shown;
    const colourOf = speakerColours(conversation.members);
    heading.replaceChildren(...headingContent(shown, conversationActions(base, shown)));
    speakers.replaceChildren(...speakersContent({ members: conversation.members, colourOf, rename }));
    transcript.show({ messages, colourOf });
    analytics.replaceChildren(...analyticsContent({ conversation, messages, analytics: insights.analytics, colourOf }));
    drawPanels(SPEAKER_PANELS);
  }

  function drawPanels(keys) {
    for (const key of keys) {
      const panel = insightPanel(key, shown.insights[key]);
      panels.get(key)?.replaceWith(panel);
      panels.set(key, panel);
    }
  }

  async function rename(member, name) {
    try {
      await renameMember(base, member, name);
    } catch (error) {
      toast(`Rename failed: ${error.message}`);
      return;
    }
    toast(`Renamed ${member.name} to ${name}.`);
    const fresh = await loadSpeakerViews(base);
    shown = {
      ...shown,
      conversation: { ...shown.conversation, members: fresh.members },
      messages: fresh.messages,
      insights: { ...shown.insights, ...fresh.insights },
    };
    drawSpeakerParts();
    focusSpeaker(speakers, survivorOf(fresh.members, member));
  }

  drawPanels(PANEL_KEYS);
  drawSpeakerParts();
  mount(
    root,
    heading,
    statusLine,
    h(
      "div",
      { class: "layout" },
      h(
        "div",
        { class: "primary-column" },
        player && player.element,
        h(
          "section",
          { class: "panel", "aria-labelledby": "title-transcript" },
          h("h2", { id: "title-transcript" }, "Transcript"),
          transcript.element,
        ),
        analytics,
      ),
      h("div", { class: "side-column" }, speakers, h("div", { class: "panels" }, [...panels.values()])),
    ),
  );
}
