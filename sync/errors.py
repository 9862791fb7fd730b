"""Errors the engine raises. Each carries stable English wording (the web app translates it) and,
where fields are at fault, a `{field: [message, ...]}` structure."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every error the engine raises on purpose."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ProtocolError(SyncError):
    """A request the engine cannot read (bad cursor, unknown choice…): the caller answers 4xx."""

    def __init__(self, errors: dict[str, list[str]], message: str = "The request is not valid.") -> None:
        super().__init__(message, errors)


class BatchError(ProtocolError):
    """A push envelope refused as a whole: nothing was stored. Field paths are dotted
    (`mutations.3.op`) so one flat `{field: [message]}` describes any depth."""

    def __init__(self, errors: dict[str, list[str]], message: str = "The batch is not valid; nothing was stored.") -> None:
        super().__init__(errors, message)


class ResolveError(SyncError):
    """A conflict resolution refused. `code`: not_found, forbidden, already_resolved, invalid, still_conflicts."""

    def __init__(self, code: str, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message, errors)
        self.code = code


class MediaError(SyncError):
    """An upload refused. `code`: bad_id, empty, too_large, hash_mismatch, unsupported_type,
    type_mismatch, id_taken."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class DerivedWorkError(SyncError):
    """An entity's after-apply work failed: a server fault, not the batch's. The whole push is rolled
    back (nothing stored) and the device sends it again later."""

    def __init__(self, entity: str) -> None:
        super().__init__(f"The work derived from {entity!r} failed; nothing was stored.")
        self.entity = entity
