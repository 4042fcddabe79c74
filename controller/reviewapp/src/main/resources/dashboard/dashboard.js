// Keeps the page current without a full reload: every two seconds it asks the server for the
// part of the page that changes (#live's data-live URL, server-rendered and escaped there) and
// puts it in place. The filter form changes that URL and the address bar. No build step.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) {
    return;
  }
  var freshness = document.getElementById("freshness");
  var form = document.getElementById("filter");
  var shown = null;

  function refresh() {
    var url = live.getAttribute("data-live");
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== shown) {
          live.innerHTML = html;
          shown = html;
        }
        document.body.setAttribute("data-refreshed", String(Date.now()));
        if (freshness) {
          freshness.textContent = "live, updated " + new Date().toLocaleTimeString();
        }
      })
      .catch(function (error) {
        if (freshness) {
          freshness.textContent = "not updating: " + error.message;
        }
      });
  }

  if (form) {
    var changed = function () {
      var query = new URLSearchParams(new FormData(form)).toString();
      live.setAttribute("data-live", "/fragment/apps?" + query);
      history.replaceState(null, "", "/?" + query);
      refresh();
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      changed();
    });
  }
  setInterval(refresh, 2000);
})();
