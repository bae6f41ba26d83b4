// The media player. Appended media continue the timeline, so a time picks the media job whose span
// holds it. It reports the playhead, in seconds on the conversation's timeline, to `onTime`.

import { mediaUrl } from "../../api.js";
import { h } from "../../dom.js";

// mediaJobs: the conversation's jobs that have media, oldest first. Null when there are none.
export function createPlayer(conversationId, mediaJobs, onTime) {
  if (!mediaJobs.length) return null;
  const isVideo = mediaJobs.some((job) => job.kind === "video");
  const media = h(isVideo ? "video" : "audio", { controls: true, preload: "metadata", id: "player" });
  let active = null;

  function use(job) {
    if (active === job) return Promise.resolve();
    active = job;
    media.src = mediaUrl(conversationId, job.id);
    return new Promise((resolve) => media.addEventListener("loadedmetadata", resolve, { once: true }));
  }

  function jobAt(seconds) {
    return mediaJobs.findLast((job) => job.mediaOffset <= seconds + 0.01) || mediaJobs[0];
  }

  function report() {
    if (active) onTime(active.mediaOffset + media.currentTime);
  }

  async function seek(seconds) {
    await use(jobAt(seconds));
    media.currentTime = Math.max(0, seconds - active.mediaOffset);
    report();
    media.play().catch(() => {
      // Autoplay may be refused (no user gesture yet): the position is still set.
    });
  }

  media.addEventListener("timeupdate", report);
  media.addEventListener("seeked", report);
  media.addEventListener("ended", async () => {
    // Play on into the next appended media, if any.
    const next = mediaJobs[mediaJobs.indexOf(active) + 1];
    if (next) {
      await use(next);
      media.play().catch(() => {});
    }
  });
  use(mediaJobs[0]);
  return { element: h("div", { class: "player" }, media), seek };
}
