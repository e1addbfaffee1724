// The award list's "select all" box: ticks every row checkbox of the same name (CSP: no inline scripts).
document.addEventListener("change", (event) => {
  const box = event.target.closest("input[data-check-all]");
  if (!box) return;
  const scope = box.closest("form") || document;
  scope.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`).forEach((el) => {
    el.checked = box.checked;
  });
});
