// The public map: grid clusters from the server at low zoom, single reports when
// close. Only with a configured tile server; the list below works without it.
(function () {
  "use strict";
  const block = document.querySelector("[data-public-map]");
  if (!block || !block.dataset.tileUrl || !window.L) return;
  const boxes = JSON.parse(block.dataset.bounds || "[]");
  if (!boxes.length) return;
  block.hidden = false;
  const b = boxes[0];
  const map = L.map("public-map").fitBounds([[b[0], b[1]], [b[2], b[3]]]);
  L.tileLayer(block.dataset.tileUrl, {
    attribution: block.dataset.attribution, maxZoom: 19,
  }).addTo(map);
  const layer = L.layerGroup().addTo(map);
  const filters = document.querySelector("[data-map-filters]");
  let serial = 0;

  function link(item) {
    const wrap = document.createElement("div");
    const title = document.createElement("a");
    title.href = item.url;
    title.textContent = item.title;
    const status = document.createElement("div");
    status.textContent = item.status_label;
    wrap.append(title, status);
    return wrap;
  }

  async function load() {
    const bounds = map.getBounds();
    const params = new URLSearchParams(new FormData(filters));
    params.set("south", bounds.getSouth().toFixed(5));
    params.set("west", bounds.getWest().toFixed(5));
    params.set("north", bounds.getNorth().toFixed(5));
    params.set("east", bounds.getEast().toFixed(5));
    params.set("zoom", map.getZoom());
    const mine = ++serial;
    let data;
    try {
      const response = await fetch(block.dataset.url + "?" + params);
      if (!response.ok) return;
      data = await response.json();
    } catch (error) {
      return;
    }
    if (mine !== serial) return;  // a newer view is loading
    layer.clearLayers();
    for (const cell of data.clusters) {
      const size = 28 + Math.min(24, Math.round(Math.log10(cell.count) * 10));
      const label = block.dataset.cluster.replace("{n}", cell.count);
      const icon = L.divIcon({
        className: "map-cluster", html: String(cell.count), iconSize: [size, size],
      });
      L.marker([cell.lat, cell.long], { icon, title: label, alt: label, keyboard: true })
        .on("click", () => map.setView([cell.lat, cell.long], map.getZoom() + 2))
        .addTo(layer);
    }
    for (const item of data.points) {
      L.marker([item.lat, item.long], { title: item.title, alt: item.title })
        .bindPopup(link(item))
        .addTo(layer);
    }
  }
  map.on("moveend", load);
  load();
})();
