"""Showing whose words a content item is: the notice's, or the office's own guidance.

Content marks with ``basis: office`` what the office explains or advises but the
notice does not state (:mod:`dialogs.schema`). An applicant must be able to tell
the two apart, so every place that shows such an item's text labels it.
"""

from __future__ import annotations

from dialogs.i18n import Translator
from dialogs.schema import Text


def stated(item: object, text: Text, tr: Translator) -> str:
    """``text`` of ``item`` in the reader's language, labelled when it is the office's guidance, not the notice."""
    line = text.get(tr.lang)
    if getattr(item, "basis", "notice") == "office":
        return tr.gettext("Office guidance (not in the notice): {text}").format(text=line)
    return line
