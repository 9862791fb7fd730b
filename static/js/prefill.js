// <select data-prefill="<query name>">: the page's query pre-fills it, as the server does — needed when the
// worker answers a pre-filled URL offline from its cached base page (X-Patrolbook-Prefill, sw.js). A choice
// inside <optgroup data-value> also sets the field whose id is data-prefill-sets (a key location, its area).
const query = new URLSearchParams(location.search);

for (const field of document.querySelectorAll("select[data-prefill]")) {
  const value = query.get(field.dataset.prefill);
  const option = value && [...field.options].find((o) => o.value === value);
  if (!option) continue;  // absent, or not one of the choices: the form stays as it is
  field.value = value;
  const other = field.dataset.prefillSets && document.getElementById(field.dataset.prefillSets);
  const group = option.parentElement.dataset.value;
  if (other && group && !query.has(other.dataset.prefill)) other.value = group;
}
