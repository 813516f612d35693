"""The encrypted 身份证号 column, keyed by settings.ID_KEY (not DJANGO_SECRET_KEY) with ID_KEY_FALLBACKS for reading.

The derivation is django-fernet-encrypted-fields' own — PBKDF2-SHA256(key, salt, 100,000 rounds) for every key ×
salt, the first pair encrypting — so ciphertexts written before these settings existed (key = DJANGO_SECRET_KEY)
still decrypt while ID_KEY defaults to it."""

import base64
import functools

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from encrypted_fields.fields import EncryptedCharField


def derive_key(secret: str, salt: str) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=100_000)
    return base64.urlsafe_b64encode(kdf.derive(secret.encode()))


@functools.lru_cache(maxsize=8)
def _fernets(secrets: tuple[str, ...], salts: tuple[str, ...]) -> tuple[Fernet, ...]:
    return tuple(Fernet(derive_key(secret, salt)) for secret in secrets for salt in salts)


def id_fernets() -> tuple[Fernet, ...]:
    """The current key first (it encrypts), then every fallback, each with every salt."""
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list | tuple) else [settings.SALT_KEY]
    secrets = [settings.ID_KEY, *(k for k in settings.ID_KEY_FALLBACKS if k != settings.ID_KEY)]
    return _fernets(tuple(secrets), tuple(salts))


def primary_fernet() -> Fernet:
    return id_fernets()[0]


class IdNumberField(EncryptedCharField):
    """Read from settings on every use (cached per key set), so a rotation or a test's settings take effect
    without a restart of the field."""

    @property
    def f(self):
        fernets = id_fernets()
        return fernets[0] if len(fernets) == 1 else MultiFernet(list(fernets))
