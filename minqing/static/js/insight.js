/* Insight on the intake form: as the worker types, fetch the top 3 categories (with the words behind
   them) from the JSON endpoint and show them next to the category field; a click on a subcategory
   selects it. Without JavaScript the "按内容建议分类" button does the same through the server. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form) { return; }
  var text = form.querySelector("[name=text]");
  var select = form.querySelector("[name=category]");
  var list = form.querySelector("[data-suggestion-list]");
  if (!text || !select || !list) { return; }
  var timer = null;
  var last = "";
  var panel = list.closest(".category-suggestions");
  var slot = form.querySelector("[data-suggestion-slot]");
  // The server renders the panel after the form's submit button (so Enter submits the form); here it moves
  // next to the category field, and its buttons stop being submit buttons.
  if (panel && slot) { slot.appendChild(panel); }
  Array.prototype.forEach.call(panel ? panel.querySelectorAll("button") : [], function (b) { b.type = "button"; });

  function pick(id) {
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function render(data) {
    list.textContent = "";
    data.suggestions.forEach(function (s) {
      var li = document.createElement("li");
      li.setAttribute("data-testid", "category-suggestion");
      var name = document.createElement("strong");
      name.textContent = s.name;
      name.setAttribute("data-user-content", "");  // a category name is data (as the server-rendered list marks it)
      var conf = document.createElement("span");
      conf.className = "suggestion-confidence";
      conf.textContent = " " + Math.round(s.confidence * 100) + "% ";
      li.appendChild(name);
      li.appendChild(conf);
      if (s.terms.length) {
        var terms = document.createElement("span");
        terms.className = "small muted";
        terms.textContent = "依据：" + s.terms.join("、");
        li.appendChild(terms);
      }
      var chips = document.createElement("span");
      chips.className = "suggestion-children";
      s.children.forEach(function (c) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "chip";
        b.textContent = c.name;
        b.setAttribute("data-category", c.id);
        chips.appendChild(b);
      });
      li.appendChild(chips);
      list.appendChild(li);
    });
  }

  function fetchSuggestions() {
    var value = text.value.trim();
    if (value.length < 5 || value === last) { return; }
    last = value;
    var body = new FormData();
    body.append("text", value);
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    // POST: the draft may hold personal details, which must not land in access logs as a query string
    fetch(form.getAttribute("data-suggest-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* suggestions are a help, never a blocker */ });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 400);
  });
  var now = panel && panel.querySelector("[data-suggest-now]");
  if (now) {
    now.addEventListener("click", function (event) {
      event.preventDefault();
      last = "";
      fetchSuggestions();
    });
  }
  list.addEventListener("click", function (event) {
    var target = event.target.closest("[data-category]");
    if (target) {
      event.preventDefault();
      pick(target.getAttribute("data-category"));
    }
  });
  if (text.value.trim()) { fetchSuggestions(); }
}());
