"""checks/_dom.py reads a page as Beautiful Soup read it: the same elements, attributes, text and
markup, on tricky and hostile markup, so the DOM checks' results do not change with the parser."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from bench.site_generator import render_page
from checks._dom import Document, Element, parse_dom
from tests.fixtures.fixture_site import html_page

TRICKY_PAGES = {
    "ordinary": html_page("Home", "<h1>Welkom</h1><p>Tekst <a href='/a'>lees meer</a></p>"),
    "whitespace": "<html><body>\n  <p>  a  </p>\n\n<p>\tb</p>   <pre>\n  keep  \n</pre><textarea>  t  </textarea></body></html>",
    "entities and quotes": """<p title='say "hi"' data-x="it's" data-y="both ' and &quot;">a &amp; b &lt;c&gt; &nbsp;d&eacute;</p>""",
    "token lists": '<a class="  x   y " rel="nofollow  noopener" href="/x" headers="h">k</a><td headers=" a  b ">c</td><div class="">e</div>',
    "boolean and empty attributes": '<video autoplay muted controls="" src=x></video><input disabled type=checkbox><select><option selected="selected">s</option></select><div hidden>h</div>',
    "void and unclosed": "<p>one<br>two<img src=a.png alt=''><p>three<li>x<li>y<table><tr><td>z</table>",
    "script style template ruby": (
        "<main><script>if (a < b && c) {}</script><style>p > a {}</style><template><p>tpl</p></template>"
        "<ruby>漢<rt>kan</rt><rp>(</rp></ruby><p>seen</p></main>"
    ),
    "comments and processing instructions": '<a href="/c">x<!-- note --><?php echo 1 ?>y<!----></a><h2><!-- only a comment --></h2>',
    "meta charset": '<head><meta charset="windows-1252"><meta http-equiv="Content-Type" content="text/html; charset=latin1">'
                    '<meta http-equiv="refresh" content="5; url=/next"></head><body>x</body>',
    "duplicate and odd attributes": '<a href="/1" href="/2" HREF="/3" data-A="B" aria-labelledby="l1 l2">t</a><span id=l1>one</span><span id="l2">two</span>',
    "broken markup": "<div><p>unclosed <b>bold <i>both</b> after</i></div></span><<>>&&<p =x>stray bytes \x00\x01 é",
    "nested headings and roles": '<div role="heading" aria-level="3">r</div><div role=main><h1>a</h1><h4 style="display: none">b</h4></div>',
    "svg and namespaces": '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#i"/><title>t</title></svg><math><mi>x</mi></math>',
    "xhtml namespaces": '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="nl" lang="nl"><body><p xmlns:foo="urn:x" '
                        'foo:bar="1">x</p><svg viewBox="0 0 1 1"><foreignObject><div>y</div></foreignObject></svg></body></html>',
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html><html><body><p>z</p></body></html>',
    "tables forms noscript srcdoc": '<table><tr><td>a<td>b</table><form><input name=q></form><noscript><img src=x></noscript>'
                                    '<iframe srcdoc="<p>hi</p>"></iframe>',
    "no body": "<html><head><title>Only a head</title></head></html>",
    "byte order mark": "\ufeff<p>after the mark</p>",
    "text only": "just text, no markup",
    "whitespace only": "   \n  ",
    "empty": "",
    "generated bench page": render_page(3, 10).decode("utf-8"),
}


def _bs4_value(value):
    return " ".join(value) if isinstance(value, list) else value


def _element_view(element) -> dict:
    """What the checks read of an element, from either tree."""
    descendants = [("element", node.name) if isinstance(node, (Tag, Element)) else ("string", str(node))
                   for node in element.descendants]
    return {
        "name": element.name,
        "attrs": {key: _bs4_value(value) for key, value in element.attrs.items()},
        "markup": str(element),
        "text": element.get_text(),
        "stripped text": element.get_text(" ", strip=True),
        "descendants": descendants,
        "parents": [parent.name for parent in element.parents if isinstance(parent, (Tag, Element))
                    and parent.name != "[document]"],
        "string": None if element.string is None else str(element.string),
    }


@pytest.mark.parametrize("name", sorted(TRICKY_PAGES))
def test_every_element_reads_as_beautiful_soup_reads_it(name):
    html = TRICKY_PAGES[name]
    soup = BeautifulSoup(html, "lxml")
    document = parse_dom(html)
    expected = [_element_view(element) for element in soup.find_all(True)]
    assert [_element_view(element) for element in document.find_all(True)] == expected
    if name not in ("empty", "whitespace only"):
        assert expected, "the page parsed to nothing"


@pytest.mark.parametrize("name", sorted(TRICKY_PAGES))
def test_searches_find_what_beautiful_soup_finds(name):
    html = TRICKY_PAGES[name]
    soup = BeautifulSoup(html, "lxml")
    document = parse_dom(html)
    searches = [
        lambda tree: tree.find_all("a", href=True),
        lambda tree: tree.find_all(["audio", "video"]),
        lambda tree: tree.find_all(style=True),
        lambda tree: tree.find_all("meta"),
        lambda tree: tree.find_all("td", attrs={"headers": "b"}),  # one token of a token list
        lambda tree: [tree.find(id="l2")],
        lambda tree: [tree.find("main") or tree.find(attrs={"role": "main"})],
        lambda tree: [tree.title, tree.body],
    ]
    for search in searches:
        assert [None if el is None else str(el) for el in search(document)] == \
               [None if el is None else str(el) for el in search(soup)]


def test_a_parsed_page_is_kept_for_the_next_check_only():
    html = "<p>one</p>"
    assert parse_dom(html) is parse_dom(html)
    parse_dom("<p>two</p>"), parse_dom("<p>three</p>")
    assert parse_dom(html) is not parse_dom("<p>three</p>")
    assert isinstance(parse_dom(""), Document) and parse_dom("").find_all(True) == []


def test_a_lone_surrogate_does_not_stop_the_page_being_read():
    # Beautiful Soup raised UnicodeEncodeError here (the check then reported an error); the
    # text goes to libxml2 as UTF-8 instead, the stray code point as replacement bytes
    document = parse_dom('<p>a\ud800b</p><a href="/x">lees meer</a>')
    assert [str(a) for a in document.find_all("a", href=True)] == ['<a href="/x">lees meer</a>']
    assert document.find("p").get_text().startswith("a") and document.find("p").get_text().endswith("b")
