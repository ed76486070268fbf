// Live refresh for the console's queue and ticket pages (no framework, no inline script: the CSP is
// script-src 'self'). Every few seconds it asks the page's stamp URL for a small JSON change stamp;
// when the stamp moved it fetches the page's fragment and swaps in each [data-part] by its id. A part
// holding the focus (a select being chosen, a field being typed in) is left alone until the next round.
// Without script the pages work exactly the same; a reload shows the same thing.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch || !window.DOMParser) { return; }
  var stampURL = root.getAttribute("data-stamp-url");
  var liveURL = root.getAttribute("data-live-url");
  var stamp = root.getAttribute("data-stamp");
  var every = 4000;
  var busy = false;
  var stopped = false;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var parts = fresh.querySelectorAll("[data-part]");
    var complete = true;
    for (var i = 0; i < parts.length; i++) {
      var here = document.getElementById(parts[i].id);
      if (!here) { continue; }
      if (here.contains(document.activeElement) && document.activeElement !== document.body) { complete = false; continue; }
      here.replaceWith(document.importNode(parts[i], true));
    }
    // The fragment's own stamp, not the one asked before it: a change in between is not lost.
    if (complete && parts.length > 0) { stamp = parts[0].getAttribute("data-stamp") || stamp; }
    document.documentElement.setAttribute("data-live-stamp", stamp);
  }

  function round() {
    if (busy || stopped || document.hidden) { return; }
    busy = true;
    fetch(stampURL, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (answer) {
        if (answer.status === 401 || answer.status === 403) { stopped = true; }
        if (!answer.ok) { throw new Error("stamp " + answer.status); }
        return answer.json();
      })
      .then(function (body) {
        if (!body || body.stamp === stamp) { return null; }
        return fetch(liveURL, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
          if (!answer.ok) { throw new Error("fragment " + answer.status); }
          return answer.text();
        }).then(swap);
      })
      .catch(function () { /* the next round tries again; the page itself is still usable */ })
      .then(function () { busy = false; });
  }

  document.documentElement.setAttribute("data-live-stamp", stamp);
  window.setInterval(round, every);
})();
