"""Keeps credentials out of botocore's log records and of error messages.

botocore logs every request at DEBUG with its headers and canonical request,
and every answer with its body; with temporary credentials those include
``X-Amz-Security-Token``, and AWS quotes the signed headers back in the
message of a signature it refuses. A filter on every botocore logger
replaces a registered secret, and the value of any security-token header,
with ``***`` before a handler sees the record; the service's parser does the
same to error messages (:func:`redact_secrets`). A secret is replaced only
as a whole token (not inside a longer run of key characters), so a short
secret never mangles unrelated text, and it is held only as long as the
object that registered it lives.
Filters run only for records that pass the logger's level, so this costs
nothing unless botocore DEBUG logging is on.
"""

import logging
import re
import threading
import weakref

BOTOCORE_LOGGERS = "botocore"
REDACTED = "***"
# A security token quoted as a header (``x-amz-security-token:...``) or a
# query parameter (``X-Amz-Security-Token=...``), up to the end of its value.
TOKEN_HEADER = re.compile(
    r"(x-amz-security-token['\"]?\s*[:=]\s*['\"]?)[^\s'\"\\,&]+", re.IGNORECASE
)
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
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

    def redact(self, text: str) -> str:
        """Replace every registered secret and security-token value in ``text``.

        Args:
            text: Any text.

        Returns:
            The text with each secret replaced by ``***``.
        """
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        return TOKEN_HEADER.sub(r"\g<1>" + REDACTED, text)


SECRETS_FILTER = SecretRedactingFilter()


def redact_secrets(text: str) -> str:
    """Replace the secrets of every live service, and token values, in ``text``.

    Args:
        text: Any text, such as an error message quoting a request.

    Returns:
        The text with each secret replaced by ``***``.
    """
    return SECRETS_FILTER.redact(text)


def redact_from_botocore_logs(owner: object, secrets: list[str]) -> None:
    """Make sure ``secrets`` never appear in botocore's log records.

    The filter goes on every botocore logger that exists once the client is
    built (a logger's filter sees only that logger's own records).

    Args:
        owner: The object whose lifetime bounds the redaction.
        secrets: The secret key, session token or other values to hide.
    """
    SECRETS_FILTER.register(owner, secrets)
    names = [BOTOCORE_LOGGERS] + [
        name
        for name in list(logging.Logger.manager.loggerDict)
        if name.startswith(BOTOCORE_LOGGERS + ".")
    ]
    for name in names:
        logger = logging.getLogger(name)
        if SECRETS_FILTER not in logger.filters:
            logger.addFilter(SECRETS_FILTER)
