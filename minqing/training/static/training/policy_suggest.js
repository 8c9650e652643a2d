/* Policy answers beside the reply form of a demand: on load and as the worker types, POST the draft
   (never in the URL) to refresh the 2–3 most relevant answers in force; "插入答复" appends an answer with its
   source to the reply text and records the use. CSP: no inline script, no inline style. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-suggest-url]");
  if (!panel) { return; }
  var form = panel.closest("section, details") ? panel.closest("section, details").querySelector("form") : null;
  var reply = form ? form.querySelector("textarea[name$=text]") : null;
  var token = form ? form.querySelector("[name=csrfmiddlewaretoken]") : null;
  var list = panel.querySelector("[data-policy-list]");
  var label = panel.querySelector("[data-insert-label]");
  if (!reply || !token || !list) { return; }
  var timer = null;
  var last = null;

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                        headers: { "X-CSRFToken": token.value, "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function insert(item) {
    var text = item.answer + "（" + item.source + "）";
    reply.value = reply.value ? reply.value.replace(/\s*$/, "") + "\n" + text : text;
    reply.dispatchEvent(new Event("input", { bubbles: true }));
    post(panel.getAttribute("data-use-url"), { answer: item.id }).catch(function () {});
  }

  function render(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-testid", "policy-suggestion");
      li.setAttribute("data-answer-id", item.id);
      var q = document.createElement("strong");
      q.textContent = item.question;
      var a = document.createElement("div");
      a.textContent = item.answer;
      var meta = document.createElement("div");
      meta.className = "muted";
      meta.textContent = item.source + " · " + item.issuing_body + " · " + item.effective_on +
        (item.expires_on ? "—" + item.expires_on : "");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-testid", "policy-insert");
      button.textContent = label ? label.innerHTML : "插入";
      button.addEventListener("click", function () { insert(item); });
      li.appendChild(q); li.appendChild(a); li.appendChild(meta); li.appendChild(button);
      list.appendChild(li);
    });
  }

  function refresh() {
    var draft = reply.value;
    if (draft === last) { return; }
    last = draft;
    post(panel.getAttribute("data-suggest-url"), { draft: draft })
      .then(function (data) { if (data.suggestions.length) { render(data.suggestions); } })
      .catch(function () {});
  }

  reply.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 800);
  });
  refresh();
}());
