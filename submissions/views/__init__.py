"""Contribution pages, by subject: ``evidence`` (prior art) and ``comments``.

Views stay thin: a form validates the input, a selector reads, a service writes, and the
permission helpers decide what is shown. What a service refuses comes back to the person
as form errors (ValidationError), a 403 page that says why (PermissionDenied) or a 429
page that keeps their input (RateLimited).
"""

from .comments import (
    comment_edit,
    comment_flag,
    comment_hide,
    comment_post,
)
from .evidence import (
    attachment,
    detail,
    edit,
    flag,
    rate,
    submit,
    withdraw,
)

__all__ = [
    "attachment",
    "comment_edit",
    "comment_flag",
    "comment_hide",
    "comment_post",
    "detail",
    "edit",
    "flag",
    "rate",
    "submit",
    "withdraw",
]
