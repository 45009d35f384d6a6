// Progressive enhancement only: every page works without this file.
// 1. As-you-type suggestions on the search boxes (WAI-ARIA combobox with a listbox popup):
//    the typed part in bold, a "Search for …" row, Escape closes and keeps the text.
// 2. Filters apply in place: changing a facet or the sort refreshes results without a reload,
//    keeping the URL (and so the back button and shared links) in step, and keyboard focus
//    on the control just used. On a phone the filters open as an overlay.
// 3. Add to cart without leaving the page; the header's cart count follows.
// 4. "Expand all sections" on course pages without a reload.
// 5. Clicks on search results are sent as a beacon (without JS the course link records them).
// 6. Escape closes the header's account menu and gives the focus back to its button.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var KINDS = { query: "popular search", completion: "search", category: "category",
                course: "course", mentor: "instructor" };

  // The label with the typed words in bold (built as text nodes: never as HTML).
  function emphasise(target, label, typed) {
    var words = typed.toLowerCase().split(/\s+/).filter(Boolean);
    var lower = label.toLowerCase();
    var marks = [];
    words.forEach(function (w) {
      var at = lower.indexOf(w);
      while (at >= 0) {
        if (at === 0 || !/[\p{L}\p{N}]/u.test(lower[at - 1])) { marks.push([at, at + w.length]); break; }
        at = lower.indexOf(w, at + 1);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      target.appendChild(document.createTextNode(label.slice(pos, m[0])));
      var b = document.createElement("b");
      b.textContent = label.slice(m[0], m[1]);
      target.appendChild(b);
      pos = m[1];
    });
    target.appendChild(document.createTextNode(label.slice(pos)));
  }

  function combobox(form) {
    var input = form.querySelector("[role=combobox]");
    if (!input) return;
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

    function option(i, build) {
      var li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      build(li);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); go(i); });
      li.addEventListener("mousemove", function () { if (active !== i) highlight(i); });
      list.appendChild(li);
    }

    // A picker (data-pick="course") offers courses only, and picking one adds its slug to a
    // field instead of leaving the page.
    var picking = form.getAttribute("data-pick");

    function render(data, typed) {
      items = data.items.filter(function (item) { return !picking || item.type === picking; });
      if (!picking) items.push({ type: "search", label: typed, url: null });
      list.innerHTML = "";
      items.forEach(function (item, i) {
        option(i, function (li) {
          if (item.type === "search") {
            li.className = "search-for";
            li.appendChild(document.createTextNode("Search for “"));
            var b = document.createElement("b");
            b.textContent = typed;
            li.appendChild(b);
            li.appendChild(document.createTextNode("”"));
            return;
          }
          emphasise(li, item.label, typed);
          var kind = document.createElement("small");
          kind.textContent = KINDS[item.type] || item.type;
          li.appendChild(kind);
        });
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function go(index) {
      var item = items[index];
      if (picking) { pick(item); return; }
      if (item.url) window.location.assign(item.url);
      else { close(); form.submit(); }
    }

    function pick(item) {
      var choice = document.querySelector("input[name=pick_into]:checked");
      var field = document.getElementById(choice ? choice.value : "pin");
      var slug = decodeURIComponent(item.url.split("?")[0].split("/").pop());
      var slugs = field.value.split(/[\s,]+/).filter(Boolean);
      if (slugs.indexOf(slug) < 0) slugs.push(slug);
      field.value = slugs.join(", ");
      input.value = "";
      close();
      input.focus();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) { if (ticket === latest) render(data, q); })
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

  function load(url, push, focusId) {
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
        // Focus stays on the control just used (or, if it is gone, the result count).
        var target = focusId && document.getElementById(focusId);
        if (target && !target.disabled) target.focus();
        else if (focusId) document.getElementById("results").focus();
      })
      .catch(function () { window.location.assign(url); });
  }

  function facets() {
    var form = document.getElementById("facets");
    if (!form || !window.fetch || !window.DOMParser) return;
    var button = form.querySelector(".apply");

    function apply(focusId) {
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
      var query = params.toString();
      load(form.action.split("?")[0] + (query ? "?" + query : ""), true, focusId);
    }

    if (button) button.hidden = true;
    form.addEventListener("change", function (event) { apply(event.target.id); });
    // The sort sits above the results (visible on phones too) and belongs to this form.
    document.querySelectorAll("[form=facets]").forEach(function (control) {
      if (control.type === "submit") { control.hidden = true; return; }
      control.addEventListener("change", function () { apply(control.id); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(null); });
    // The phone's filter overlay: opened and closed by the script (no URL fragment).
    var layout = document.getElementById("search-region");
    var open = layout.querySelector(".to-filters");
    function show(on) {
      document.body.classList.toggle("filters-open", on);
      (on ? form.querySelector("input, select") : open).focus();
    }
    if (open) open.addEventListener("click", function (event) { event.preventDefault(); show(true); });
    form.querySelectorAll(".close-filters, .show-results a").forEach(function (a) {
      a.addEventListener("click", function (event) { event.preventDefault(); show(false); });
    });
  }

  // Add to cart in place: the form posts as it would without a script, asking for JSON.
  function cartForms() {
    document.querySelectorAll("form[data-add-to-cart]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.fetch) return;
        event.preventDefault();
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          headers: { Accept: "application/json" },
          credentials: "same-origin"
        })
          .then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); })
          .then(function (answer) {
            var status = answer[0], body = answer[1];
            if (status === 401 && body.login_url) { window.location.assign(body.login_url); return; }
            var note = document.querySelector(".cart-status");
            if (status !== 200) {
              button.disabled = false;
              if (note) note.textContent = body.detail || "That did not work; please try again.";
              return;
            }
            setCount(body.cart_count);
            document.querySelectorAll("form[data-add-to-cart]").forEach(function (f) {
              var link = document.createElement("a");
              var was = f.querySelector("button");  // the same size as the button it replaces
              link.className = "button " + (was ? was.className : "primary");
              link.href = body.cart_url;
              link.textContent = "Go to cart";
              f.replaceWith(link);
            });
            if (note) note.textContent = body.message + ".";
            var first = document.querySelector(".price-box a.button");
            if (first) first.focus();
          })
          .catch(function () { form.submit(); });
      });
    });
  }

  function setCount(n) {
    var count = document.getElementById("cart-count");
    if (!count) return;
    count.hidden = n === 0;
    count.firstChild.nodeValue = String(n);
    count.querySelector(".visually-hidden").textContent =
      " course" + (n === 1 ? "" : "s") + " in your cart";
  }

  // Expand (or collapse) every section of a course's curriculum.
  function expandAll() {
    var link = document.querySelector("a.expand-all");
    if (!link) return;
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var expand = link.getAttribute("data-expand") === "expand";
      document.querySelectorAll("details.section").forEach(function (d) { d.open = expand; });
      link.setAttribute("data-expand", expand ? "collapse" : "expand");
      link.textContent = expand ? "Collapse all sections" : "Expand all sections";
    });
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

  // Escape closes an open account menu (a <details>), focus back on its summary when it was
  // in the menu; an Escape something else used (the suggestions' own) is left alone.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var menu = document.querySelector("details.account-menu[open]");
    if (!menu) return;
    var inside = menu.contains(document.activeElement);
    menu.open = false;
    var summary = menu.querySelector("summary");
    if (inside && summary) summary.focus();
  });

  // Back and forward: show the results of the URL we land on, in place.
  window.addEventListener("popstate", function () {
    if (document.getElementById("search-region")) load(window.location.href, false, null);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-suggest]").forEach(combobox);
    facets();
    cartForms();
    expandAll();
  });
})();
