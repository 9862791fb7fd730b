// One outbox entry: a serialisable domain operation with a device-made idempotency key.
import { uuid } from "./uuid.js";

// 2026-11-23T10:42:05.120+08:00: the device's clock and its offset, as the officer saw it.
export function isoWithOffset(d = new Date()) {
  const p = (n, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const off = -d.getTimezoneOffset();
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:`
    + `${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}${off < 0 ? "-" : "+"}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

// yyyy-mm-dd: the estate's day now (its time zone, e.g. Asia/Shanghai), whatever the phone's zone.
export function estateDay(timeZone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone || undefined,
    year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

// overlay_keys and summary are for this phone's pages only (static/js/overlays.js); they never leave it.
// A create takes a new id, unless its form names one (data-record-id): a record whose id follows from what it
// is — the day's work record, one per officer and day — so that two submissions are one record, not two —
// or one its page chose earlier (a round's, chosen when its draft starts, which a visit from it names: R-VIS-3).
export function makeMutation({ device_id, user_id, entity, op, record_id, base_version = null, fields = {},
  label = "", overlay_keys = [], summary = null, photo_ids = [], priority = null }) {
  if (op !== "create" && !record_id) throw new Error(`${op} needs data-record-id`);
  const now = isoWithOffset();
  return {
    mutation_id: uuid(), device_id, entity, op, fields, label, overlay_keys, summary, photo_ids, priority,
    record_id: op === "create" ? (record_id || uuid()) : record_id,
    base_version: base_version === null || base_version === "" ? null : Number(base_version),
    observed_at: now, created_at: new Date().toISOString(), user_id: String(user_id),
    status: "pending", attempts: 0, last_error: null, errors: null,
  };
}
