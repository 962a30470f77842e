// The report form's place block: commune search, map pin, GPS, photo GPS and
// nearby reports. Everything here is an enhancement: without it the commune
// select and the coordinate fields work as plain form fields.
(function () {
  "use strict";
  const block = document.querySelector("[data-place]");
  if (!block) return;
  const form = block.closest("form");
  const lat = form.querySelector("[name=latitude]");
  const long = form.querySelector("[name=longitude]");
  const commune = form.querySelector("[name=commune]");
  const category = form.querySelector("[name=category]");
  const words = block.querySelector("[data-place-words]");
  const clear = block.querySelector("[data-place-clear]");
  const boxes = JSON.parse(block.dataset.bounds || "[]");
  let map = null;
  let marker = null;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase()
      .replace(/[-‐‑‒–—_,;:()[\]./]+/g, " ").replace(/\s+/g, " ").trim();
  }

  function inProvince(y, x) {
    return boxes.some((b) => b[0] <= y && y <= b[2] && b[1] <= x && x <= b[3]);
  }

  function fmt(value) {
    return Number(value).toFixed(5).replace(".", ",");
  }

  // --- Commune: filter the options as the citizen types (old names too). ---
  if (commune) {
    const wrap = document.createElement("div");
    wrap.className = "mb-2";
    const id = "commune-filter";
    const label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = id;
    label.textContent = block.dataset.filterLabel;
    const input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", commune.id);
    wrap.append(label, input);
    commune.closest(".mb-3").before(wrap);
    const options = Array.from(commune.querySelectorAll("option[data-search]"));
    input.addEventListener("input", () => {
      const words = fold(input.value).split(" ").filter(Boolean);
      const matches = [];
      for (const option of options) {
        const hay = option.dataset.search;
        const ok = words.every((w) => hay.includes(w));
        option.hidden = !ok;
        option.disabled = !ok && option.value !== commune.value;
        if (ok) matches.push(option);
      }
      for (const group of commune.querySelectorAll("optgroup")) {
        group.hidden = !group.querySelector("option:not([hidden])");
      }
      if (words.length && matches.length === 1) commune.value = matches[0].value;
    });
  }

  // --- Coordinates: one place where a point is set, from map, GPS or photo. ---
  function show() {
    const y = parseFloat((lat.value || "").replace(",", "."));
    const x = parseFloat((long.value || "").replace(",", "."));
    if (Number.isFinite(y) && Number.isFinite(x)) {
      words.textContent = words.dataset.template
        .replace("{lat}", fmt(y)).replace("{long}", fmt(x));
      clear.hidden = false;
      if (map) placeMarker(y, x);
      nearby(y, x);
      return true;
    }
    clear.hidden = true;
    return false;
  }

  function setPoint(y, x) {
    if (!inProvince(y, x)) {
      words.textContent = words.dataset.outside;
      return;
    }
    lat.value = y.toFixed(6);
    long.value = x.toFixed(6);
    show();
  }

  clear.addEventListener("click", () => {
    lat.value = "";
    long.value = "";
    words.textContent = "";
    clear.hidden = true;
    if (marker) { marker.remove(); marker = null; }
    checked.value = "";
    hideNearby();
  });
  lat.addEventListener("change", show);
  long.addEventListener("change", show);

  // --- The map, only when a tile server is configured. ---
  function placeMarker(y, x) {
    if (!marker) {
      marker = L.marker([y, x], { draggable: true, keyboard: true,
        title: block.querySelector("#place-map").getAttribute("aria-label") }).addTo(map);
      marker.on("dragend", () => {
        const p = marker.getLatLng();
        setPoint(p.lat, p.lng);
      });
    } else {
      marker.setLatLng([y, x]);
    }
  }

  const tiles = block.dataset.tileUrl;
  if (tiles && window.L && boxes.length) {
    block.querySelector("[data-place-map-block]").hidden = false;
    const b = boxes[0];
    map = L.map("place-map", { maxBounds: [[b[0] - 1, b[1] - 1], [b[2] + 1, b[3] + 1]] })
      .fitBounds([[b[0], b[1]], [b[2], b[3]]]);
    L.tileLayer(tiles, { attribution: block.dataset.attribution, maxZoom: 19 }).addTo(map);
    map.on("click", (event) => setPoint(event.latlng.lat, event.latlng.lng));
    // Keyboard: move the map with the arrows, Enter drops the pin at its centre.
    map.getContainer().addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target === map.getContainer()) {
        event.preventDefault();
        const c = map.getCenter();
        setPoint(c.lat, c.lng);
      }
    });
  }

  // --- GPS: asked only when the citizen presses the button. ---
  block.querySelector("[data-place-js]").hidden = false;
  const gps = block.querySelector("[data-place-gps]");
  if (!("geolocation" in navigator)) gps.hidden = true;
  gps.addEventListener("click", () => {
    words.textContent = words.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setPoint(pos.coords.latitude, pos.coords.longitude);
        if (map && marker) map.setView(marker.getLatLng(), 17);
      },
      () => { words.textContent = words.dataset.denied; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  // --- A photo's own GPS, offered as a suggestion when no point is set. ---
  const photoBox = block.querySelector("[data-place-photo]");
  const photoText = block.querySelector("[data-place-photo-text]");
  let suggestion = null;
  const files = form.querySelector("input[type=file][name=attachments]");
  if (files && window.PortalExif) {
    files.addEventListener("change", async () => {
      if (lat.value || long.value) return;
      for (const file of files.files) {
        const point = await window.PortalExif.gps(file);
        if (point && inProvince(point.lat, point.long)) {
          suggestion = point;
          photoText.textContent = photoText.dataset.template
            .replace("{name}", file.name)
            .replace("{lat}", fmt(point.lat)).replace("{long}", fmt(point.long));
          photoBox.hidden = false;
          return;
        }
      }
    });
    block.querySelector("[data-place-photo-use]").addEventListener("click", () => {
      if (suggestion) setPoint(suggestion.lat, suggestion.long);
      if (map && marker) map.setView(marker.getLatLng(), 17);
      photoBox.hidden = true;
    });
    block.querySelector("[data-place-photo-dismiss]").addEventListener("click", () => {
      photoBox.hidden = true;
    });
  }

  // --- Nearby public reports in the same category. ---
  const near = block.querySelector("[data-place-nearby]");
  // The point checked here, sent with the form: the server then shows no
  // nearby step of its own for it (the step is for browsers without script).
  const checked = document.createElement("input");
  checked.type = "hidden";
  checked.name = "nearby_checked";
  form.append(checked);
  function hideNearby() { near.hidden = true; near.replaceChildren(); }
  async function nearby(y, x) {
    const params = new URLSearchParams({ lat: y, long: x });
    if (category && category.value) params.set("category", category.value);
    const point = [lat.value, long.value, category ? category.value : ""].join("|");
    checked.value = "";
    let data;
    try {
      const response = await fetch(block.dataset.nearbyUrl + "?" + params);
      if (!response.ok) return hideNearby();
      data = await response.json();
    } catch (error) {
      return hideNearby();
    }
    // Only when the answer is for the point still in the form.
    if (point === [lat.value, long.value, category ? category.value : ""].join("|")) {
      checked.value = point;
    }
    if (!data.reports.length) return hideNearby();
    const heading = document.createElement("h3");
    heading.className = "h6";
    heading.textContent = near.dataset.heading;
    const intro = document.createElement("p");
    intro.className = "small mb-1";
    intro.textContent = near.dataset.intro;
    const list = document.createElement("ul");
    list.className = "list-unstyled mb-0";
    for (const item of data.reports) {
      const li = document.createElement("li");
      li.className = "border-top py-1";
      const title = document.createElement("span");
      title.textContent = item.title + " (" + item.status_label + ", "
        + near.dataset.metres.replace("{m}", item.distance_m) + ") ";
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = near.dataset.follow;
      li.append(title, link);
      list.append(li);
    }
    near.replaceChildren(heading, intro, list);
    near.hidden = false;
  }
  if (category) category.addEventListener("change", show);

  show();
})();
