// In-app scanning of a key location's printed QR code (R-PAT-1), where the browser has BarcodeDetector
// (Chrome on Android): take a photo, read the code, open its round form. No library; elsewhere the
// phone's own camera app opens the same URL.
const label = document.querySelector("[data-qr-scan]");
const input = document.querySelector("[data-qr-input]");

async function scan(file) {
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const bitmap = await createImageBitmap(file);
  const codes = await detector.detect(bitmap);
  bitmap.close();
  for (const code of codes) {
    const url = new URL(code.rawValue, location.href);
    if (url.origin === location.origin) {
      location.assign(url.pathname + url.search + (url.hash || "#qr"));
      return;
    }
  }
  label.classList.add("chip-attention");
}

if (label && input && "BarcodeDetector" in globalThis) {
  label.hidden = false;
  input.addEventListener("change", () => input.files[0] && scan(input.files[0]).catch(() => label.classList.add("chip-attention")));
}
