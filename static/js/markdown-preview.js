// The editor's Markdown preview: the server renders the text exactly as the
// public page will (portal/lib/markup.py), and it is shown under the field.
(() => {
  // Admin pages load their scripts in <head>: wait for the document.
  function start() {
    const field = document.querySelector("textarea[data-preview-url]");
    if (!field) return;
    const form = field.form;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = field.dataset.previewLabel || "Xem trước";
    const output = document.createElement("div");
    output.className = "markdown-preview";
    output.setAttribute("role", "region");
    output.setAttribute("aria-live", "polite");
    output.setAttribute("aria-label", button.textContent);
    output.hidden = true;
    field.after(button, output);

    button.addEventListener("click", async () => {
      const body = new FormData();
      body.append("body", field.value);
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      const response = await fetch(field.dataset.previewUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
      });
      // Sanitised on the server (nh3): only harmless tags come back.
      output.innerHTML = response.ok ? await response.text() : "";
      output.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
