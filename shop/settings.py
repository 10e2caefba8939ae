"""Settings for the magnesium storefront: one module, everything that differs per deployment
comes from the environment (see .env.example and the README)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403

from shop.release import release_id

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    # OS variables win over .env (read_env does not overwrite what is already set).
    env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.redirects",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",  # Oscar's; product page reads batched (views.py)
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",  # Oscar's; lines in one query, adds counted (models.py)
    "oscar.apps.payment.apps.PaymentConfig",
    "shop.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",  # Oscar's; account actions on POST only (views.py)
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "shop.dashboard.reviews.apps.ReviewsDashboardConfig",  # issue 15: claim gate on approval
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Oscar's third-party dependencies
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Ours
    "shop.apps.ShopConfig",
    "features.perf.apps.PerfConfig",
    "axes",
    "post_office",  # the mail outbox (see Email below)
    "csp",
    "content.apps.ContentConfig",
    "content.dashboard.apps.ContentDashboardConfig",
    "shop.mollie.apps.MollieConfig",  # issue 18: payments through Mollie
    "features.storefront.apps.StorefrontConfig",  # home page, guide → sale attribution (issue 19)
    "features.storefront.dashboard.apps.StorefrontDashboardConfig",
    "features.edge.apps.EdgeConfig",  # issue 17: purges by tag, task queue, health endpoint
    "features.seo.apps.SeoConfig",  # structured data, sitemaps, redirects of renamed guides
    "features.compliance.apps.ComplianceConfig",  # claim gate on the dashboard forks, facts panel
    "shop.search.dashboard.apps.SearchDashboardConfig",  # synonyms (issue 20)
]

SITE_ID = 1
# The domain in sitemap.xml and in the links of e-mails (django.contrib.sites): every `migrate`
# writes it into the Site row (shop.receivers.sync_site), so it is never Django's example.com.
SHOP_SITE_DOMAIN = env(
    "DJANGO_SITE_DOMAIN", default="127.0.0.1:8000" if DEBUG else ALLOWED_HOSTS[0]
)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.csp.CSPMiddleware",  # django-csp's; above the shared pages, so a stored page gets it too
    # Shared pages (catalogue, guides, search) are rendered from a request stripped of the
    # visitor's cookies and headers, and served from the cache to everyone (features.perf): so it
    # sits above the session, auth, messages, CSRF and basket middlewares, and below the ones
    # that set security headers, which a stored page gets as well.
    # Guide views and product-link clicks counted in the cache (features.storefront.middleware): above
    # the shared pages, whose middleware drops the `?gids=` a guide's product links carry.
    "features.storefront.middleware.GuideCountMiddleware",
    "features.perf.middleware.SharedPageMiddleware",
    "features.edge.middleware.CacheTagMiddleware",  # cache tags of shared pages (xkey), for Varnish
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shop.basket.middleware.BasketMiddleware",  # Oscar's; cookie basket and lines in one query
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Old URLs of renamed guides (shop.redirects.redirect_record_move) answer 301.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    # Turns a locked-out login (shop and /admin/) into the lockout page; last, as axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                # Oscar's unread-notifications count, read only where a template shows it.
                "features.perf.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "features.perf.context_processors.shared_page",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = (
    # First: refuses every login of a locked-out username from that address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Oscar's (e-mail) and Django's (username), with the signed-in user read from the cache
    # (shop.customer.auth_backends).
    "shop.customer.auth_backends.EmailBackend",
    "shop.customer.auth_backends.ModelBackend",
)

# Argon2 for new and changed passwords; older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Login throttling (django-axes), for the shop's login and /admin/ alike: 5 wrong passwords for
# one username from one address lock that pair out for AXES_COOLOFF_TIME, the right password
# included. The lockout page is the same whether the account exists or not. The address is
# REMOTE_ADDR: behind a proxy that is the proxy's, so a lockout then holds for the username alone.
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DJANGO_AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "shop/lockout.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The catalogue fork changes the product view only: its models are Oscar's, and so are its
# migrations, so they stay in step with every Oscar release without copies (issue 16).
MIGRATION_MODULES = {"catalogue": "oscar.apps.catalogue.migrations"}

# --- Data ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles the plans of the listing counts on a 5,000-product catalogue for longer than
    # they take to run (measured 1.7 s on one count); the shop's queries are short OLTP reads.
    # random_page_cost: the database is in memory (the default 4 models spinning disks); with it
    # the planner reads the search's GIN indexes (5 ms) instead of testing every stored document
    # (60 ms on 5,000 products). The trigram threshold is the one of the search's typo-tolerant
    # `%>` operator (shop.search.engine.TYPO_THRESHOLD). Per connection, so a search needs no
    # transaction of its own to set them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c random_page_cost=1.1 -c pg_trgm.word_similarity_threshold=0.5"
    )
    # Server-side parameters and prepared statements: psycopg prepares a statement the
    # connection has run five times, and PostgreSQL stops planning it anew (the basket's one read
    # of its lines, products, classes and stock records took 1.2 ms to plan and 0.2 ms to run).
    # Django turns preparing off unless prepare_threshold is given (for poolers like PgBouncer in
    # transaction mode, which this shop does not use: its connections are persistent).
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = env.bool(
        "DJANGO_DB_SERVER_SIDE_BINDING", default=True
    )
    _threshold = env.str("DJANGO_DB_PREPARE_THRESHOLD", default="5").strip().lower()
    if _threshold not in ("off", "") and not _threshold.isdigit():
        raise ImproperlyConfigured(
            f"DJANGO_DB_PREPARE_THRESHOLD must be a whole number or 'off', not {_threshold!r}"
        )
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        None if _threshold in ("off", "") else int(_threshold)
    )
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")
# A Redis that is down, full or hanging must not fail a page: every call waits at most these
# seconds, a failure is logged and reads as a miss, and after one the process leaves Redis alone
# for REDIS_PAUSE seconds, then tries again (shop.cache.backends.RedisCache, PausingConnectionPool).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.25)
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
REDIS_PAUSE = env.float("REDIS_PAUSE", default=1.0)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Without Redis: files that every process on this machine shares (runserver, the shell,
# `manage.py import_article`), so a write in one is seen by the next request of the others.
CACHE_DIR = env.path("DJANGO_CACHE_DIR", default=BASE_DIR / "var" / "cache")


# The release (shop.release): pages and fragments stored by one release are never read by
# another, so a deploy shows its templates at once. A deploy may name it (a git commit).
SHOP_RELEASE = env("SHOP_RELEASE", default="") or release_id(BASE_DIR)


def cache_settings(redis_url: str, *, cache_dir=CACHE_DIR, pause: float = REDIS_PAUSE) -> dict:
    """CACHES for Redis at `redis_url`, or, when it is empty, for the file cache in `cache_dir`
    (tests build the production set-ups with this)."""
    if redis_url:
        default = {
            "BACKEND": "shop.cache.backends.RedisCache",  # django-redis's, see its docstring
            "LOCATION": redis_url,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
                "CONNECTION_POOL_CLASS": "shop.cache.backends.PausingConnectionPool",
                "CONNECTION_POOL_KWARGS": {"pause_after_failure": pause},
            },
        }
    else:
        default = {
            "BACKEND": "shop.cache.backends.FileCache",  # Django's FileBasedCache, see its docstring
            "LOCATION": str(cache_dir),
            # Room for page fragments of every product of a large catalogue (5,000 products).
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    return {
        "default": default,
        # Pages and fragments: stored under keys that change with what they hold, so each
        # process keeps a copy in memory in front of the shared cache (shop.cache.backends).
        "fragments": {
            "BACKEND": "shop.cache.backends.TieredCache",
            "VERSION": SHOP_RELEASE,
            "OPTIONS": {"SHARED": "default", "LOCAL_TIMEOUT": 300, "LOCAL_MAX_ENTRIES": 5000},
        },
    }


CACHES = cache_settings(REDIS_URL)
# Sessions are rows in the database, with Redis (when there is one) only in front of them: a
# Redis that is down, full or emptied loses no login and no checkout.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# sorl-thumbnail's records of which thumbnails exist. With Redis in Redis, so a listing on a cold
# cache reads no row per product image, through sorl's Redis KVStore with the timeouts and the
# pause above (shop.cache.backends.ThumbnailKVStore: sorl's own raises while Redis is down and hangs
# with Redis); without, rows read through the default cache (sorl's default).
if REDIS_URL:
    THUMBNAIL_KVSTORE = "shop.cache.backends.ThumbnailKVStore"
    THUMBNAIL_REDIS_URL = env("THUMBNAIL_REDIS_URL", default=REDIS_URL)
else:
    THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
# Whole pages for cookie-less visitors (features.perf): every process reads the catalogue version
# from the shared cache, so a write in any process makes every stored page stale at once.
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=600)

# Shared pages (shop.cache.pagecache): search pages are user input, kept for a shorter time so
# one-off queries age out; a proxy or CDN in front may keep any shared page this long (each
# write reaches visitors through it within that time).
SHOP_SEARCH_CACHE_SECONDS = env.int("SHOP_SEARCH_CACHE_SECONDS", default=300)
SHOP_SHARED_PROXY_SECONDS = env.int("SHOP_SHARED_PROXY_SECONDS", default=1)
# A shared render that generates a CSRF token or writes a session is not stored and logged as an
# error; with this on it raises instead (the test suite).
SHOP_SHARED_STRICT = env.bool("SHOP_SHARED_STRICT", default=DEBUG)
# Forms of shared pages carry no CSRF token: shop.js adds the visitor's; without JavaScript a
# post without one gets a page that asks to confirm it (with a token) instead of a bare 403.
CSRF_FAILURE_VIEW = "features.perf.views.csrf_failure"

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
# The storefront's listings and search query the database directly (shop.search), so
# nothing needs to keep a search index in step with product saves.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- Language, time, money ----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").exists() else []
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve uploaded media through WhiteNoise-free Django view only in DEBUG (see shop/urls.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------
# Outside DEBUG every mail (order confirmation and status, password reset, stock alert: all of
# Oscar's go through Django's mail API) is a row in django-post-office's outbox, written in the
# transaction of the request that sends it, so a mail server that is down fails no order. The
# worker `manage.py send_queued_mail` (cron or a systemd timer, see the README) delivers it over
# POST_OFFICE's backend and retries it every RETRY_INTERVAL, up to MAX_RETRIES times (a week).
# In DEBUG (`make run`) mail is printed to the console at once.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend" if DEBUG else "post_office.EmailBackend"
    ),
)
POST_OFFICE = {
    "BACKENDS": {
        "default": env(
            "DJANGO_EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
        )
    },
    "DEFAULT_PRIORITY": "medium",  # queue only; "now" would send inside the request
    "RETRY_INTERVAL": timedelta(seconds=env.int("DJANGO_EMAIL_RETRY_SECONDS", default=300)),
    "MAX_RETRIES": env.int("DJANGO_EMAIL_MAX_RETRIES", default=2016),
    "LOG_LEVEL": 1,  # a log row for failures only
}
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
# A mail server that hangs holds up the outbox worker for at most this long per mail.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Magnesiumwinkel <winkel@example.nl>")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production values unless DEBUG) ---------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp 4; shop.csp) -------------------------------------------
# Storefront: scripts from this host only, no inline script but Oscar's own, named by hash:
# oscar/base.html ends every page with `<script>$(function () {{% block onbodyload %}});</script>`,
# outside any block, so it can carry no nonce; its text is fixed per template (empty on shared
# pages, an init call on basket, checkout and account pages), so each is allowed by its hash
# (tests/security/test_csp.py fails when a page carries an inline script not listed here). No
# nonce at all: shared pages are cached whole and served to everyone, a nonce must not be in them.
SHOP_CSP_SCRIPT_HASHES = [
    "'sha256-7+86YxtOrBtmjxYbo/hHAwo4JEb09Mz5op9pA/6c1Zo='",  # the $ stand-in, oscar/layout.html
    "'sha256-jj1Qd4vsGDFcyQebdD7tUDHaMy14mGxSWZ6wCf5wjys='",  # empty onbodyload (shared pages)
    "'sha256-Muo7fvmhmrrOR3zRtBN8xMimMLAujFF9WHT73NgNI00='",  # listings: oscar.search.init()
    "'sha256-FlSFYorZE4PlNy9E468lbYfXB4GUbNbVFADZyhbMN50='",  # basket: oscar.basket.init()
    "'sha256-ElTosegZWY/NpJA34tYO2JgeUY1SbRyaYe2qG2HpErU='",  # checkout gateway
    "'sha256-gLYJtFTxHLoymlY54NwD3MyfYMJYDiB660zVEOzhVQE='",  # account: wishlists
    "'sha256-wXHUjuh1ZwqOmkoxNzqXtsIitBuQdhCWGJ60jzVzizk='",  # account: notifications
]
SHOP_CSP_STOREFRONT = {
    "default-src": ["'self'"],
    # 'unsafe-hashes' lets only the hashed handlers below run: Oscar's "or cancel" link on the
    # account forms (partials/form.html, wishlists_form.html) goes back with an inline onclick.
    "script-src": [
        "'self'",
        *SHOP_CSP_SCRIPT_HASHES,
        "'unsafe-hashes'",
        "'sha256-NqaPugiVKFsqU2P8L2sjJSLsiSKaQB+C9S5V0ZiRxfc='",  # window.history.go(-1);return false
        "'sha256-gZHW0ZTdDBnW8n/Qf9lGuwm2LvPkTQwflpfLAabDyMQ='",  # history.go(-1);return false
    ],
    # Oscar's basket hides its voucher form with style="display:none", allowed by its hash alone.
    "style-src": [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE='",
    ],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": SHOP_CSP_STOREFRONT}
# Oscar's dashboard (and the admin): the same, except that inline scripts and styles run. The
# dashboard's templates end in the same un-nonceable inline script, here with per-page values (an
# object's id, a URL), and set styles inline (TinyMCE, Select2, the Kennisbank's diff view). Rich
# text shown there is cleaned like on the storefront (shop.richtext), and scripts still come only
# from this host (Oscar's jQuery from /static/, not Google's CDN: templates/oscar/dashboard/layout.html).
SHOP_CSP_STAFF_PREFIXES = ["/dashboard/", "/admin/"]
SHOP_CSP_STAFF = {
    **SHOP_CSP_STOREFRONT,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# --- Oscar --------------------------------------------------------------------------------
OSCAR_SHOP_NAME = "Magnesiumwinkel"
OSCAR_SHOP_TAGLINE = "Magnesium en kennis"
OSCAR_DEFAULT_CURRENCY = "EUR"
# Prices are consumer prices including btw, so offers and vouchers discount those prices;
# with Oscar's default (False) a 10% voucher took 10% off the price excl. btw and then re-added
# btw, giving € 5,00 off € 45,90 instead of € 4,59.
OSCAR_OFFERS_INCL_TAX = True
# Links in e-mails (password reset, order status) over HTTPS outside DEBUG (Oscar's default: http).
OSCAR_URL_SCHEMA = env("DJANGO_URL_SCHEME", default="http" if DEBUG else "https")
# The basket and recently-viewed cookies over HTTPS only, like the session and CSRF cookies.
OSCAR_BASKET_COOKIE_SECURE = not DEBUG
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = not DEBUG
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MODERATE_REVIEWS = True
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")

# Guides and FAQs are edited in Oscar's dashboard. Oscar's default access function shows each
# entry only to users holding the permissions its view requires (content/dashboard/apps.py).
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405
    {
        "label": "Kennisbank",
        "icon": "fas fa-book",
        "children": [
            {"label": "Gidsen", "url_name": "content_dashboard:kennisbank-article-list"},
            {"label": "Veelgestelde vragen", "url_name": "content_dashboard:kennisbank-faq-list"},
            {"label": "Onderwerpen", "url_name": "content_dashboard:kennisbank-topic-list"},
            {"label": "Gids importeren", "url_name": "content_dashboard:kennisbank-article-import"},
        ],
    },
    {
        "label": "Zoeken",
        "icon": "fas fa-search",
        "children": [
            {"label": "Synoniemen", "url_name": "search_dashboard:synonym-list"},
        ],
    },
]

# Bank transfer orders wait for payment; staff move them on in the dashboard.
ORDER_STATUS_AWAITING_PAYMENT = "Wacht op betaling"
ORDER_STATUS_PAID = "Betaald"
ORDER_STATUS_SHIPPED = "Verzonden"
ORDER_STATUS_CANCELLED = "Geannuleerd"
OSCAR_INITIAL_ORDER_STATUS = ORDER_STATUS_AWAITING_PAYMENT
OSCAR_INITIAL_LINE_STATUS = ORDER_STATUS_AWAITING_PAYMENT
OSCAR_ORDER_STATUS_PIPELINE = {
    ORDER_STATUS_AWAITING_PAYMENT: (ORDER_STATUS_PAID, ORDER_STATUS_CANCELLED),
    ORDER_STATUS_PAID: (ORDER_STATUS_SHIPPED, ORDER_STATUS_CANCELLED),
    ORDER_STATUS_SHIPPED: (),
    ORDER_STATUS_CANCELLED: (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# The shop's bank account for transfers (shown on the confirmation and in the email).
SHOP_IBAN = env("SHOP_IBAN", default="NL91 ABNA 0417 1643 00")
SHOP_ACCOUNT_HOLDER = env("SHOP_ACCOUNT_HOLDER", default="Magnesiumwinkel B.V.")
# Consumer prices are entered including this btw rate (food supplements: reduced rate).
SHOP_VAT_RATE = "0.09"

# --- Mollie (issue 18): iDEAL, cards and Bancontact on Mollie's hosted checkout ------------------
# No key, no online payment: the checkout offers bank transfer only. A `test_` key takes test
# payments (nothing is charged), a `live_` key real ones; the dashboard shows which (shop.mollie).
MOLLIE_API_KEY = env("MOLLIE_API_KEY", default="")
# Tests and local demos only: point the official client at a double of Mollie's API
# (tests/shop/mollie_double.py). Empty means Mollie's own https://api.mollie.com.
MOLLIE_API_ENDPOINT = env("MOLLIE_API_ENDPOINT", default="")
if MOLLIE_API_ENDPOINT and MOLLIE_API_KEY.startswith("live_"):
    # A live key is sent to Mollie only, never to a double or another host.
    raise ImproperlyConfigured("MOLLIE_API_ENDPOINT is for tests: unset it with a live_ key.")
# Mollie's methods the checkout may offer, when the account has them enabled.
MOLLIE_METHODS = env.list("MOLLIE_METHODS", default=["ideal", "creditcard", "bancontact"])
# Seconds to connect to / wait for Mollie; a slow Mollie makes the checkout fall back to bank
# transfer rather than hang.
MOLLIE_TIMEOUT = (
    env.float("MOLLIE_CONNECT_TIMEOUT", default=3),
    env.float("MOLLIE_TIMEOUT", default=10),
)
MOLLIE_METHODS_CACHE_SECONDS = env.int("MOLLIE_METHODS_CACHE_SECONDS", default=300)
# --- Home page and service promises (issue 19) ----------------------------------------------
# The home page at / (features.storefront.views.HomeView); Oscar's product list stays at /catalogue/.
OSCAR_HOMEPAGE = reverse_lazy("storefront:home")
# What the home page, the footer and the Standard shipping method promise. The free-shipping
# threshold is the Standard method's (shop.shipping.methods), the btw rate SHOP_VAT_RATE above.
SHOP_DELIVERY_WORKDAYS = "1-2"
SHOP_WITHDRAWAL_DAYS = 14
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": "Winkel",
        "icon": "fas fa-store",
        "children": [
            {"label": "Homepage", "url_name": "storefront_dashboard:homepage-update"},
            {"label": "Kennisbank → omzet", "url_name": "storefront_dashboard:guide-revenue"},
        ],
    },
]
# --- Several app servers behind an HTTP cache (issue 17, `make cluster`) -------------------
# Every part is off unless its variable is set: `make run` and `make test` need none of them.
#
# Varnish (or any proxy with xkey-style tag purges) in front: shared pages carry their cache
# tags in an `xkey` header (features.edge.tags), and every write sends a PURGE with the tags of the
# pages it makes stale to each of these URLs (features.edge.purge; cluster/shop.vcl takes it).
SHOP_PROXY_PURGE_URLS = env.list("SHOP_PROXY_PURGE_URLS", default=[])
SHOP_PROXY_PURGE_TIMEOUT = env.float("SHOP_PROXY_PURGE_TIMEOUT", default=0.5)
# The purge is sent again after this long: for a page whose render read the old rows and reached
# the proxy just after the first purge (one rendered while the write committed is not kept at all:
# features.edge.middleware), so an edit shows within a second even then.
SHOP_PROXY_REPURGE_SECONDS = env.float("SHOP_PROXY_REPURGE_SECONDS", default=1)

# Media (product photos, thumbnails, guide images) in S3-compatible object storage when a bucket
# is named, through django-storages exactly as for a real bucket; credentials from boto3's usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. AWS_S3_CUSTOM_DOMAIN: the host (and path) visitors
# fetch media from, e.g. the proxy that serves the bucket under /media/ on the shop's own host
# (the storefront's CSP allows images from the shop's host only).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_S3_URL_PROTOCOL = env("AWS_S3_URL_PROTOCOL", default="https:")
    AWS_QUERYSTRING_AUTH = False  # media are public: plain URLs, cacheable by the proxy
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=2592000"}
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    THUMBNAIL_STORAGE = "features.edge.storage.ThumbnailStorage"

# The task queue (shop.celery): purges, outbox mail. Without a broker the work is done as
# before (purges at once, mail by `manage.py send_queued_mail`).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="shop")
# A worker killed mid-task leaves the message unacknowledged: it is delivered again, so tasks
# are idempotent. One message at a time per worker process, so a killed one strands one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# A broker that is down costs a request at most about a second (then the caller falls back).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# The view and click counters kept in the cache are written to the database every 5 minutes
# (features.perf.tasks, features.storefront.tasks; by hand: the flush_* commands). A run
# not started within its period is dropped (expires): the next one takes all that is left.
# Read by beat only, so harmless without a broker.
CELERY_BEAT_SCHEDULE = {
    "product-views": {
        "task": "features.perf.tasks.flush_product_views",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
    "guide-counts": {
        "task": "features.storefront.tasks.flush_guide_counts",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
}
if CELERY_BROKER_URL:
    # Each queued mail is sent by a task once its transaction commits (post_office.tasks),
    # instead of waiting for the cron worker; mail that could not be delivered is retried by the
    # same task every minute (Celery beat, run by one worker: `celery worker --beat`).
    POST_OFFICE["CELERY_ENABLED"] = True
    CELERY_BEAT_SCHEDULE["outbox"] = {
        "task": "post_office.tasks.send_queued_mail",
        "schedule": 60.0,
    }

# Health endpoint for the load balancer (features.edge.health, /gezondheid/): database, cache,
# storage and (with a queue) the broker.
SHOP_HEALTH_CHECK = env.bool("SHOP_HEALTH_CHECK", default=False)
if SHOP_HEALTH_CHECK:
    INSTALLED_APPS += ["health_check"]
