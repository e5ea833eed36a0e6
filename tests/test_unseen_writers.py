"""Writers of sites never seen: a byline marked ``itemprop="author"``, and readers' comments left out.

A byline that marks its name with microdata and no link ("Pewarta: <span itemprop="author">…</span>",
Antara's and viva's markup) names the writer. WordPress themes (GeneratePress, Astra, Kadence) mark
every comment as a schema.org ``Comment`` whose ``author`` is the commenter, with the same
``itemprop="author"`` / ``itemprop="name"`` as the post's byline: a commenter is no writer. Each page
is a made-up article of an unregistered host, read through the steps a crawl runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled
from test_site_place import URL, _page

PERSON = 'itemprop="author" itemtype="https://schema.org/Person" itemscope'
BYLINE = (
    f'<span class="byline">oleh <span class="author vcard" {PERSON}><a class="url fn n" href="/author/andi/" '
    'rel="author" itemprop="url"><span class="author-name" itemprop="name">Andi Saputra</span></a></span></span>'
)


def _comments(*names: str) -> str:
    items = "".join(
        f'<li class="comment"><article class="comment-body" itemtype="https://schema.org/Comment" itemscope>'
        f'<footer class="comment-meta"><div class="comment-author vcard" {PERSON}><cite itemprop="name" class="fn">'
        f'{name}</cite></div></footer><div class="comment-content" itemprop="text"><p>Semoga cepat surut.</p></div>'
        "</article></li>"
        for name in names
    )
    return f'<div id="comments"><h3 class="comments-title">Tanggapan</h3><ol class="comment-list">{items}</ol></div>'


def _writers(under_headline: str, after_text: str = "") -> list[str]:
    page = _page(under_headline=under_headline).replace(b"</article>", after_text.encode() + b"</article>")
    _, fields, _ = read_as_crawled(page, URL, "generic", now=NOW.replace(year=2027))
    return list(fields["author"])


@pytest.mark.parametrize(
    ("byline", "writers"),
    [
        ('<div class="byline">Pewarta: <span itemprop="author">Nur Imansyah</span></div>', ["Nur Imansyah"]),
        ('<div class="byline">Pewarta: <span itemprop="author">Budi Santoso dan Agus S</span></div>',
         ["Budi Santoso", "Agus S"]),
        ('<div itemprop="author" class="author">Oleh : <b>Maya Sofia</b></div>', ["Maya Sofia"]),
    ],
)
def test_a_byline_marked_as_the_author_names_the_writer(byline: str, writers: list[str]) -> None:
    assert _writers(byline) == writers


def test_readers_comments_name_no_writer() -> None:
    comments = _comments("Pembaca Setia", "Warga Pesisir")
    assert _writers(BYLINE, comments) == ["Andi Saputra"]
    assert _writers("", comments) == []  # no byline: no writer, rather than the commenters
