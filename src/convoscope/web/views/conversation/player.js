// The media player. Appended media continue the timeline, so a time picks the media job whose span
// holds it. It reports the playhead, in seconds on the conversation's timeline, to `onTime`.

import { mediaLink } from "../../api.js";
import { h } from "../../dom.js";

// mediaJobs: the conversation's jobs that have media, oldest first. Null when there are none.
export function createPlayer(conversationId, mediaJobs, onTime) {
  if (!mediaJobs.length) return null;
  const isVideo = mediaJobs.some((job) => job.kind === "video");
  const media = h(isVideo ? "video" : "audio", { controls: true, preload: "metadata", id: "player" });
  let active = null;

  async function use(job) {
    if (active === job) return;
    active = job;
    const loaded = new Promise((resolve) => media.addEventListener("loadedmetadata", resolve, { once: true }));
    media.src = await mediaLink(conversationId, job.id);
    await loaded;
  }

  // A signed link expires after a while: a later range request then fails, so sign it again and
  // carry on from the same place.
  let resignedAt = 0;
  media.addEventListener("error", async () => {
    // At most once in ten seconds: a file that really fails to play must not loop.
    if (!active || Date.now() - resignedAt < 10_000) return;
    resignedAt = Date.now();
    const at = media.currentTime;
    try {
      const loaded = new Promise((resolve) => media.addEventListener("loadedmetadata", resolve, { once: true }));
      media.src = await mediaLink(conversationId, active.id);
      await loaded;
      media.currentTime = at;
    } catch {
      // the conversation is gone or the session ended: the page says so elsewhere
    }
  });

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
