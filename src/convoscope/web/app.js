// The page's router: #/login, #/ (list), #/new, #/voices, #/c/<conversationId>. Each view renders into <main>.

import { signOut, token } from "./api.js";
import { mount } from "./dom.js";
import { renderConversation } from "./views/conversation.js";
import { renderList } from "./views/list.js";
import { renderLogin } from "./views/login.js";
import { renderNew } from "./views/new.js";
import { renderVoices } from "./views/voices.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");

// Views that poll (job progress) stop when the user navigates away.
let leaving = new AbortController();

function route() {
  leaving.abort();
  leaving = new AbortController();
  const hash = location.hash || "#/";
  const signedIn = Boolean(token());
  nav.hidden = !signedIn;
  if (!signedIn && hash !== "#/login") {
    location.hash = "#/login";
    return;
  }
  const context = { root: main, signal: leaving.signal };
  const conversation = hash.match(/^#\/c\/([^/?]+)/);
  const view =
    hash === "#/login"
      ? renderLogin
      : hash === "#/new"
        ? renderNew
        : hash === "#/voices"
          ? renderVoices
          : conversation
          ? (ctx) => renderConversation(ctx, decodeURIComponent(conversation[1]))
          : renderList;
  mount(main);
  Promise.resolve(view(context)).catch((error) => {
    if (context.signal.aborted) return;
    mount(main, Object.assign(document.createElement("p"), { className: "error", textContent: error.message }));
  });
  for (const link of nav.querySelectorAll("a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === hash);
  }
}

document.getElementById("sign-out").addEventListener("click", () => {
  signOut();
  location.hash = "#/login";
});
window.addEventListener("hashchange", route);
route();
