// Reads the GPS position a JPEG photo carries in its EXIF block, in the browser,
// before upload: the form may offer it as a suggestion. Nothing is sent anywhere.
(function () {
  "use strict";

  function readGps(view) {
    if (view.getUint16(0) !== 0xffd8) return null;
    let offset = 2;
    while (offset + 4 <= view.byteLength) {
      const marker = view.getUint16(offset);
      const size = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {
        return readTiff(view, offset + 10);
      }
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;
      offset += 2 + size;
    }
    return null;
  }

  function readTiff(view, tiff) {
    const little = view.getUint16(tiff) === 0x4949;
    const u16 = (o) => view.getUint16(tiff + o, little);
    const u32 = (o) => view.getUint32(tiff + o, little);
    if (u16(2) !== 42) return null;
    const entries = (ifd) => {
      const found = {};
      const count = u16(ifd);
      for (let i = 0; i < count; i++) {
        const e = ifd + 2 + i * 12;
        found[u16(e)] = { type: u16(e + 2), count: u32(e + 4), at: e + 8 };
      }
      return found;
    };
    const ifd0 = entries(u32(4));
    if (!ifd0[0x8825]) return null;
    const gps = entries(u32(ifd0[0x8825].at));
    const ref = (tag) => (gps[tag] ? String.fromCharCode(view.getUint8(tiff + gps[tag].at)) : "");
    const degrees = (tag) => {
      const entry = gps[tag];
      if (!entry || entry.type !== 5 || entry.count !== 3) return NaN;
      const at = u32(entry.at);
      let value = 0;
      for (let i = 0; i < 3; i++) {
        const den = u32(at + i * 8 + 4);
        if (!den) return NaN;
        value += u32(at + i * 8) / den / Math.pow(60, i);
      }
      return value;
    };
    let lat = degrees(2);
    let long = degrees(4);
    if (!Number.isFinite(lat) || !Number.isFinite(long)) return null;
    if (ref(1) === "S") lat = -lat;
    if (ref(3) === "W") long = -long;
    if (lat === 0 && long === 0) return null;
    return { lat, long };
  }

  window.PortalExif = {
    async gps(file) {
      if (!/^image\/jpe?g$/i.test(file.type) && !/\.jpe?g$/i.test(file.name)) return null;
      try {
        const buffer = await file.slice(0, 256 * 1024).arrayBuffer();
        return readGps(new DataView(buffer));
      } catch (error) {
        return null;  // truncated or not really a JPEG: no suggestion
      }
    },
  };
})();
