// Disable a submit button marked data-once after its form is sent, so a
// double click sends one request. The server is idempotent regardless.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.hasAttribute("data-once")) {
    setTimeout(function () { button.disabled = true; }, 0);
  }
});
// Move focus to the error summary so keyboard and screen-reader users hear it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
