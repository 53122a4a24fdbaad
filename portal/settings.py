"""The one settings module: every deployment difference comes from the environment.

Local runs need nothing: SQLite under var/, a file-system Celery broker and the
local-memory cache. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key():
    """A random key kept under var/ so local sessions survive restarts; never used in production."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
# Set only by the test run (pyproject.toml's pytest env, the Makefile): static files then come
# from the finders, so no collectstatic is needed first. Nothing else switches it on.
TESTING = env_bool("PORTAL_TESTING")
DEBUG = env_bool("DEBUG")
# Sites are data (columns.Site host names); the site middleware answers unknown hosts with 404.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Split deployment [G八(二)]: "public" serves no admin, "admin" serves only admin and staff URLs.
PORTAL_ROLE = os.environ.get("PORTAL_ROLE", "all")
if PORTAL_ROLE not in {"all", "public", "admin"}:
    raise ValueError(f"PORTAL_ROLE must be all, public or admin, not {PORTAL_ROLE!r}")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the workbench index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "guardian",
    "axes",
    "captcha",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI served from our own static files: government intranets have no CDN.
    "drf_spectacular_sidecar",
    "django_filters",
    "tinymce",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The platform, bottom to top:
    # columns <- publishing <- interaction <- disclosure <- monitoring <- portal.
    "columns",
    "publishing",
    "interaction",
    "disclosure",
    "monitoring",
    "portal",
    # Above portal: renders the public pages portal composes into static files.
    "staticsite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts public page visits (cache hits too) in cache counters; no database write.
    "monitoring.visits.VisitCountingMiddleware",
    # Cached public pages are answered here, before sessions and the database.
    "portal.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Chinese pages for empty 400/403/405 answers; malformed admin query strings are a 400.
    "portal.middleware.ErrorPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SiteMiddleware",
    "portal.middleware.SiteAvailabilityMiddleware",
    # Before the password change: a role that needs the second factor shows it first.
    "columns.second_factor.SecondFactorMiddleware",
    "portal.middleware.PasswordExpiryMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.current_site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {
                # WAL and immediate transactions let web, worker and beat share one file.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache and Celery ----------------------------------------------------------------------
def _redis_db(url, shift):
    """url with its database number moved by shift (modulo Redis's default 16 databases)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{(int(parts.path.strip('/') or 0) + shift) % 16}"))


# REDIS_URL is the Celery broker, CACHE_REDIS_URL the caches: unique URLs must not fill the
# broker's memory until it refuses tasks. By default the next database of the same Redis;
# deploy/redis/ runs the cache as its own instance with maxmemory and allkeys-lru.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "") or (REDIS_URL and _redis_db(REDIS_URL, 1))
if REDIS_URL and TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    # Each parallel test worker gets its own two Redis databases: clearing the cache between
    # tests flushes a whole database, which must not wipe another worker's counters or queue.
    _shift = 2 * int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL, CACHE_REDIS_URL = _redis_db(REDIS_URL, _shift), _redis_db(CACHE_REDIS_URL, _shift)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            # Redis down must not take public pages down: a miss is served from the database.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcasts (ping, inspect) too: else a control/ folder appears wherever one runs.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

# Visit counters (monitoring.visits) must be shared by the web processes and the worker.
CACHES["visits"] = (
    CACHES["default"]
    if REDIS_URL or TESTING
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "visit-counters",
    }
)
# The public page cache (portal.caching) must be shared by the web processes and the worker
# too: a page cached in one process is made stale by a publication in another.
CACHES["pages"] = (
    CACHES["default"]
    if REDIS_URL or TESTING
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "page-cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
)

CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_RESULT_BACKEND = None
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Authentication ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule on the password: its password_changed() hook records when a password was set.
    {"NAME": "columns.passwords.PasswordAgeRecorder"},
]
if TESTING:
    # Hashing cost is not what the tests measure; the demo creates a dozen accounts.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
LOGIN_URL = "admin:login"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
# Where a login goes when its ?next= is refused as unsafe (Django's default is a 404).
LOGIN_REDIRECT_URL = "admin:index"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
# An account is locked at the address its failures came from: an office behind one NAT
# address is not locked out by one person's mistyped password.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic writes and nginx serves /static/ from (deploy/nginx alias).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Random folder per upload, pictures stripped of metadata (columns.media).
    "default": {"BACKEND": "columns.media.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not TESTING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.gov.cn")

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务门户开放数据接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": "只读开放数据：栏目、已发布信息、办事服务事项、公开留言。只包含公开内容。",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ArticleKindEnum": "publishing.models.ArticleKind",
        "ServiceKindEnum": "publishing.models.ServiceKind",
        "ServiceDocumentKindEnum": "publishing.models.ServiceDocument.Kind",
        "MessageKindEnum": "interaction.models.MessageKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.document_error_answers",
    ],
}

# --- Rich text (TinyMCE is vendored inside django-tinymce: no CDN) -------------------------
TINYMCE_DEFAULT_CONFIG = {
    # TinyMCE 7 under its open-source licence (GPL); without it the editor says it runs in
    # evaluation mode.
    "license_key": "gpl",
    "height": 420,
    "menubar": False,
    "language": "zh_CN",
    "plugins": "lists link image table code",
    "toolbar": "undo redo | blocks | bold italic | bullist numlist | link image table | code",
    # Pasting from Word keeps headings, lists and tables but none of its styling; pictures
    # come in as uploads (checked), never as data: URLs. The server cleans again on save.
    "paste_data_images": False,
    "paste_webkit_styles": "none",
    "paste_remove_styles_if_webkit": True,
    "valid_styles": {"*": ""},
    "valid_classes": {"*": ""},
    # The resize handle carries an ARIA attribute its role does not allow (axe).
    "resize": False,
}

FORMS_URLFIELD_ASSUME_HTTPS = True
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE")
# Forms show captchas from a pool the worker refills (interaction.captcha_pool): an anonymous
# GET writes no row. Entries live 2 hours; one with less than 30 minutes left is not shown.
CAPTCHA_GET_FROM_POOL = True
CAPTCHA_TIMEOUT = 120
CAPTCHA_GET_FROM_POOL_TIMEOUT = 30
CAPTCHA_POOL_SIZE = int(os.environ.get("CAPTCHA_POOL_SIZE", "500"))
# A sum people can read (issue 17: 0 of 6 read the letters): large upright digits, no arcs or
# dots; a button draws another sum, and it is also read aloud (interaction/captcha_speech.sh).
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LETTER_ROTATION = (-4, 5)
CAPTCHA_NOISE_FUNCTIONS = ()
CAPTCHA_FILTER_FUNCTIONS = ()
CAPTCHA_IMAGE_SIZE = (200, 64)
CAPTCHA_2X_IMAGE = False  # a fixed size would crop the double-size drawing
CAPTCHA_FOREGROUND_COLOR = "#1a1a1a"
# Signs travel with the digit before them, so they sit on its line, not at the top.
CAPTCHA_PUNCTUATION = "×-="
# Read aloud in Mandarin by espeak-ng (.ci/run and the README install it); without it the form
# offers no audio rather than a broken player.
CAPTCHA_FLITE_PATH = (
    str(BASE_DIR / "interaction" / "captcha_speech.sh")
    if os.path.exists("/usr/bin/espeak-ng")
    else None
)

# === Security and production (ops) =========================================================
# One switch, PORTAL_PRODUCTION=1, turns on what `manage.py check --deploy` asks for: HTTPS only
# (nginx terminates TLS and sends X-Forwarded-Proto), HSTS, secure cookies and a Content
# Security Policy. Each value can still be set on its own; deploy/portal.env.example lists them.
PRODUCTION = env_bool("PORTAL_PRODUCTION")
if PRODUCTION and DEBUG:
    raise ValueError("DEBUG must be off when PORTAL_PRODUCTION is set")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# The scheme of a site's absolute addresses (columns.site_urls): links from one site to another
# site's pages, sitemap.xml, feeds and the open-data API's url fields.
SITE_SCHEME = os.environ.get("SITE_SCHEME", "https" if SECURE_SSL_REDIRECT else "http")
# The port in those addresses when the sites are not served on the scheme's own (a development
# server on 127.0.0.1:8000 with the demo's *.localhost names); empty in production.
SITE_PORT = os.environ.get("SITE_PORT", "")
# The load balancer's health probe speaks plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# No inline script anywhere (admin, TinyMCE and the public pages load scripts from files).
# Inline styles stay allowed: TinyMCE writes style attributes into its editor and the admin
# templates use a few; tests/security/test_headers.py drives the pages under this policy.
CSP_ENABLED = env_bool("CSP_ENABLED", PRODUCTION)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
if CSP_ENABLED:
    INSTALLED_APPS.append("csp")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "csp.middleware.CSPMiddleware",
    )

# Behind nginx every request comes from 127.0.0.1: rate limits, the lock-out and the operation
# log take the client's address from X-Forwarded-For / X-Real-IP, but only when the request
# came from one of these proxies (addresses or networks); see columns.client_address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else "")
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo stops the start, not every request
AXES_CLIENT_IP_CALLABLE = "columns.client_address.client_address"

# 双因素认证: the roles (columns.models.Role values) whose holders confirm every login with a
# TOTP code from an authenticator app, e.g. SECOND_FACTOR_ROLES=operator,inspector.
SECOND_FACTOR_ROLES = env_list("SECOND_FACTOR_ROLES", "")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "政务门户集约化平台")

# Uploads are served by columns.views.media_file after its permission check; in production
# the view only answers X-Accel-Redirect and nginx sends the file from this internal location.
MEDIA_ACCEL_REDIRECT = env_bool("MEDIA_ACCEL_REDIRECT", PRODUCTION)
MEDIA_ACCEL_LOCATION = "/internal-media/"

# Daily backups (portal.backups): where they go and how many are kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
# === end of security and production ========================================================

# --- Static pages (staticsite/) -------------------------------------------------------------
# Public pages written as files, one folder per host, for the web server to serve first.
STATIC_PAGES_ROOT = Path(os.environ.get("STATIC_PAGES_ROOT", VAR_DIR / "pages"))
# Changes re-render their pages (through Celery); off under tests except where they ask for it.
STATIC_PAGES_ENABLED = env_bool("STATIC_PAGES_ENABLED", not TESTING)
# How long a render waits after a change, so that a burst of edits (ten in a second) renders
# each page once; part of every approval's time to the files.
STATIC_PAGES_COALESCE_SECONDS = float(os.environ.get("STATIC_PAGES_COALESCE_SECONDS", "1"))
# How many live answers the hourly tamper check (staticsite.tamper) requests through the web
# server at MONITORING_SITE_ADDRESS; every file on disk is checked.
STATIC_PAGES_TAMPER_SAMPLE = int(os.environ.get("STATIC_PAGES_TAMPER_SAMPLE", "50"))
# The log of the published pages nginx on this machine answers (portal-public.conf's
# portal_pages log), counted as visits by the workers: a one-host installation, no public host.
STATIC_PAGES_LOCAL_ACCESS_LOG = os.environ.get("STATIC_PAGES_LOCAL_ACCESS_LOG", "")
# The application answers the files itself (`make run`, no nginx); in production nginx does.
STATIC_PAGES_SERVE = env_bool("STATIC_PAGES_SERVE")
if STATIC_PAGES_SERVE:
    # Below the middlewares that add security headers and the visit counter (which counts its
    # answers as it counts the application's), above the site's database lookups.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("portal.middleware.SiteMiddleware"),
        "staticsite.serving.PublishedFileMiddleware",
    )

# --- Monitoring (monitoring/) ---------------------------------------------------------------
MONITORING_SITE_SCHEME = os.environ.get("MONITORING_SITE_SCHEME", "http")
# host[:port] where probes, link checks and tamper checks reach the sites' own pages, each with
# its own host name in the Host header (and TLS server name): e.g. 127.0.0.1 to go through the
# local nginx when the monitor's DNS does not resolve the public names; `make run` sets the
# address it serves. Empty: where the sites' host names resolve.
MONITORING_SITE_ADDRESS = os.environ.get("MONITORING_SITE_ADDRESS", "")
MONITORING_HTTP_TIMEOUT = float(os.environ.get("MONITORING_HTTP_TIMEOUT", "10"))
# The national indicator counts a homepage that does not load within 15 s as unreachable.
MONITORING_PROBE_TIMEOUT = 15
MONITORING_CRAWL_MAX_PAGES = int(os.environ.get("MONITORING_CRAWL_MAX_PAGES", "500"))
MONITORING_CRAWL_PER_HOST = 2
MONITORING_CRAWL_WORKERS = 8
# Articles whose text in the database the hourly tamper check (staticsite.tasks.
# check_served_pages) compares with the approved text, the longest unchecked first: no request
# each, only the database, so a large batch is cheap.
MONITORING_TAMPER_BATCH = 2000
# Link checks request only public addresses (publishing.outbound); networks listed here
# (comma-separated CIDRs, e.g. an intranet mirror the operator vouches for) are let through.
OUTBOUND_ALLOWED_NETWORKS = env_list("OUTBOUND_ALLOWED_NETWORKS")
# Operation and security logs are kept at least 6 months [G八(三)]; never less than 180.
OPERATION_LOG_RETENTION_DAYS = int(os.environ.get("OPERATION_LOG_RETENTION_DAYS", "180"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
