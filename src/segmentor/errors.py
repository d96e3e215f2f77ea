"""The user errors of segmentor: :class:`foundation.errors.UserError` for this product."""

from __future__ import annotations

from foundation.errors import UserError


class SegmentorError(UserError):
    """A user error of segmentor, rendered as one line: where, what was found, and the fix."""
