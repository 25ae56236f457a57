"""Keeps credentials out of botocore's own DEBUG log records.

botocore logs every request at DEBUG with its headers and canonical request,
and with temporary credentials those include ``X-Amz-Security-Token``. A
filter on those loggers replaces a registered secret with ``***`` before a
handler sees the record. A secret is replaced only as a whole token (not inside
a longer run of key characters), so a short secret never mangles unrelated
text, and it is held only as long as the object that registered it lives.
Filters run only for records that pass the logger's level, so this costs
nothing unless botocore DEBUG logging is on.
"""

import logging
import re
import threading
import weakref

BOTOCORE_REQUEST_LOGGERS = ("botocore.auth", "botocore.endpoint", "botocore.hooks")
REDACTED = "***"
# Characters of access keys and tokens (base64 and URL-safe base64): a secret
# counts only where it is not part of a longer run of them.
TOKEN_CHARACTERS = r"A-Za-z0-9+/=_\-"


class SecretRedactingFilter(logging.Filter):
    """Rewrites records that hold one of the registered secrets."""

    def __init__(self) -> None:
        super().__init__()
        self._by_owner: dict[int, frozenset[str]] = {}
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def register(self, owner: object, secrets: list[str]) -> None:
        """Redact ``secrets`` for as long as ``owner`` lives.

        Args:
            owner: The object the secrets belong to (a service's connection).
            secrets: Secret strings; empty ones are ignored.
        """
        kept = frozenset(secret for secret in secrets if secret)
        if not kept:
            return
        with self._lock:
            self._by_owner[id(owner)] = kept
            self._compile()
        weakref.finalize(owner, self.forget, id(owner))

    def forget(self, owner_id: int) -> None:
        """Stop redacting the secrets of an owner that is gone.

        Args:
            owner_id: ``id()`` of the owner given to :meth:`register`.
        """
        with self._lock:
            if self._by_owner.pop(owner_id, None) is not None:
                self._compile()

    def holds(self, secret: str) -> bool:
        """Tell whether ``secret`` is still registered (for tests).

        Args:
            secret: The secret to look for.

        Returns:
            True while an owner of ``secret`` lives.
        """
        return any(secret in secrets for secrets in self._by_owner.values())

    def _compile(self) -> None:
        secrets = sorted(set().union(*self._by_owner.values()), key=len, reverse=True)
        if not secrets:
            self._pattern = None
            return
        alternatives = "|".join(re.escape(secret) for secret in secrets)
        self._pattern = re.compile(
            f"(?<![{TOKEN_CHARACTERS}])(?:{alternatives})(?![{TOKEN_CHARACTERS}])"
        )

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place when it holds a secret.

        Args:
            record: The record about to be handled.

        Returns:
            Always True: records are rewritten, never dropped.
        """
        pattern = self._pattern
        if pattern is None:
            return True
        message = record.getMessage()
        redacted = pattern.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


SECRETS_FILTER = SecretRedactingFilter()


def redact_from_botocore_logs(owner: object, secrets: list[str]) -> None:
    """Make sure ``secrets`` never appear in botocore's request log records.

    Args:
        owner: The object whose lifetime bounds the redaction.
        secrets: The secret key, session token or other values to hide.
    """
    SECRETS_FILTER.register(owner, secrets)
    for name in BOTOCORE_REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if SECRETS_FILTER not in logger.filters:
            logger.addFilter(SECRETS_FILTER)
