// Enhancements only: every page works without this file.
"use strict";

// A form sends once: its submit buttons are disabled while the next page loads, so a second
// press does not post it again (the server guards each form anyway).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
});

// A cart quantity sends itself when changed, so the Update button is only needed without script.
for (const form of document.querySelectorAll("form.quantity")) {
  const input = form.querySelector("input[type=number]");
  if (!input) continue;
  input.addEventListener("change", () => { if (input.checkValidity()) form.requestSubmit(); });
}

// An order's page follows the order: the server sends the order's version whenever it changes
// (server-sent events), and the live part of the page is fetched again when it is not the one
// shown. Without script, a reload shows the same.
const live = document.querySelector("[data-live]");
if (live && "EventSource" in window) {
  const events = new EventSource(live.dataset.live);
  let fetching = false;
  events.addEventListener("order", async (event) => {
    const current = document.querySelector("[data-live]");
    if (!current || event.data === current.dataset.version || fetching) return;
    fetching = true;
    try {
      const response = await fetch(current.dataset.page, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-live]");
      if (fresh) {
        current.innerHTML = fresh.innerHTML;
        current.dataset.version = fresh.dataset.version;
      }
    } finally {
      fetching = false;
    }
  });
}
