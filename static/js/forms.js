// Error summaries (the GOV.UK pattern) and client-side checks for every form.
// The server renders the summary when a form comes back with errors; this moves
// focus to it, and makes its links focus their field. Before a form is sent, the
// same messages the server would give (required fields, lengths, file size and
// count) are shown here, so a phone does not upload 25 MB to learn the title is
// too short. The server checks everything again.
(() => {
  // Admin pages load their scripts in <head>: wait for the document.
  function start() {
    function focusField(field) {
      field.focus();
      const label = document.querySelector(`label[for="${field.id}"]`);
      (field.closest("fieldset") || label || field).scrollIntoView({ block: "center" });
    }

    document.addEventListener("click", (event) => {
      const link = event.target.closest("[data-error-summary] a[href^='#']");
      if (!link) return;
      const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) return;
      event.preventDefault();
      focusField(field);
    });

    const shown = document.querySelector("[data-error-summary]:not([hidden])");
    if (shown) shown.focus();

    function fill(message, values) {
      return message.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
    }

    function fieldErrors(form) {
      const errors = [];
      const seen = new Set();
      for (const field of form.querySelectorAll("[data-msg-required], [data-minlength], [data-max-files]")) {
        if (seen.has(field.name) || field.disabled) continue;
        let message = "";
        if (field.dataset.msgRequired) {
          if (field.type === "radio" || field.type === "checkbox") {
            const group = form.querySelectorAll(`[name="${field.name}"]`);
            if (![...group].some((item) => item.checked)) message = field.dataset.msgRequired;
          } else if (!field.value.trim()) {
            message = field.dataset.msgRequired;
          }
        }
        if (!message && field.dataset.minlength && field.value.trim()) {
          const count = [...field.value.trim().replace(/\s+/g, " ")].length;
          if (count < Number(field.dataset.minlength)) {
            message = fill(field.dataset.msgMinlength, { count });
          }
        }
        if (!message && field.type === "file" && field.files) {
          const files = [...field.files];
          const maxFiles = Number(field.dataset.maxFiles);
          const maxSize = Number(field.dataset.maxSize);
          const tooBig = files.find((file) => file.size > maxSize);
          if (files.length > maxFiles) {
            message = fill(field.dataset.msgMaxFiles, { name: files[maxFiles].name });
          } else if (tooBig) {
            message = fill(field.dataset.msgMaxSize, { name: tooBig.name });
          }
        }
        seen.add(field.name);
        if (message) errors.push({ field, message });
      }
      return errors;
    }

    function clearClientErrors(form) {
      for (const note of form.querySelectorAll("[data-client-error]")) {
        const field = document.getElementById(note.dataset.clientError);
        if (field) {
          const ids = (field.getAttribute("aria-describedby") || "").split(" ");
          const left = ids.filter((id) => id && id !== note.id).join(" ");
          if (left) field.setAttribute("aria-describedby", left);
          else field.removeAttribute("aria-describedby");
          if (!field.dataset.serverInvalid) field.removeAttribute("aria-invalid");
          field.classList.remove("is-invalid");
        }
        note.remove();
      }
    }

    function showErrors(form, errors) {
      const summary = form.querySelector("[data-error-summary]");
      const list = summary.querySelector("[data-error-summary-list]");
      list.replaceChildren();
      for (const { field, message } of errors) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${field.id}`;
        link.className = "alert-link";
        link.textContent = message;
        item.append(link);
        list.append(item);

        const note = document.createElement("div");
        note.id = `${field.id}_client_error`;
        note.dataset.clientError = field.id;
        note.className = "invalid-feedback d-block";
        note.textContent = message;
        const anchor = field.type === "radio" || field.type === "checkbox"
          ? (field.closest("fieldset") || field.closest(".mb-3") || field.parentElement)
          : field;
        if (anchor === field) field.after(note);
        else anchor.append(note);
        field.classList.add("is-invalid");
        field.setAttribute("aria-invalid", "true");
        const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        field.setAttribute("aria-describedby", [...ids, note.id].join(" "));
      }
      summary.hidden = false;
      summary.focus();
    }

    for (const field of document.querySelectorAll("[aria-invalid='true']")) {
      field.dataset.serverInvalid = "1";
    }

    for (const form of document.querySelectorAll("form[novalidate]")) {
      if (!form.querySelector("[data-error-summary]")) continue;
      form.addEventListener("submit", (event) => {
        clearClientErrors(form);
        const errors = fieldErrors(form);
        if (!errors.length) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        showErrors(form, errors);
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
