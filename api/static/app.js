// samverkan's pages work without JavaScript; this only helps: a form that comes back with
// errors gets the keyboard focus on its error summary, so the user hears and sees what to fix.
// On "load", not earlier: Chromium's scroll to the form's #fragment would take the focus away.
window.addEventListener("load", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});
