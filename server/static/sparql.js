// Query page: choosing an example question puts its text in the editor (the Load button does
// the same without JavaScript); Ctrl+Enter runs the query.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("example");
  const editor = document.getElementById("query");
  const load = document.getElementById("load-example");
  if (!select || !editor) return;
  if (load) load.hidden = true;
  select.addEventListener("change", () => {
    for (const template of document.querySelectorAll("template.example-text")) {
      if (template.dataset.name === select.value) {
        editor.value = template.content.textContent;
      }
    }
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      editor.form.requestSubmit();
    }
  });
});
