/* Storefront behaviour without a framework. Loaded with `defer` on every storefront page.
   - Runs the onbodyload callbacks Oscar's base template queues with `$(function () {...})`.
     Callbacks that call Oscar's ui.js (basket, checkout gateway, notifications, wishlists) fetch
     jQuery and ui.js from this host first, so only those pages pay for them.
   - Locks a form once submitted (Oscar's `data-loading-text`), so an order is never sent twice.
   - Dismissable alerts and `data-toggle="collapse"` from Oscar's markup, without Bootstrap's JS.
   - Fills a shared page's private parts and gives its forms the visitor's CSRF token. */
(function () {
  "use strict";
  var script = document.currentScript;
  var queued = window.shopReady || [];
  var loading = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function withOscar() {
    if (!loading) {
      loading = load(script.dataset.jquery).then(function () {
        return load(script.dataset.oscarUi);
      });
    }
    return loading;
  }

  // A stand-in for Oscar's `oscar` namespace: each entry point fetches ui.js, which then replaces
  // this object's members with the real ones, and forwards the call.
  function lazy(path) {
    return function () {
      var args = arguments;
      withOscar().then(function () {
        var target = window.oscar;
        path.split(".").forEach(function (key) { target = target[key]; });
        target.apply(null, args);
      });
    };
  }
  window.oscar = {
    init: function () {},
    basket: { init: lazy("basket.init") },
    checkout: { gateway: { init: lazy("checkout.gateway.init") } },
    notifications: { init: lazy("notifications.init") },
    customer: { wishlists: { init: lazy("customer.wishlists.init") } },
    datetimepickers: { init: function () {} },
    search: {
      // Listing sort: submit on change (no jQuery needed for one listener).
      init: function () {
        var select = document.getElementById("id_sort_by");
        if (select) select.addEventListener("change", function () { select.form.submit(); });
      }
    }
  };

  function run(fn) {
    if (typeof fn !== "function") return undefined; // `$(selector)` before jQuery is here
    try {
      fn(window.jQuery && window.jQuery.fn ? window.jQuery : undefined);
    } catch (err) {
      // A callback that uses jQuery directly: fetch it and try once more.
      withOscar().then(function () { window.jQuery(fn); });
    }
  }
  window.shopReady = { push: run };
  queued.forEach(run);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // getAttribute: a field named "method" (the payment step has one) shadows form.method.
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (form.dataset.locked) { event.preventDefault(); return; }
    form.dataset.locked = "1";
    // Disabling now would drop the clicked button's name from the submitted data.
    setTimeout(function () {
      form.querySelectorAll("[data-loading-text]").forEach(function (btn) {
        btn.textContent = btn.dataset.loadingText;
        btn.disabled = true;
      });
    });
  });
  // Back/forward cache: a restored page must accept the form again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-locked]").forEach(function (form) { delete form.dataset.locked; });
    document.querySelectorAll("[data-loading-text][disabled]").forEach(function (btn) { btn.disabled = false; });
  });

  // The confirmation's print button (Oscar's has an inline onclick, which the storefront's
  // Content-Security-Policy refuses: templates/oscar/checkout/thank_you.html).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest('[data-dismiss="alert"]');
    if (dismiss) {
      event.preventDefault();
      var alert = dismiss.closest(".alert");
      if (alert) alert.remove();
      return;
    }
    var toggle = event.target.closest('[data-toggle="collapse"]');
    if (toggle) {
      event.preventDefault();
      var selector = toggle.getAttribute("data-target") || toggle.getAttribute("href");
      document.querySelectorAll(selector).forEach(function (el) {
        var open = el.classList.toggle("show");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });

  // Two Oscar templates render a field without its <label> (basket quantity, the gateway's
  // password). Until those templates are overridden by their owners, name the fields here;
  // the basket re-renders its form by AJAX, hence the observer.
  function nameUnlabelled(root) {
    root.querySelectorAll("input[name$='-quantity']:not([aria-label]), #id_password:not([aria-label])")
      .forEach(function (input) {
        if (input.labels && input.labels.length) return;
        input.setAttribute("aria-label", input.id === "id_password" ? "Wachtwoord" : "Aantal");
      });
  }
  nameUnlabelled(document);
  var inner = document.getElementById("content_inner");
  if (inner && window.MutationObserver) {
    new MutationObserver(function () { nameUnlabelled(inner); }).observe(inner, { childList: true, subtree: true });
  }

  // A shared page (the same HTML for every visitor, shop.cache.pagecache) names the private
  // endpoint in <meta name="shop-private">: this visitor's account link, basket summary, messages,
  // wishlist and alert state and staff links come from there, as HTML for the elements marked
  // data-private="<part>", with the CSRF token the page's forms need (Django's way for pages that
  // cannot carry it: the token from the csrftoken cookie, here also in the answer).
  var privateMeta = document.querySelector('meta[name="shop-private"]');
  var privateParts = !privateMeta ? Promise.resolve({}) :
    fetch(privateMeta.content, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .catch(function () { return {}; });

  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function giveToken(form, token) {
    if (!token || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (form.querySelector('input[name="csrfmiddlewaretoken"]')) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    input.value = token;
    form.appendChild(input);
  }

  privateParts.then(function (answer) {
    var parts = answer.parts || {};
    Object.keys(parts).forEach(function (name) {
      document.querySelectorAll('[data-private="' + name + '"]').forEach(function (slot) {
        slot.innerHTML = parts[name];
      });
    });
    if (parts.alert) {
      document.querySelectorAll("form#alert_form").forEach(function (form) {
        var holder = document.createElement("div");
        holder.innerHTML = parts.alert;
        form.replaceWith.apply(form, Array.prototype.slice.call(holder.childNodes));
      });
    }
    if (answer.csrf) document.querySelectorAll("form").forEach(function (form) { giveToken(form, answer.csrf); });
  });

  // A post sent before the private parts arrived waits for its token (capture: before the lock).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (form.querySelector('input[name="csrfmiddlewaretoken"]')) return;
    var cookie = csrfCookie();
    if (cookie) { giveToken(form, cookie); return; }
    if (!privateMeta) return;
    event.preventDefault();
    var submitter = event.submitter;
    privateParts.then(function (answer) {
      giveToken(form, answer.csrf || csrfCookie());
      if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
    });
  }, true);

  // Sidebars fold into a disclosure on phones and stand open beside the content on wider screens.
  document.querySelectorAll("details[data-open-from]").forEach(function (details) {
    var query = window.matchMedia("(min-width: " + details.dataset.openFrom + "px)");
    function sync() { if (query.matches) details.open = true; }
    sync();
    query.addEventListener("change", sync);
  });
})();
