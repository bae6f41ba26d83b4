// The only module that talks to the server: the public API plus the /v1 extensions.
// The token lives in sessionStorage, so it is gone when the browser tab is closed.

const TOKEN_KEY = "convoscope.token";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function errorFrom(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.message) message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message);
}

export async function signIn(appId, appSecret) {
  const response = await fetch("/oauth2/token:generate", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ type: "application", appId, appSecret }),
  });
  if (!response.ok) throw await errorFrom(response);
  const body = await response.json();
  sessionStorage.setItem(TOKEN_KEY, body.accessToken);
}

function expired() {
  // A rejected token sends the user back to the sign-in page.
  signOut();
  location.hash = "#/login";
}

export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    expired();
    throw await errorFrom(response);
  }
  if (!response.ok) throw await errorFrom(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path) => api("GET", path);

// The languageCode values the server accepts, in its order.
export async function languages() {
  return (await get("/v1/languages")).languages;
}

// Query-string encoding of the Async API options: booleans as true/false, lists as JSON.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// fetch() cannot report upload progress; XMLHttpRequest's upload events can.
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Authorization", `Bearer ${token()}`);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status alone says what went wrong
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else {
        if (xhr.status === 401) expired();
        reject(new ApiError(xhr.status, (body && body.message) || `Upload failed (${xhr.status})`));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "Network error during the upload.")));
    xhr.send(file);
  });
}

// A short-lived signed URL of a job's media for <audio>/<video>: players cannot send headers, and
// the token must never sit in a URL (history, proxy logs).
export async function mediaLink(conversationId, jobId) {
  const path = `/v1/conversations/${encodeURIComponent(conversationId)}/media/${encodeURIComponent(jobId)}/link`;
  return (await get(path)).url;
}

// Polls a job until it completes or fails, reporting each status. It reads the conversation's job list,
// which tells a job still waiting in the queue (`scheduled`) from a running one: the Job API answers
// `in_progress` for both, as Symbl's clients expect.
export async function watchJob(conversationId, jobId, onStatus, intervalMs = 1000) {
  const path = `/v1/conversations/${encodeURIComponent(conversationId)}/jobs`;
  for (;;) {
    const { jobs } = await get(path);
    const job = jobs.find((candidate) => candidate.id === jobId);
    if (!job) throw new ApiError(404, "The job is no longer there.");
    onStatus(job);
    if (job.status === "completed" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
