// make-report preview: refresh the page in place when the server has a new version.
// The server sends the version of this page's selection over Server-Sent Events; on a
// new one the page is fetched and its styles and body swapped in, scroll position kept.
// No inline script (the page's Content-Security-Policy allows only this file).
(function () {
  "use strict";
  var META = 'meta[name="reporting-preview-version"]';
  var fetching = false;
  var again = false;

  function version() {
    var meta = document.querySelector(META);
    return meta ? meta.getAttribute("content") : "";
  }

  function status(text) {
    var element = document.querySelector("#reporting-preview .status");
    if (element) element.textContent = text;
  }

  function swap(text) {
    var next = new DOMParser().parseFromString(text, "text/html");
    var x = window.scrollX, y = window.scrollY;
    document.querySelectorAll("head style").forEach(function (node) { node.remove(); });
    next.querySelectorAll("head style").forEach(function (node) {
      document.head.appendChild(document.adoptNode(node));
    });
    var meta = next.querySelector(META);
    if (meta) document.querySelector(META).setAttribute("content", meta.getAttribute("content"));
    document.title = next.title;
    document.documentElement.lang = next.documentElement.lang;
    document.body.replaceWith(document.adoptNode(next.body));
    window.scrollTo(x, y);
    status("live");
  }

  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(swap)
      .catch(function () { status("could not fetch the new page"); })
      .then(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
  }

  function connect() {
    var source = new EventSource("/_preview/events" + window.location.search);
    source.addEventListener("open", function () { status("live"); });
    source.addEventListener("version", function (event) {
      if (event.data !== version()) refresh();
    });
    source.addEventListener("error", function () { status("disconnected, retrying"); });
  }

  // The toolbar is a plain form; here a choice shows at once.
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("#reporting-preview form");
    if (form) form.submit();
  });

  status("live");
  connect();
})();
