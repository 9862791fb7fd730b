// A transient message near the bottom of the screen; survives one navigation when asked to.
let current = null;
export function toast(message, { error = false } = {}) {
  current?.remove();
  const el = document.createElement("div");
  el.className = error ? "toast toast-error" : "toast";
  el.setAttribute("role", error ? "alert" : "status");
  el.addEventListener("click", () => el.remove());
  document.body.append(el);
  requestAnimationFrame(() => { el.textContent = message; });  // filled after insertion, so it is announced
  current = el;
  setTimeout(() => el.remove(), error ? 10000 : 4000);
}

export const toastAfterNavigation = (message) => sessionStorage.setItem("pb-toast", message);

export function showPendingToast() {
  const message = sessionStorage.getItem("pb-toast");
  sessionStorage.removeItem("pb-toast");
  if (message) toast(message);
}
