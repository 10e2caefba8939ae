/*
 * Search-as-you-type for every search form on the page (issue 20): the WAI-ARIA 1.2 combobox
 * pattern with a listbox popup. The input keeps focus; Arrow Down/Up move the active option
 * (aria-activedescendant), Enter opens it (or submits the search when none is active), Escape
 * closes the list (and clears the field when it was closed already). The number of suggestions
 * is announced in a polite live region. Suggestions come from the shared JSON endpoint named in
 * this script tag's data-suggest-url. No inline script or style: the storefront CSP forbids them.
 */
(function () {
    "use strict";

    var script = document.currentScript;
    var endpoint = script && script.getAttribute("data-suggest-url");
    if (!endpoint || !window.fetch) {
        return;
    }
    var GROUPS = [
        ["products", "Producten"],
        ["guides", "Gidsen"],
        ["categories", "Categorieën"],
    ];
    var DELAY = 150;
    var MIN_LENGTH = 2;
    var counter = 0;

    function setup(form) {
        var input = form.querySelector('input[name="q"]');
        if (!input || input.hasAttribute("role")) {
            return;
        }
        counter += 1;
        var id = "search-suggest-" + counter;
        var listbox = document.createElement("div");
        listbox.id = id + "-listbox";
        listbox.className = "search-suggest";
        listbox.setAttribute("role", "listbox");
        listbox.setAttribute("aria-label", "Suggesties");
        listbox.hidden = true;
        var status = document.createElement("div");
        status.className = "sr-only";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        form.classList.add("search-suggest-form");
        form.appendChild(listbox);
        form.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listbox.id);
        input.setAttribute("autocomplete", "off");

        var options = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var lastQuery = null;

        function open() {
            if (options.length) {
                listbox.hidden = false;
                input.setAttribute("aria-expanded", "true");
            }
        }

        function close() {
            listbox.hidden = true;
            input.setAttribute("aria-expanded", "false");
            setActive(-1);
        }

        function setActive(index) {
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "false");
                options[active].classList.remove("is-active");
            }
            active = index;
            if (active >= 0 && options[active]) {
                var option = options[active];
                option.setAttribute("aria-selected", "true");
                option.classList.add("is-active");
                input.setAttribute("aria-activedescendant", option.id);
                if (option.scrollIntoView) {
                    option.scrollIntoView({block: "nearest"});
                }
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function go(option) {
            window.location.href = option.getAttribute("data-url");
        }

        function render(data) {
            listbox.textContent = "";
            options = [];
            active = -1;
            input.removeAttribute("aria-activedescendant");
            GROUPS.forEach(function (group) {
                var items = data[group[0]] || [];
                if (!items.length) {
                    return;
                }
                var box = document.createElement("div");
                box.setAttribute("role", "group");
                box.setAttribute("aria-label", group[1]);
                var heading = document.createElement("div");
                heading.className = "search-suggest__heading";
                heading.setAttribute("aria-hidden", "true");
                heading.textContent = group[1];
                box.appendChild(heading);
                items.forEach(function (item) {
                    var option = document.createElement("div");
                    option.id = id + "-option-" + options.length;
                    option.className = "search-suggest__option";
                    option.setAttribute("role", "option");
                    option.setAttribute("aria-selected", "false");
                    option.setAttribute("data-url", item.url);
                    option.textContent = item.label;
                    option.addEventListener("mousedown", function (event) {
                        event.preventDefault(); // keep focus in the input
                    });
                    option.addEventListener("click", function () {
                        go(option);
                    });
                    box.appendChild(option);
                    options.push(option);
                });
                listbox.appendChild(box);
            });
            if (options.length) {
                status.textContent = options.length === 1
                    ? "1 suggestie beschikbaar. Gebruik pijl omlaag om te kiezen."
                    : options.length + " suggesties beschikbaar. Gebruik pijl omlaag om te kiezen.";
                open();
            } else {
                status.textContent = "Geen suggesties.";
                close();
            }
        }

        function fetchSuggestions() {
            var query = input.value.trim();
            if (query === lastQuery) {
                open();
                return;
            }
            lastQuery = query;
            if (query.length < MIN_LENGTH) {
                options = [];
                listbox.textContent = "";
                status.textContent = "";
                close();
                return;
            }
            if (controller) {
                controller.abort();
            }
            controller = window.AbortController ? new AbortController() : null;
            var url = endpoint + "?q=" + encodeURIComponent(query);
            fetch(url, {signal: controller && controller.signal, credentials: "omit"})
                .then(function (response) {
                    return response.ok ? response.json() : null;
                })
                .then(function (data) {
                    if (data && input.value.trim() === query) {
                        render(data);
                    }
                })
                .catch(function () { /* aborted or offline: the form still submits */ });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(fetchSuggestions, DELAY);
        });

        input.addEventListener("keydown", function (event) {
            var key = event.key;
            if (key === "ArrowDown" || key === "Down") {
                event.preventDefault();
                if (listbox.hidden) {
                    open();
                }
                if (options.length) {
                    setActive(active + 1 < options.length ? active + 1 : 0);
                }
            } else if (key === "ArrowUp" || key === "Up") {
                event.preventDefault();
                if (listbox.hidden) {
                    open();
                }
                if (options.length) {
                    setActive(active > 0 ? active - 1 : options.length - 1);
                }
            } else if (key === "Enter") {
                if (!listbox.hidden && active >= 0 && options[active]) {
                    event.preventDefault();
                    go(options[active]);
                }
            } else if (key === "Escape" || key === "Esc") {
                if (!listbox.hidden) {
                    event.preventDefault();
                    close();
                } else if (input.value) {
                    event.preventDefault();
                    input.value = "";
                    lastQuery = null;
                }
            } else if (key === "Tab") {
                close();
            }
        });

        input.addEventListener("blur", function () {
            close();
        });
    }

    function init() {
        var forms = document.querySelectorAll('form[role="search"]');
        for (var i = 0; i < forms.length; i += 1) {
            setup(forms[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
