"""All configuration comes from environment variables; see .env.example."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused in production below
DEMO_PASSWORD = "jumin-demo"  # noqa: S105 - refused in production below

DEBUG = env_bool("DJANGO_DEBUG")
PRODUCTION = env_bool("JUMIN_PRODUCTION")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
# Old keys still accepted for sessions and password-reset links. Changing DJANGO_SECRET_KEY logs everyone out and
# changes nothing else: the ID numbers have their own keys below (README「密钥轮换」).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
# The key the 身份证号 are encrypted with (Fernet, derived with PBKDF2 from this text and each salt), and older keys
# still tried for decryption until `manage.py rotate_keys` has re-encrypted every row. Unset, it is what older
# versions derived it from — DJANGO_SECRET_KEY and its fallbacks — so an upgraded deployment reads its data as
# before; set it (to the current DJANGO_SECRET_KEY, or rotate to a new one) before the secret key ever changes.
ID_KEY_FROM_SECRET_KEY = not os.environ.get("JUMIN_ID_KEY")
ID_KEY = os.environ.get("JUMIN_ID_KEY") or SECRET_KEY
ID_KEY_FALLBACKS = env_list("JUMIN_ID_KEY_FALLBACKS") + (SECRET_KEY_FALLBACKS if ID_KEY_FROM_SECRET_KEY else [])
# Salts for those keys; a comma-separated list keeps older salts for decryption (the first one encrypts).
SALT_KEY = env_list("JUMIN_FIELD_SALT", "dev-only-field-salt")
# Key of the blind index (id_hash: matching and de-duplicating ID numbers without decrypting), and older keys whose
# hashes still match while `manage.py rotate_keys` rebuilds the index.
BLIND_INDEX_KEY = os.environ.get("JUMIN_BLIND_INDEX_KEY", "dev-only-blind-index-key")
BLIND_INDEX_KEY_FALLBACKS = env_list("JUMIN_BLIND_INDEX_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Demo accounts are loaded with this password; production must not accept it.
ALLOW_DEMO_PASSWORD = not PRODUCTION

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("生产环境不能开启 DEBUG")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("生产环境必须设置 DJANGO_SECRET_KEY(至少 32 个字符)")
    if any(salt.startswith("dev-only") for salt in SALT_KEY) or BLIND_INDEX_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("生产环境必须设置 JUMIN_FIELD_SALT 与 JUMIN_BLIND_INDEX_KEY")
    if ID_KEY == DEV_SECRET_KEY or len(ID_KEY) < 32:
        raise ImproperlyConfigured("生产环境的 JUMIN_ID_KEY 至少 32 个字符")


def jumin_apps() -> list[str]:
    """Every package under jumin/ with an apps.py is an app: a new part of the platform plugs in from its own
    apps.py without editing this file. The layers come in order (core ← places ← people ← cases ← domain apps
    ← dashboards ← demo ← api), so registrations and template lookups follow them."""
    first = ["core", "places", "people", "cases"]
    last = ["dashboards", "demo", "api"]
    found = {p.parent.name for p in (BASE_DIR / "jumin").glob("*/apps.py")}
    domain = sorted(found - set(first) - set(last))
    return [f"jumin.{name}" for name in [*first, *domain, *last] if name in found]


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    *jumin_apps(),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jumin.core.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

# No inline script or style anywhere: pages load static/js and static/css only (htmx's own indicator style is off,
# see the htmx-config meta tag in base.html). The API docs page adds the inline styles Swagger UI needs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "jumin.core.context_processors.shell",
            ],
        },
    },
    # For the few hot partials where Django templates cost more than the rest of the request (the register's list
    # rows): <app>/jinja2/ folders, autoescaped, no context processors.
    {"BACKEND": "django.template.backends.jinja2.Jinja2", "APP_DIRS": True, "OPTIONS": {"autoescape": True}},
]


def database_config() -> dict:
    # Connections live across requests: opening and closing one was a tenth of a list page's CPU. The health check
    # replaces a connection that went away (a restarted PostgreSQL) before the request uses it.
    conn_max_age = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
            # busy timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # Run on every new connection (Django's sqlite backend), so a persistent one has them too.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        # A file, not shared-cache memory: only a real file gives threads in race tests WAL and the busy timeout.
        # One per test process, so two runs on one machine never share it; pytest-django deletes it afterwards.
        "TEST": {
            "NAME": os.environ.get("SQLITE_TEST_PATH")
            or os.path.join(tempfile.gettempdir(), f"jumin-test-{os.getpid()}.sqlite3")
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jumin.core.backends.PhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jumin.core.validators.NotDemoPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "8"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files no URL serves (signed mediation agreements); views stream them after a permission check.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# Without collectstatic (make run, tests) WhiteNoise serves straight from the app and project static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Behind a reverse proxy that terminates HTTPS (README「部署」): JUMIN_BEHIND_HTTPS_PROXY=1.
if env_bool("JUMIN_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: a year in production (browsers take it only over HTTPS, so a plain-HTTP bench is unaffected); 0 turns it off.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

PAGE_SIZE = 20

# Mobile API bearer tokens: dropped after this many days unused, and after this many days whatever happens.
API_TOKEN_IDLE_DAYS = int(os.environ.get("JUMIN_API_TOKEN_IDLE_DAYS", "30"))
API_TOKEN_MAX_DAYS = int(os.environ.get("JUMIN_API_TOKEN_MAX_DAYS", "180"))

# Where text messages go: the console backend logs them (number masked); a deployment plugs in its SMS gateway
# with a class that has send(phone, text).
SMS_BACKEND = os.environ.get("JUMIN_SMS_BACKEND", "jumin.cases.notify.ConsoleSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
