"""The one error hierarchy the services raise and the UI shows.

Every message is written for the person at the bench: what was wrong, and what to do.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the warehouse refused the action; ``message`` is fit to show as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ForbiddenTransition(DomainError):
    """An order cannot move from its status to the one asked for."""


class NotAllowed(DomainError):
    """The signed-in user's role does not allow the action."""


class LoginFailed(DomainError):
    """Unknown badge, wrong PIN, or a locked or inactive user."""


class UserLockedOut(LoginFailed):
    """Too many wrong PINs in a row; the user waits or a supervisor unlocks."""


class InvalidQuantities(DomainError):
    """An order line's quantities would contradict each other."""


class InvalidBarcode(DomainError):
    """A barcode that cannot be a product's (bad check digit, wrong length)."""


class NotFound(DomainError):
    """The order, product or user asked for does not exist."""
