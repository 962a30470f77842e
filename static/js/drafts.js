// Offline drafts of the report form, kept in IndexedDB on this device only
// (text fields and attached files as Blobs). A draft is never sent in the
// background: the citizen reopens the form online, where it is filled in again,
// and sends it with a fresh captcha; it is deleted once the report is filed.
(() => {
  const banner = document.getElementById("draft-banner");
  if (!banner || !("indexedDB" in window)) return;
  const form = document.querySelector("form[data-draft-form]");
  const FIELDS = [
    "full_name", "id_number", "location", "email", "phone",
    "category", "title", "content", "allow_publish",
  ];
  const SENDING = "portal-draft-sending";
  const loadedOffline = !navigator.onLine;
  const text = banner.querySelector("[data-draft-text]");
  const openLink = banner.querySelector("[data-draft-open]");
  const discard = banner.querySelector("[data-draft-discard]");

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("portal-drafts", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("drafts");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("drafts", mode);
      const request = action(tx.objectStore("drafts"));
      tx.oncomplete = () => { db.close(); resolve(request.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  const getDraft = () => run("readonly", (store) => store.get("report"));
  const putDraft = (draft) => run("readwrite", (store) => store.put(draft, "report"));
  const deleteDraft = () => run("readwrite", (store) => store.delete("report"));

  function message(key, draft) {
    let value = banner.dataset[key];
    if (draft) {
      const locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
      value = value
        .replace("{time}", new Date(draft.savedAt).toLocaleString(locale))
        .replace("{files}", String(draft.files.length));
    }
    return value;
  }

  function show(value, { open = false, canDiscard = false } = {}) {
    text.textContent = value;
    openLink.hidden = !open;
    discard.hidden = !canDiscard;
    banner.hidden = false;
  }

  function collect() {
    const fields = {};
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (field) fields[name] = field.type === "checkbox" ? field.checked : field.value;
    }
    const input = form.elements.attachments;
    const files = input ? Array.from(input.files).map((file) => ({
      name: file.name, type: file.type, blob: file,
    })) : [];
    return { fields, files, savedAt: Date.now() };
  }

  function restore(draft) {
    // What the page already shows (typed, or sent back with an error) wins.
    for (const [name, value] of Object.entries(draft.fields)) {
      const field = form.elements[name];
      if (!field) continue;
      if (field.type === "checkbox") field.checked = field.checked || Boolean(value);
      else if (!field.value) field.value = value;
    }
    const input = form.elements.attachments;
    if (input && draft.files.length && !input.files.length && "DataTransfer" in window) {
      try {
        const transfer = new DataTransfer();
        for (const item of draft.files) {
          transfer.items.add(new File([item.blob], item.name, { type: item.type }));
        }
        input.files = transfer.files;
      } catch (error) {
        // An older browser cannot refill a file input: the text is still there.
      }
    }
  }

  async function save() {
    const draft = collect();
    try {
      await putDraft(draft);
    } catch (error) {
      show(message("tFailed"));
      return null;
    }
    show(message("tSaved", draft), { canDiscard: true });
    return draft;
  }

  async function render() {
    const draft = await getDraft();
    if (!draft) {
      if (form && !navigator.onLine) show(message("tOfflineForm"));
      else banner.hidden = true;
      return;
    }
    const online = navigator.onLine;
    if (form) {
      // A page opened offline came from the cache: sending needs a fresh one.
      if (online && !loadedOffline) show(message("tRestored", draft), { canDiscard: true });
      else if (online) show(message("tWaitingOnline", draft), { open: true, canDiscard: true });
      else show(message("tSaved", draft), { canDiscard: true });
    } else {
      show(message(online ? "tWaitingOnline" : "tWaitingOffline", draft), {
        open: online, canDiscard: true,
      });
    }
  }

  discard.addEventListener("click", async () => {
    await deleteDraft();
    show(message("tDiscarded"));
  });
  window.addEventListener("online", render);
  window.addEventListener("offline", render);

  if (form) {
    const saveButton = form.querySelector("[data-draft-save]");
    if (saveButton) {
      saveButton.hidden = false;
      saveButton.addEventListener("click", save);
    }
    form.addEventListener("submit", async (event) => {
      if (!loadedOffline && navigator.onLine) {
        sessionStorage.setItem(SENDING, "1");
        return;
      }
      event.preventDefault();
      const draft = await save();
      // Online again on a page from the cache: reopen the form from the network.
      if (draft && navigator.onLine) window.location.assign(openLink.href);
    });
    let timer = 0;
    const autosave = () => {
      if (navigator.onLine && !loadedOffline) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 600);
    };
    form.addEventListener("input", autosave);
    form.addEventListener("change", autosave);
  }

  (async () => {
    const sent = document.querySelector("[data-draft-sent]");
    if (sent && sessionStorage.getItem(SENDING)) {
      // The report was filed: the personal data leaves this device's storage.
      await deleteDraft();
    }
    sessionStorage.removeItem(SENDING);
    if (form) {
      const draft = await getDraft();
      if (draft) restore(draft);
    }
    await render();
  })();
})();
