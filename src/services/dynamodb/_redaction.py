"""Keeps configured secrets out of botocore's own DEBUG log records.

botocore logs every request at DEBUG with its headers and canonical request,
and with temporary credentials those include ``X-Amz-Security-Token``. A
filter on those loggers replaces any configured secret with ``***`` before a
handler sees the record. Filters run only for records that pass the logger's
level, so this costs nothing unless botocore DEBUG logging is on.
"""

import logging
import threading

BOTOCORE_REQUEST_LOGGERS = ("botocore.auth", "botocore.endpoint", "botocore.hooks")
REDACTED = "***"


class SecretRedactingFilter(logging.Filter):
    """Rewrites records whose message holds one of the registered secrets."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def add(self, secrets: list[str]) -> None:
        """Register more secrets to redact.

        Args:
            secrets: Secret strings; empty ones are ignored.
        """
        with self._lock:
            self._secrets = self._secrets | {s for s in secrets if s}

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place when it holds a secret.

        Args:
            record: The record about to be handled.

        Returns:
            Always True: records are rewritten, never dropped.
        """
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, REDACTED)
            record.msg, record.args = message, None
        return True


_FILTER = SecretRedactingFilter()


def redact_from_botocore_logs(secrets: list[str]) -> None:
    """Make sure ``secrets`` never appear in botocore's request log records.

    Args:
        secrets: The secret key, session token or other values to hide.
    """
    _FILTER.add(secrets)
    for name in BOTOCORE_REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
