// Copy the tracking code and print the success page (no inline script: CSP).
document.addEventListener("click", async (event) => {
  const copy = event.target.closest("[data-copy-target]");
  if (copy) {
    const text = document.getElementById(copy.dataset.copyTarget).textContent.trim();
    const status = document.getElementById("copy-status");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = copy.dataset.copiedText;
    } catch (error) {
      // Clipboard API refused (older browser, no secure context): select the text.
      const range = document.createRange();
      range.selectNodeContents(document.getElementById(copy.dataset.copyTarget));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = copy.dataset.failedText;
    }
    return;
  }
  if (event.target.closest("[data-print]")) window.print();
});
