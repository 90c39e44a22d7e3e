// Refreshes the status page every 10 s without a full reload: fetches the page and swaps in its <main>.
// Without JavaScript the page is complete as served; a failed fetch leaves the last view and says so.
(function () {
  "use strict";
  var failing = false;
  function refresh() {
    fetch(window.location.pathname, { headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("status");
        var current = document.getElementById("status");
        if (fresh && current) {
          // Keep open <details> open across refreshes.
          var open = Array.prototype.map.call(current.querySelectorAll("details[open]"), function (d) {
            return d.closest("[data-alert-key]") ? d.closest("[data-alert-key]").getAttribute("data-alert-key") : "";
          });
          current.replaceWith(fresh);
          document.body.setAttribute("data-refreshed", String(Number(document.body.getAttribute("data-refreshed") || "0") + 1));
          open.forEach(function (key) {
            var item = document.querySelector('[data-alert-key="' + CSS.escape(key) + '"] details');
            if (item) { item.open = true; }
          });
        }
        failing = false;
      })
      .catch(function () {
        if (!failing) {
          failing = true;
          var updated = document.querySelector(".updated");
          if (updated) { updated.textContent += " · the agent is not answering; retrying"; }
        }
      });
  }
  setInterval(refresh, 10000);
})();
