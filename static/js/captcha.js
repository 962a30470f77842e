// Refresh a captcha without reloading the form (the rest of what was typed stays).
document.addEventListener("click", async (event) => {
  const button = event.target.closest(".captcha-refresh");
  if (!button) return;
  const row = button.closest(".captcha-row");
  const field = row.parentElement;
  const response = await fetch(row.dataset.refreshUrl, {
    headers: { "X-Requested-With": "XMLHttpRequest" },
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const data = await response.json();
  row.querySelector(".captcha-image").src = data.image_url;
  const audio = row.querySelector(".captcha-audio");
  if (audio && data.audio_url) audio.href = data.audio_url;
  field.querySelector("input[type=hidden][name$='_0']").value = data.key;
  const answer = field.querySelector("input.captcha-answer");
  answer.value = "";
  answer.focus();
  row.querySelector(".captcha-status").textContent = row.dataset.refreshedText || "";
});
