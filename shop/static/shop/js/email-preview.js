// The customer's e-mail history: shows the stored HTML of an e-mail in Oscar's preview frame
// (templates/oscar/communication/email/email_detail.html), in a sandbox: no scripts, its own origin.
(function () {
  "use strict";
  var frame = document.getElementById("preview_box");
  if (!frame) {
    return;
  }
  frame.setAttribute("sandbox", "");
  frame.srcdoc = frame.textContent;
})();
