# Varnish in front of the shop's app servers (issue 17, `make cluster`): load balancer over the
# healthy app servers and HTTP cache of the shared pages, purged by tag (xkey).
#
# What is cached is decided by the app, not guessed here: a shared page (features.perf) answers
# `Cache-Control: public, max-age=0, s-maxage=…` without a cookie, whoever asks (anonymous,
# basket holder, customer), and is stored once for all of them; anything else the app marks
# private, and it is passed on with the visitor's own cookies. The private prefixes below are
# never even looked up. Tags: the `xkey` header of a shared page (features.edge.tags); a write sends
# `PURGE` with `xkey-purge: tag …` (features.edge.purge).
vcl 4.1;

import directors;
import std;
import xkey;

# The load balancer's view of an app server: its health endpoint (database, cache, media
# storage, task broker; features.edge.health). It is taken out when fewer than two of the last five
# probes passed: a server that is down (connection refused at once) after 4 s; one that is only
# slow (a shared 2-core machine at load 10-17 answers the probe in 1-4 s) stays in.
probe shop_health {
    .request =
        "GET /gezondheid/ HTTP/1.1"
        "Host: 127.0.0.1"
        "Accept: application/json"
        "Connection: close";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 4s;
    .window = 5;
    .threshold = 2;
    .initial = 2;
}

sub vcl_init {
    new shop = directors.round_robin();
    # The same servers without probes: when none passes its probe (a machine so loaded that
    # every probe times out), each is still tried, rather than every visitor getting a 503.
    new shop_any = directors.round_robin();
}

# Written by cluster/run.py (cluster.backends): `backend app1 … appN` (each with .probe =
# shop_health) added to `shop` in its own vcl_init, `backend media` (the S3 endpoint), `sub
# shop_media_url` (the bucket's path) and `acl purgers` (the machine and the app servers' own
# addresses: each app server is a host of its own, cluster.hosts).
include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = shop.backend();
    if (!std.healthy(req.backend_hint)) {
        set req.backend_hint = shop_any.backend();
    }
    unset req.http.X-Shop-Cookie;

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }

    # Media from the bucket, under the shop's own host (its CSP allows images from there only).
    if (req.url ~ "^/media/") {
        if (req.method != "GET" && req.method != "HEAD") {
            return (synth(405, "Not allowed"));
        }
        set req.backend_hint = media;
        call shop_media_url;
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        # Kept, so that a post whose app server refused the connection can be sent to another
        # (vcl_backend_error); a larger body (an upload) goes through unkept, never retried.
        std.cache_req_body(20MB);
        return (pass);
    }
    # Private by nature: the private parts, basket, checkout, account, dashboards, admin, health.
    if (req.url ~ "^/(persoonlijk|basket|checkout|accounts|dashboard|admin|gezondheid|i18n)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Anything else may be a shared page: looked up without the visitor's cookies. On a miss the
    # cookies go to the app again (vcl_backend_fetch): a shared page ignores them, and a private
    # answer is not stored (vcl_backend_response), so the next request fetches its own.
    if (req.http.Cookie) {
        set req.http.X-Shop-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_fetch {
    if (bereq.http.X-Shop-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Shop-Cookie;
        unset bereq.http.X-Shop-Cookie;
    }
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (bereq.backend == media) {
        if (beresp.status != 200) {
            set beresp.uncacheable = true;
            set beresp.ttl = 10s;
            return (deliver);
        }
        set beresp.ttl = 1h;
        return (deliver);
    }
    # Stored only when the app says so: public, and no cookie set. Anything else is remembered
    # as uncacheable for a while (hit-for-miss), so requests for it are not queued behind one.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "(?i)\bpublic\b"
            || beresp.http.Cache-Control ~ "(?i)private|no-store|no-cache") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Fresh for the page's s-maxage (a write purges it sooner); served stale while one request
    # fetches the new copy, and while no app server is healthy.
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server that died since its last probe (until the probe takes it out, at most 5 s):
    # the request is tried on the next one (round robin; three tries, as the next may be the dead
    # one again for a request of another visitor). A GET or HEAD always: reading twice is
    # harmless. Any other method only when the server refused the connection, so it never got
    # the request: Varnish 7.1's VCL does not name the error, but a refused connection on this
    # network fails within a millisecond, while a request the server took fails when the server
    # dies, after it was sent: one lost within 50 ms of being sent is retried too, a risk taken
    # knowingly (an order's number is unique per basket, so an order is never placed twice);
    # those in flight longer fail, as they may have been carried out. A connection kept from before the death that
    # fails on reuse is retried by Varnish itself on a new one (the body is kept: vcl_recv).
    if (bereq.retries < 3) {
        if (bereq.method == "GET" || bereq.method == "HEAD") {
            return (retry);
        }
        if (beresp.time - bereq.time < 50ms) {
            return (retry);
        }
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
