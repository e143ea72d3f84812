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
