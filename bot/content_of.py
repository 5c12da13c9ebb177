"""The content a submission is read in: the version it was made under.

A submission keeps the number of the content version in force when it was made
(:class:`bot.service.Desk`, ``content_number``). Staff read it, and the applicant
reads what is said about it, in that version's words: a track or a document item
renamed or removed since is still named as the applicant saw it. A submission made
before versions were kept, or whose version is gone or no longer loads with this
bot, is read in the version in force.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.content_live import LiveContent
from dialogs.loader import Content
from dialogs.problems import ContentError

log = logging.getLogger(__name__)

#: ``await content_of(number)``: the content of version ``number`` (None: the one in force).
ContentOf = Callable[[int | None], Awaitable[Content]]


def in_force(content: Callable[[], Content]) -> ContentOf:
    """Every submission read in the content in force (a bot run on fixed content, without versions)."""

    async def content_of(_number: int | None) -> Content:
        return content()

    return content_of


def of_versions(live: LiveContent) -> ContentOf:
    """Each submission read in the version it was made under, from the versions ``live`` follows."""

    async def content_of(number: int | None) -> Content:
        if number is None or number == live.number:
            return live()
        try:
            found = await live.version(number)
        except ContentError as error:
            log.warning("content version %d no longer loads (%s): the version in force is shown", number, error)
            return live()
        if found is None:
            log.warning("content version %d is not stored: the version in force is shown", number)
            return live()
        return found

    return content_of
