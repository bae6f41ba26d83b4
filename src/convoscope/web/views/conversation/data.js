// What the conversation page reads from the server, and the smaller set a speaker rename changes.

import { ApiError, api, get } from "../../api.js";

export const conversationPath = (id) => `/v1/conversations/${encodeURIComponent(id)}`;

// Each insight the page shows, by its key on the page, with its path under the conversation.
const INSIGHTS = {
  summary: "summary",
  questions: "questions",
  actionItems: "action-items",
  followUps: "follow-ups",
  topics: "topics?sentiment=true&parentRefs=true",
  entities: "entities",
  trackers: "trackers-detected",
  analytics: "analytics",
};

// The insights that name speakers: questions' `from`, action items' and follow-ups' `from` and
// `assignee`, analytics' members. A rename changes their names; a merge (the new email is another
// member's) also moves talk time. Summary, topics, entities and trackers name no member.
export const SPEAKER_INSIGHTS = ["questions", "actionItems", "followUps", "analytics"];

async function loadInsight(base, key) {
  try {
    const body = await get(`${base}/${INSIGHTS[key]}`);
    // Most answers wrap their list in a key of the same name; trackers are a bare array.
    return key === "analytics" || Array.isArray(body) ? body : body[key] || [];
  } catch (error) {
    // An insight not made (yet) reads as an empty one.
    if (error instanceof ApiError && error.status === 404) return key === "analytics" ? {} : [];
    throw error;
  }
}

async function loadInsights(base, keys) {
  const values = await Promise.all(keys.map((key) => loadInsight(base, key)));
  return Object.fromEntries(keys.map((key, i) => [key, values[i]]));
}

// The conversation and its jobs, oldest job first.
export async function loadConversation(base) {
  const [conversation, { jobs }] = await Promise.all([get(base), get(`${base}/jobs`)]);
  return { conversation, jobs };
}

// Everything drawn below the header: the messages and every insight.
export async function loadContent(base) {
  const [{ messages }, insights] = await Promise.all([
    get(`${base}/messages`),
    loadInsights(base, Object.keys(INSIGHTS)),
  ]);
  return { messages, insights };
}

export function renameMember(base, member, name) {
  // The email the page knows goes back with the name: should another member have that email by now,
  // the server merges this member into that one.
  const body = { id: member.id, name, ...(member.email ? { email: member.email } : {}) };
  return api("PUT", `${base}/members/${encodeURIComponent(member.id)}`, body);
}

// What a rename (or the merge it may cause) changes: the members, the messages' speakers and the
// insights that name speakers.
export async function loadSpeakerViews(base) {
  const [{ members }, { messages }, insights] = await Promise.all([
    get(`${base}/members`),
    get(`${base}/messages`),
    loadInsights(base, SPEAKER_INSIGHTS),
  ]);
  return { members, messages, insights };
}
