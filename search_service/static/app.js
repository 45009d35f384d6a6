// Progressive enhancement only: every page works without this file.
// 1. As-you-type suggestions on the site search box (WAI-ARIA combobox with a listbox popup).
// 2. Filters apply in place: changing a facet or the sort refreshes results without a reload,
//    keeping the URL (and so the back button and shared links) in step.
// 3. Clicks on search results are sent as a beacon (without JS the course link records them).
(function () {
  "use strict";

  function combobox(form) {
    var input = form.querySelector("[role=combobox]");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var endpoint = form.getAttribute("data-suggest");
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function render(data) {
      items = data.items;
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.label;
        var kind = document.createElement("small");
        kind.textContent = item.type === "query" ? "popular search" : item.type;
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); go(i); });
        list.appendChild(li);
      });
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
    }

    function go(index) { window.location.assign(items[index].url); }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) { if (ticket === latest) render(data); })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      // Escape closes the suggestions and keeps what was typed (a search box would clear it).
      if (event.key === "Escape") { event.preventDefault(); close(); return; }
      if (list.hidden) return;
      var count = items.length;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % count); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + count) % count); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); go(active); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function load(url, push) {
    var region = document.getElementById("search-region");
    region.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("search-region");
        if (!next) { window.location.assign(url); return; }
        region.replaceWith(next);
        if (push) history.pushState({ url: url }, "", url);
        facets();
      })
      .catch(function () { window.location.assign(url); });
  }

  function facets() {
    var form = document.getElementById("facets");
    if (!form || !window.fetch || !window.DOMParser) return;
    var button = form.querySelector(".apply");

    function apply() {
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
      var query = params.toString();
      load(form.action.split("?")[0] + (query ? "?" + query : ""), true);
    }

    if (button) button.hidden = true;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  }

  // A click on a search result: recorded by a beacon, which never holds up navigation. The
  // link keeps the query id (so an add to cart on the course page is attributed to this
  // search) and drops the position, which makes the course page record the click itself
  // when there is no JavaScript.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-qid]") : null;
    if (!link || !navigator.sendBeacon || !window.Blob) return;
    var body = JSON.stringify({
      type: "click",
      query_id: link.getAttribute("data-qid"),
      course_id: link.getAttribute("data-course"),
      position: Number(link.getAttribute("data-pos"))
    });
    if (navigator.sendBeacon("/api/v1/events", new Blob([body], { type: "application/json" }))) {
      var url = new URL(link.href, window.location.href);
      url.searchParams.delete("pos");
      link.href = url.toString();
    }
  }, true);

  // Back and forward: show the results of the URL we land on, in place.
  window.addEventListener("popstate", function () {
    if (document.getElementById("search-region")) load(window.location.href, false);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-suggest]").forEach(combobox);
    facets();
  });
})();
