// Progressive enhancement only: every page works without this file.
// Move focus to the error summary so keyboard and screen-reader users land on it
// (GOV.UK pattern); the summary's links then lead to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
