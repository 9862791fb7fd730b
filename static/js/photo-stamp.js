// What a 水印相机 puts on a photo, drawn when the phone shrinks it (photo-input.js): a dark band at the
// bottom with the time it was taken (the estate's local time), the place and the person, from the file
// input's data-stamp-place / data-stamp-person / data-stamp-tz. And the capture time (the camera's EXIF
// time, else the file's) written into the JPEG as EXIF DateTimeOriginal + OffsetTimeOriginal, which the
// server keeps (sync/exif.py): the photo carries it through the upload queue unchanged.
const DAY = 864e5;

const sane = (ms) => Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) && ms <= Date.now() + DAY;

// When the photo was taken: the camera's own EXIF DateTimeOriginal where the picture has one, else the
// file's time (a camera capture's is the moment it was taken) — neither ahead of this phone's clock.
export async function captureTime(file, zone) {
  const fromExif = await exifTime(file, zone).catch(() => null);
  if (sane(fromExif)) return fromExif;
  return sane(file.lastModified) ? file.lastModified : Date.now();
}

// "+08:00" → milliseconds east of UTC.
function offsetMs(text) {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(text || "");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 6e4 : null;
}

// DateTimeOriginal (with OffsetTimeOriginal, or else read in the estate's zone) from the Exif block,
// which comes before the image data: the first 128 KB of the file are enough.
async function exifTime(file, zone) {
  if (file.type && file.type !== "image/jpeg") return null;
  const view = new DataView(await file.slice(0, 131072).arrayBuffer());
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  for (let at = 2; at + 10 <= view.byteLength;) {
    const marker = view.getUint16(at), size = view.getUint16(at + 2);
    if (marker === 0xffda || marker >> 8 !== 0xff) return null;
    if (marker === 0xffe1 && view.getUint32(at + 4) === 0x45786966) {
      return tiffTime(new DataView(view.buffer, at + 10, size - 8), zone);  // a RangeError if cut: no time
    }
    at += 2 + size;
  }
  return null;
}

function tiffTime(tiff, zone) {
  const little = tiff.getUint16(0) === 0x4949;
  const u16 = (o) => tiff.getUint16(o, little), u32 = (o) => tiff.getUint32(o, little);
  const entries = (o) => Object.fromEntries(Array.from({ length: u16(o) }, (_, i) => [u16(o + 2 + 12 * i), o + 2 + 12 * i]));
  const ascii = (e) => {
    if (e === undefined || u16(e + 2) !== 2) return "";
    const n = u32(e + 4), from = n <= 4 ? e + 8 : u32(e + 8);
    return Array.from({ length: Math.max(0, n - 1) }, (_, i) => String.fromCharCode(tiff.getUint8(from + i))).join("").trim();
  };
  const exif = entries(u32(4))[0x8769];
  if (exif === undefined) return null;
  const tags = entries(u32(exif + 8));
  const m = /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(ascii(tags[0x9003]));
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return wall - (offsetMs(ascii(tags[0x9011])) ?? offsetMs(localParts(wall, zone).offset));
}

// "2026-12-06 19:30:05" in the zone, and its offset "+08:00".
function localParts(ms, zone) {
  const text = new Intl.DateTimeFormat("sv-SE", { timeZone: zone || undefined, year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(ms);
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone || undefined, timeZoneName: "longOffset" })
    .formatToParts(ms).find((p) => p.type === "timeZoneName")?.value || "GMT";
  return { text, offset: name === "GMT" ? "+00:00" : name.slice(3) };
}

export function stampLines(input, ms) {
  const { text } = localParts(ms, input.dataset.stampTz);
  return [text.slice(0, 16), input.dataset.stampPlace, input.dataset.stampPerson].filter(Boolean);
}

function fitted(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

// The band over the bottom of the picture: time large, then place and person.
export function drawStamp(ctx, w, h, lines) {
  const size = Math.max(14, Math.round(Math.min(w, h * 1.4) / 28));
  const gap = Math.round(size * 0.35);
  const pad = Math.round(size * 0.6);
  const sizes = lines.map((_, i) => (i === 0 ? Math.round(size * 1.25) : size));
  const band = pad * 2 + sizes.reduce((a, b) => a + b + gap, -gap);
  ctx.fillStyle = "rgba(0, 0, 0, 0.6)";
  ctx.fillRect(0, h - band, w, band);
  ctx.fillStyle = "#fff";
  ctx.textBaseline = "top";
  let y = h - band + pad;
  lines.forEach((line, i) => {
    ctx.font = `${i === 0 ? 700 : 500} ${sizes[i]}px system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif`;
    ctx.fillText(fitted(ctx, line, w - pad * 2), pad, y);
    y += sizes[i] + gap;
  });
}

// An APP1 "Exif" segment: IFD0 → Exif IFD with DateTimeOriginal and OffsetTimeOriginal (big-endian TIFF).
function exifSegment(stamp, offset) {
  const ascii = (s) => [...s].map((c) => c.charCodeAt(0)).concat(0);
  const [a, b] = [ascii(stamp), ascii(offset)];
  const exifAt = 26, dataAt = exifAt + 2 + 24 + 4;
  const tiff = new DataView(new ArrayBuffer(dataAt + a.length + b.length));
  let p = 0;
  const u16 = (v) => { tiff.setUint16(p, v); p += 2; };
  const u32 = (v) => { tiff.setUint32(p, v); p += 4; };
  u16(0x4d4d); u16(42); u32(8);
  u16(1); u16(0x8769); u16(4); u32(1); u32(exifAt); u32(0);
  u16(2); u16(0x9003); u16(2); u32(a.length); u32(dataAt); u16(0x9011); u16(2); u32(b.length); u32(dataAt + a.length); u32(0);
  for (const byte of [...a, ...b]) tiff.setUint8(p++, byte);
  const head = new Uint8Array([0xff, 0xe1, 0, 0, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  new DataView(head.buffer).setUint16(2, 2 + 6 + tiff.byteLength);
  return [head, tiff];
}

// The JPEG with the capture time in it, after its JFIF segment (readers expect APP0 first).
export async function withCaptureTime(jpeg, ms, zone) {
  const bytes = new Uint8Array(await jpeg.arrayBuffer());
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return jpeg;
  const at = bytes[2] === 0xff && bytes[3] === 0xe0 ? 4 + ((bytes[4] << 8) | bytes[5]) : 2;
  const { text, offset } = localParts(ms, zone);
  const stamp = text.replace(/-/g, ":");
  return new Blob([bytes.subarray(0, at), ...exifSegment(stamp, offset), bytes.subarray(at)], { type: "image/jpeg" });
}
