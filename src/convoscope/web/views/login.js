// Sign in with an app's id and secret (POST /oauth2/token:generate).

import { signIn } from "../api.js";
import { h, mount } from "../dom.js";

export function renderLogin({ root }) {
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const appId = h("input", { id: "app-id", name: "appId", required: true, autocomplete: "username" });
  const appSecret = h("input", {
    id: "app-secret",
    name: "appSecret",
    type: "password",
    required: true,
    autocomplete: "current-password",
  });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "card narrow", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Sign in"),
    h("p", { class: "muted" }, "Use the appId and appSecret printed when the server first started, or made with `convoscope apps create`."),
    h("label", { for: "app-id" }, "App id"),
    appId,
    h("label", { for: "app-secret" }, "App secret"),
    appSecret,
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      await signIn(appId.value.trim(), appSecret.value);
      location.hash = "#/";
    } catch (failure) {
      error.textContent = failure.status === 401 ? "Wrong app id or secret." : failure.message;
      error.hidden = false;
      submit.disabled = false;
    }
  });
  mount(root, form);
  appId.focus();
}
