// <input type="file" data-photo-field="photo_ids">: each photo is shrunk on the phone (≤ 1600 px, JPEG),
// stamped with time, place and person where the page says them, its capture time written in (photo-stamp.js),
// hashed (SHA-256), stored as a Blob in IndexedDB, and its id added to a hidden JSON field of that name.
// The input itself is hidden behind a big 拍照 button, with the count and removable thumbnails.
import { currentUser, t } from "./config.js";
import { captureTime, drawStamp, stampLines, withCaptureTime } from "./photo-stamp.js";
import { uuid } from "./uuid.js";
import { deleteMedia, putMedia } from "./device-store.js";
import { toast } from "./toast.js";

const MAX_SIDE = 1600;
const QUALITY = 0.8;

async function shrink(file, input) {
  if (typeof createImageBitmap !== "function") return file;
  const taken = await captureTime(file, input.dataset.stampTz);
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const [w, h] = [Math.round(bitmap.width * scale), Math.round(bitmap.height * scale)];
  const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(w, h)
    : Object.assign(document.createElement("canvas"), { width: w, height: h });
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  if (input.dataset.stampPlace || input.dataset.stampPerson) drawStamp(ctx, w, h, stampLines(input, taken));
  const jpeg = await (canvas.convertToBlob ? canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY })
    : new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("encode"))), "image/jpeg", QUALITY)));
  return withCaptureTime(jpeg, taken, input.dataset.stampTz);
}

async function sha256(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The hidden field holding the ids (made if the template did not render one); its rendered value
// is kept in data-original so updates can tell what changed.
function idsField(input) {
  const name = input.dataset.photoField;
  let field = [...input.form.elements].find((e) => e.type === "hidden" && e.name === name);
  if (!field) {
    field = Object.assign(document.createElement("input"), { type: "hidden", name });
    field.setAttribute("value", "[]");
    input.after(field);
  }
  field.dataset.type = "json";
  if (!("original" in field.dataset)) field.dataset.original = field.value || "[]";
  return field;
}

function thumbs(input) {
  let box = input.parentElement.querySelector("[data-photo-thumbs]");
  if (!box) {
    box = Object.assign(document.createElement("div"), { className: "thumbs" });
    box.dataset.photoThumbs = input.dataset.photoField;
    if (input.parentElement.classList.contains("photo-input")) input.parentElement.append(box);
    else input.after(box);
  }
  return box;
}

function setIds(field, fn) {
  field.value = JSON.stringify(fn(JSON.parse(field.value || "[]")));
  const count = field.form?.querySelector(`[data-photo-count="${CSS.escape(field.name)}"]`);
  const n = JSON.parse(field.value).length;
  if (count) Object.assign(count, { hidden: !n, textContent: t("photoCount", { n }) });
}

// The big button (a label for the hidden input, so a tap opens the camera) and the count next to it.
function enhance(input) {
  if (input.dataset.photoReady) return;
  input.dataset.photoReady = "1";
  if (!input.id) input.id = `photo-${input.dataset.photoField}`;
  const box = Object.assign(document.createElement("div"), { className: "photo-input" });
  const button = Object.assign(document.createElement("label"), { className: "btn btn-secondary btn-photo",
    htmlFor: input.id, textContent: t("takePhoto") });
  const count = Object.assign(document.createElement("span"), { className: "photo-count", hidden: true });
  count.dataset.photoCount = input.dataset.photoField;
  count.setAttribute("aria-live", "polite");
  input.before(box);
  input.classList.add("sr-only");
  box.append(button, input, count);
  setIds(idsField(input), (ids) => ids);
}

// The server takes at most 6 photos a field (webapp/kernel/fields.py MAX_PHOTOS): a 7th is refused here,
// on the phone, not by the sync hours later.
const maxPhotos = (input) => Number(input.dataset.photoMax) || 6;

async function addPhotos(input) {
  const field = idsField(input);
  for (const file of input.files) {
    if (JSON.parse(field.value || "[]").length >= maxPhotos(input)) {
      toast(t("photoMax", { n: maxPhotos(input) }), { error: true });
      break;
    }
    try {
      const blob = await shrink(file, input);
      const id = uuid();
      await putMedia({ id, blob, type: blob.type || "image/jpeg", size: blob.size, sha256: await sha256(blob),
        user_id: currentUser(), created_at: new Date().toISOString(), mutation_id: null, status: "pending" });
      setIds(field, (ids) => [...ids, id]);
      const url = URL.createObjectURL(blob);
      const button = Object.assign(document.createElement("button"), { type: "button", className: "thumb" });
      button.setAttribute("aria-label", t("removePhoto"));
      button.append(Object.assign(document.createElement("img"), { src: url, alt: "" }));
      button.addEventListener("click", () => {
        setIds(field, (ids) => ids.filter((x) => x !== id));
        URL.revokeObjectURL(url);
        button.remove();
        deleteMedia(id).catch(() => null);
      });
      thumbs(input).append(button);
    } catch (error) {
      toast(error.name === "QuotaExceededError" ? t("quota") : t("photoFailed", { error: error.message || error.name }),
        { error: true });
    }
  }
  input.value = "";  // the photos are on the phone now, not in the input
}

export const photoIds = (form) => [...form.querySelectorAll("input[data-photo-field]")]
  .flatMap((input) => JSON.parse(idsField(input).value || "[]"));

export function resetPhotos(form) {
  for (const input of form.querySelectorAll("input[data-photo-field]")) {
    const field = idsField(input);
    field.value = field.dataset.original;
    thumbs(input).replaceChildren();
    setIds(field, (ids) => ids);
  }
}

document.querySelectorAll("input[type=file][data-photo-field]").forEach(enhance);
document.addEventListener("change", (event) => {
  if (event.target.matches?.("input[type=file][data-photo-field]")) addPhotos(event.target);
});
