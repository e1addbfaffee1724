// The clause form: a 依申请 clause is decided on the evidence an enterprise uploads, so its SQL fields, the
// live count and the column list are hidden, and the evidence list shows; a 免申即享 clause the other way round.
(function () {
  function show(el, visible) {
    el.style.display = visible ? "" : "none";
  }

  function sync(select) {
    const application = select.value === "依申请";
    const form = select.form;
    form.querySelectorAll("[data-automatic]").forEach((el) => show(el.closest(".field") || el, !application));
    form.querySelectorAll("[data-application]").forEach((el) => show(el.closest(".field") || el, application));
    document.querySelectorAll("[data-automatic-block]").forEach((el) => show(el, !application));
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("select[data-clause-mode]")) sync(event.target);
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("select[data-clause-mode]").forEach(sync);
  });
})();
