// The QR code of a slip carries its code after "#": the part after # never reaches the server
// (no access log holds it); put it into the code box and open the questionnaire.
(function () {
  var code = decodeURIComponent((window.location.hash || "").slice(1));
  var box = document.getElementById("id_code");
  if (!code || !box || box.value) return;
  box.value = code;
  history.replaceState(null, "", window.location.pathname);
  var form = box.form;
  if (form && !document.querySelector(".error")) form.submit();
})();
