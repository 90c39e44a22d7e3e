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

  // Actions (silence, expire, run now, acknowledge): the agent's own API, with the API token the person entered. The
  // token lives in this tab's sessionStorage only: never in the page, a cookie or a URL, and gone when the tab closes.
  var TOKEN = "ha-diag-api-token";
  var bar = document.getElementById("actions");
  var result = document.getElementById("action-result");
  function token() {
    try { return window.sessionStorage.getItem(TOKEN) || ""; } catch (e) { return ""; }
  }
  function say(text) { if (result) { result.textContent = text; } }
  function showTokenState() {
    say(token() ? "Token set for this tab." : "No token: actions work only where the agent needs none (this host, no HA_DIAG_API_TOKEN).");
  }
  if (bar) {
    bar.hidden = false;
    document.body.classList.add("actions-on");
    document.getElementById("token-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("api-token");
      try { window.sessionStorage.setItem(TOKEN, input.value.trim()); } catch (e) { /* storage off: the token is not kept */ }
      input.value = "";
      showTokenState();
    });
    document.getElementById("token-forget").addEventListener("click", function () {
      try { window.sessionStorage.removeItem(TOKEN); } catch (e) { /* nothing kept */ }
      showTokenState();
    });
    showTokenState();
  }
  function call(method, path, body, done) {
    var headers = { "Accept": "application/json" };
    if (token()) { headers["Authorization"] = "Bearer " + token(); }
    if (body) { headers["Content-Type"] = "application/json"; }
    say("…");
    fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, cache: "no-store" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (!response.ok) {
            throw new Error(response.status === 401 ? "the agent wants the API token (enter it above)" : (json.error || "HTTP " + response.status));
          }
          return json;
        });
      })
      .then(function (json) { say(done(json)); refresh(); })
      .catch(function (error) { say("Failed: " + error.message); });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (!button) { return; }
    var action = button.getAttribute("data-action");
    if (action === "acknowledge") {
      var id = button.getAttribute("data-correlation-id");
      call("POST", "/alerts/" + encodeURIComponent(id) + "/acknowledge", null, function () { return "Acknowledged: no repeats until it resolves."; });
    } else if (action === "silence") {
      var duration = document.getElementById("silence-for").value;
      call("POST", "/silences", { matchers: [{ field: button.getAttribute("data-field"), glob: button.getAttribute("data-glob") }],
        duration: duration, comment: "from the status page", created_by: "status page" },
        function (json) { return "Silence " + json.id + " until " + json.ends_at + "."; });
    } else if (action === "expire") {
      call("DELETE", "/silences/" + encodeURIComponent(button.getAttribute("data-silence-id")), null,
        function (json) { return "Silence " + json.id + " expired."; });
    } else if (action === "run") {
      call("POST", "/trigger/" + encodeURIComponent(button.getAttribute("data-check")), null,
        function (json) { return json.name + ": " + json.status + " (" + json.findings.length + " findings)"; });
    }
  });
})();
