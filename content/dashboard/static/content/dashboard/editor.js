/* Kennisbank editor: a small Markdown toolbar and a live preview rendered by the server
   (the same Markdown rendering, sanitising and reference resolution as the guide page). */
(function () {
    "use strict";
    var form = document.getElementById("article_form") || document.getElementById("faq_form");
    var preview = document.getElementById("live-preview");
    if (!form || !preview) { return; }
    var body = form.querySelector("textarea.markdown-editor");
    var timer = null;

    function field(name) {
        var el = form.querySelector("[name='" + name + "']");
        return el ? el.value : "";
    }

    function refresh() {
        var data = new FormData();
        data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken"));
        data.append("title", field("title") || field("question"));
        data.append("lead", field("lead"));
        data.append("body", body ? body.value : "");
        data.append("sources", field("sources"));
        fetch(preview.dataset.url, {method: "POST", body: data, credentials: "same-origin"})
            .then(function (response) {
                if (!response.ok) { throw new Error(response.status); }
                return response.text();
            })
            .then(function (html) {
                // Sanitised by the server with nh3, exactly as on the storefront.
                preview.innerHTML = html;
                preview.dataset.state = "ready";
            })
            .catch(function () {
                preview.dataset.state = "error";
                preview.textContent = "Voorbeeld kon niet worden geladen.";
            });
    }

    function schedule() {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 350);
    }

    form.addEventListener("input", schedule);
    refresh();

    var toolbar = document.getElementById("markdown-toolbar");
    if (toolbar && body) {
        toolbar.addEventListener("click", function (event) {
            var button = event.target.closest("button");
            if (!button) { return; }
            var start = body.selectionStart, end = body.selectionEnd;
            var selected = body.value.slice(start, end);
            var insert;
            if (button.dataset.wrap) {
                insert = button.dataset.wrap + (selected || "tekst") + button.dataset.wrap;
            } else if (button.dataset.link) {
                insert = "[" + (selected || "tekst") + "](" + button.dataset.link + ")";
            } else {
                var lineStart = body.value.lastIndexOf("\n", start - 1) + 1;
                body.setRangeText(button.dataset.md, lineStart, lineStart, "end");
                schedule();
                return;
            }
            body.setRangeText(insert, start, end, "end");
            body.focus();
            schedule();
        });
    }
}());
