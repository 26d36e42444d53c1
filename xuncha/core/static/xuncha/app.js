// 巡察工作平台: small helpers, served by the application itself.
// Ask before a destructive step: any form or submit button with data-confirm="…".
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
