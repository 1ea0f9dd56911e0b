"""Template source checks that rendering tests would only catch page by page."""

from pathlib import Path

from django.conf import settings


def test_no_comment_tag_spans_lines():
    """Django's ``{# #}`` comment is one line only: split over two lines, its text appears on
    the page (it once printed a note about the CSP above every page's header)."""
    broken = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.count("{#") != line.count("#}"):
                broken.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert broken == []
