"""The user errors of SeREADipity: :class:`foundation.errors.UserError` for this product.

The CLI turns a :class:`SereadipityError` into one line on stderr and exit code 2, the web
page into an error box; library code only raises it.
"""

from __future__ import annotations

from foundation.errors import UserError


class SereadipityError(UserError):
    """A user error rendered as one line: where, what went wrong, and the fix."""
