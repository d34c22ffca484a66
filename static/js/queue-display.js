// The hall display keeps itself current: it polls the display's JSON and
// redraws the "now calling" line, the latest calls and the waiting counts.
// Plain DOM, no framework; without JavaScript a <noscript> refresh reloads
// the page. The ticket page's print button lives here too (hidden without
// JavaScript, since it could do nothing).
(function () {
  "use strict";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function replaceChildren(parent, children) {
    while (parent.firstChild) { parent.removeChild(parent.firstChild); }
    children.forEach(function (child) { parent.appendChild(child); });
  }

  function startDisplay(root) {
    var endpoint = root.getAttribute("data-queue-endpoint");
    var interval = parseInt(root.getAttribute("data-queue-interval"), 10) || 3000;
    var text = {
      to: root.getAttribute("data-text-to"),
      none: root.getAttribute("data-text-none"),
      people: root.getAttribute("data-text-people"),
      offline: root.getAttribute("data-text-offline")
    };
    var now = document.getElementById("queue-now");
    var calls = document.getElementById("queue-calls");
    var waiting = document.getElementById("queue-waiting");
    var status = document.getElementById("queue-status");
    var lastNow = now.getAttribute("data-key");
    var lastBody = null;

    function drawNow(latest, key) {
      var children = latest
        ? [element("span", "now-number", latest.number), document.createTextNode(" "),
           element("span", "now-to", text.to), document.createTextNode(" "),
           element("span", "now-window", latest.window)]
        : [element("span", "now-none", text.none)];
      // Only touch the live region when the call changes (a recall counts),
      // so screen readers are not told the same number every few seconds.
      if (key !== lastNow) {
        lastNow = key;
        replaceChildren(now, children);
      }
    }

    function drawCalls(list) {
      var rows = list.map(function (call) {
        var row = element("tr");
        row.appendChild(element("td", "call-number", call.number));
        row.appendChild(element("td", "call-window", call.window));
        row.appendChild(element("td", "call-time", call.time));
        return row;
      });
      if (!rows.length) {
        var empty = element("tr");
        var cell = element("td", "", text.none);
        cell.colSpan = 3;
        empty.appendChild(cell);
        rows = [empty];
      }
      replaceChildren(calls, rows);
    }

    function drawWaiting(list) {
      replaceChildren(waiting, list.map(function (service) {
        var item = element("li");
        var name = element("span", "waiting-name");
        name.appendChild(element("span", "service-prefix", service.prefix));
        name.appendChild(document.createTextNode(" " + service.name));
        var count = element("span", "waiting-count", service.count + " ");
        count.appendChild(element("small", "", text.people));
        item.appendChild(name);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(count);
        return item;
      }));
    }

    function poll() {
      fetch(endpoint, { cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (body) {
          status.textContent = "";
          if (body === lastBody) { return; }
          lastBody = body;
          var data = JSON.parse(body);
          drawNow(data.calls[0], data.now_key);
          drawCalls(data.calls);
          drawWaiting(data.waiting);
        })
        .catch(function () { status.textContent = text.offline; })
        .then(function () { window.setTimeout(poll, interval); });
    }

    window.setTimeout(poll, interval);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-queue-endpoint]");
    if (root && window.fetch) { startDisplay(root); }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
