"""The saved DOM parsed by lxml, read the way Beautiful Soup reads it.

The DOM checks used to build a Beautiful Soup tree of every page (``BeautifulSoup(html,
"lxml")``): 6.5 ms for a 66 KB page, most of a rescore's time. Beautiful Soup's lxml builder
only forwards libxml2's parse events into Python objects, so the same parser building its own
C tree (0.3 ms) gives the same elements, attributes and text. ``Document`` and ``Element`` wrap
that tree with the small part of Beautiful Soup's reading API the checks use (``find_all``,
``find``, ``get``, ``get_text``, ``descendants``, ``parents``, ``str()``), with Beautiful Soup's
rules kept where they show in results:

* whitespace-only text outside ``<pre>``/``<textarea>`` reads as one space or one newline;
* ``get_text`` skips comments and the text of ``<script>``, ``<style>``, ``<template>``,
  ``<rt>`` and ``<rp>`` (unless called on such an element);
* token-list attributes (``class``, ``rel``…) read as their tokens joined by one space;
* ``str()`` gives Beautiful Soup's markup: attributes sorted, ``&``/``<``/``>`` escaped, void
  elements as ``<br/>``, the declared charset of a ``<meta>`` given as utf-8.

Beautiful Soup's own tables (void elements, token-list attributes, string containers) are read
from it, so the two cannot drift apart; ``tests/checks/test_dom.py`` compares both on tricky markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional, Union

from bs4.builder import HTMLTreeBuilder
from bs4.element import ContentMetaAttributeValue
from lxml import etree

_VOID_ELEMENTS = frozenset(HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS or ())
_PRESERVE_WHITESPACE = frozenset(HTMLTreeBuilder.DEFAULT_PRESERVE_WHITESPACE_TAGS)
_STRING_CONTAINERS = frozenset(HTMLTreeBuilder.DEFAULT_STRING_CONTAINERS)  # script, style, template, rt, rp
_TOKEN_LIST_ATTRIBUTES = {tag: frozenset(names) for tag, names in HTMLTreeBuilder.DEFAULT_CDATA_LIST_ATTRIBUTES.items()}
_TOKEN_LIST_ANY_TAG = _TOKEN_LIST_ATTRIBUTES.get("*", frozenset())
_TOKEN_LIST_NAMES = frozenset().union(*_TOKEN_LIST_ATTRIBUTES.values())  # on some element or other
_RAW_TEXT_PARENTS = frozenset({"script", "style"})  # their text is written out unescaped
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
_TOKENS = re.compile(r"\S+")
# libxml2 writes a value-less boolean attribute of these as name="name"; Beautiful Soup, fed
# by events, keeps "" (the DOMs the auditor saves come from Chromium, which always writes ="")
_LIBXML2_BOOLEAN_ATTRIBUTES = frozenset({
    "checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref",
    "noresize", "noshade", "nowrap", "readonly", "selected",
})
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

# what a string is, for get_text: plain text, text of a string container, or neither
_TEXT, _COMMENT, _PROCESSING_INSTRUCTION = "text", "comment", "pi"

Name = Union[None, bool, str, list, tuple]


def _collapsed(text: str, preserve: bool) -> str:
    """Beautiful Soup keeps a whitespace-only string as one space, or one newline when it had
    one, except inside ``<pre>`` and ``<textarea>``."""
    if preserve or text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


@lru_cache(maxsize=2)
def parse_dom(html: str) -> "Document":
    """Parse a page's DOM once for the several checks that read it in a row.

    The cache is tiny on purpose: checks of one page run back to back, and keeping more than
    the last couple of DOMs would make memory grow with the site. Callers must not mutate it.
    """
    return Document(_parse(html), html)


def _parse(html: str) -> Optional[etree._Element]:
    # as Beautiful Soup's lxml builder does: a leading byte order mark dropped, the text fed
    # to libxml2's HTML parser in recovery mode, UTF-8 bytes when lxml refuses the text
    if html[:1] == "\N{BYTE ORDER MARK}":
        html = html[1:]
    for markup, encoding in ((html, None), (html.encode("utf-8", "surrogatepass"), "utf8")):
        parser = etree.HTMLParser(recover=True, encoding=encoding)
        try:
            parser.feed(markup)
            return parser.close()
        except (UnicodeError, LookupError, etree.ParserError):
            continue
        except etree.XMLSyntaxError:  # nothing but whitespace, or nothing at all
            return None
    return None


class _Node:
    """What a document and an element share: searching below them."""

    __slots__ = ()

    def _candidates(self, tags: Optional[tuple]) -> Iterator[etree._Element]:
        raise NotImplementedError

    def _document(self) -> "Document":
        raise NotImplementedError

    def find_all(self, name: Name = None, attrs: Optional[dict] = None, **kwargs) -> list["Element"]:
        """Elements below this one, in document order, as Beautiful Soup's ``find_all``: a name,
        a list of names or True for any; attribute values True (present) or a string."""
        return list(self._matches(name, attrs, kwargs))

    def find(self, name: Name = None, attrs: Optional[dict] = None, **kwargs) -> Optional["Element"]:
        return next(self._matches(name, attrs, kwargs), None)

    def _matches(self, name: Name, attrs: Optional[dict], kwargs: dict) -> Iterator["Element"]:
        wanted = {**(attrs or {}), **kwargs}
        tags = None
        if isinstance(name, str):
            tags = (name,)
        elif isinstance(name, (list, tuple)):
            tags = tuple(name)
        present = [key for key, value in wanted.items() if value is not None]
        document = self._document()
        for node in self._candidates(tags or (etree.Element,)):  # elements only, no comments
            if not wanted:
                yield Element(node, document)
                continue
            if present and any(node.get(key) is None for key in present):
                continue  # the cheap test first: most elements lack the attribute
            element = Element(node, document)
            if all(_attribute_matches(element, key, value) for key, value in wanted.items()):
                yield element


def _attribute_matches(element: "Element", key: str, value) -> bool:
    actual = element.get(key)
    if value is None:  # as Beautiful Soup: None asks for elements without the attribute
        return actual is None
    if value is True:
        return actual is not None
    if actual is None:
        return False
    if key in element._token_list_names():
        return value == actual or value in actual.split(" ")
    return value == actual


class Document(_Node):
    """A parsed page: ``body``, ``title`` and the searches, from the top."""

    __slots__ = ("root", "_html", "_assigned")

    def __init__(self, root: Optional[etree._Element], html: str = "") -> None:
        self.root = root
        self._html = html
        self._assigned: dict[str, bool] = {}

    def _document(self) -> "Document":
        return self

    def attribute_value(self, key: str, value: str) -> str:
        """``value`` as the markup gave it: "" for a boolean attribute libxml2 filled in."""
        if value != key or key not in _LIBXML2_BOOLEAN_ATTRIBUTES:
            return value
        if key not in self._assigned:
            self._assigned[key] = re.search(rf"\b{key}\s*=", self._html, re.IGNORECASE) is not None
        return value if self._assigned[key] else ""

    def _candidates(self, tags: Optional[tuple]) -> Iterator[etree._Element]:
        if self.root is None:
            return iter(())
        return self.root.iter(*tags)

    @property
    def body(self) -> Optional["Element"]:
        return self.find("body")

    @property
    def title(self) -> Optional["Element"]:
        return self.find("title")


class Element(_Node):
    """One element of the tree, read as a Beautiful Soup ``Tag``."""

    __slots__ = ("node", "document")

    def __init__(self, node: etree._Element, document: Document) -> None:
        self.node = node
        self.document = document

    def _document(self) -> Document:
        return self.document

    def __eq__(self, other) -> bool:
        return isinstance(other, Element) and other.node is self.node

    def __hash__(self) -> int:
        return hash(self.node)

    def _candidates(self, tags: Optional[tuple]) -> Iterator[etree._Element]:
        return self.node.iterdescendants(*tags)

    @property
    def name(self) -> str:
        return self.node.tag

    def _token_list_names(self) -> frozenset:
        return _token_lists_of(self.node.tag)

    def get(self, key: str, default=None):
        """An attribute's value; a token list (``class``, ``rel``…) as its tokens joined by one
        space, as ``" ".join()`` of Beautiful Soup's list gives."""
        value = self.node.get(key)
        if value is None:
            return default
        if key in _TOKEN_LIST_NAMES and key in _token_lists_of(self.node.tag):
            return " ".join(_TOKENS.findall(value))
        if key in _LIBXML2_BOOLEAN_ATTRIBUTES:
            return self.document.attribute_value(key, value)
        return value

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def has_attr(self, key: str) -> bool:
        return key in self.node.attrib

    @property
    def attrs(self) -> dict[str, str]:
        return {key: self.get(key) for key in self.node.attrib}

    @property
    def parents(self) -> Iterator["Element"]:
        for node in self.node.iterancestors():
            yield Element(node, self.document)

    def _context(self) -> tuple[bool, Optional[str]]:
        """Whether whitespace is kept here, and the nearest string container around the
        element's own text (as Beautiful Soup's stacks hold them while it parses)."""
        preserve, container = False, None
        for node in [self.node, *self.node.iterancestors()]:
            if node.tag in _PRESERVE_WHITESPACE:
                preserve = True
            if container is None and node.tag in _STRING_CONTAINERS:
                container = node.tag
        return preserve, container

    def _strings(self) -> Iterator[tuple[str, str, Optional[str], str]]:
        """Every string below the element in document order: (text, kind, string container,
        parent element's name), whitespace collapsed as Beautiful Soup does."""
        preserve, container = self._context()
        yield from _strings_below(self.node, preserve, container)

    @property
    def descendants(self) -> Iterator[Union["Element", str]]:
        """Elements and strings (text, comments, processing instructions) below this one."""
        preserve, container = self._context()
        yield from _descendants(self.node, preserve, container, self.document)

    def get_text(self, separator: str = "", strip: bool = False) -> str:
        own = self.node.tag if self.node.tag in _STRING_CONTAINERS else None
        if strip and self._context()[1] == own and next(self.node.iterdescendants(*_STRING_CONTAINERS), None) is None:
            # the usual case, in C: no script, style or template below, and whitespace-only
            # strings (the only ones Beautiful Soup rewrites) are dropped by strip anyway
            return separator.join(text for text in (piece.strip() for piece in self.node.itertext()) if text)
        pieces = []
        for text, kind, container, _ in self._strings():
            if kind != _TEXT or container != own:
                continue
            if strip:
                text = text.strip()
                if not text:
                    continue
            pieces.append(text)
        return separator.join(pieces)

    @property
    def string(self) -> Optional[str]:
        """As Beautiful Soup's ``.string``: the element's only string, looking through elements
        that have a single child; None when there are several children or none."""
        node, preserve = self.node, self._context()[0]
        while True:
            children = list(node)
            if node.text:
                return _collapsed(node.text, preserve) if not children else None
            if len(children) != 1 or children[0].tail:
                return None
            child = children[0]
            if not _is_element(child):
                return _special_string(child, preserve)
            node, preserve = child, preserve or child.tag in _PRESERVE_WHITESPACE

    def __str__(self) -> str:
        pieces: list[str] = []
        _write(self.node, pieces, self._context()[0], self.document)
        return "".join(pieces)


def _strings_below(node: etree._Element, preserve: bool, container: Optional[str]):
    """(text, kind, container, parent name) for the strings inside ``node``; ``preserve`` and
    ``container`` hold for ``node``'s own text."""
    if node.text:
        yield _collapsed(node.text, preserve), _TEXT, container, node.tag
    for child in node:
        if _is_element(child):
            child_preserve = preserve or child.tag in _PRESERVE_WHITESPACE
            child_container = child.tag if child.tag in _STRING_CONTAINERS else container
            yield from _strings_below(child, child_preserve, child_container)
        else:
            yield _special_string(child, preserve), _kind(child), container, node.tag
        if child.tail:
            yield _collapsed(child.tail, preserve), _TEXT, container, node.tag


def _descendants(node: etree._Element, preserve: bool, container: Optional[str], document: Document):
    if node.text:
        yield _collapsed(node.text, preserve)
    for child in node:
        if _is_element(child):
            yield Element(child, document)
            child_preserve = preserve or child.tag in _PRESERVE_WHITESPACE
            child_container = child.tag if child.tag in _STRING_CONTAINERS else container
            yield from _descendants(child, child_preserve, child_container, document)
        else:
            yield _special_string(child, preserve)
        if child.tail:
            yield _collapsed(child.tail, preserve)


def _kind(node) -> str:
    return _COMMENT if node.tag is etree.Comment else _PROCESSING_INSTRUCTION


def _special_string(node, preserve: bool) -> str:
    """A comment's text, or a processing instruction as Beautiful Soup keeps it."""
    if node.tag is etree.Comment:
        return _collapsed(node.text or "", preserve)
    if node.tag is etree.ProcessingInstruction:
        return _collapsed(f"{node.target} {node.text or ''}", preserve)
    return _collapsed(node.text or "", preserve)  # an entity reference


@lru_cache(maxsize=None)
def _token_lists_of(tag: str) -> frozenset:
    """The token-list attributes of an element with this name."""
    return _TOKEN_LIST_ANY_TAG | _TOKEN_LIST_ATTRIBUTES.get(tag, frozenset())


def _attribute_markup(key: str, value: str, token_lists: frozenset) -> str:
    if key in token_lists:
        value = " ".join(_TOKENS.findall(value))
    text = value.translate(_ESCAPES)
    if '"' in text:
        if "'" in text:
            return f'{key}="' + text.replace('"', "&quot;") + '"'
        return f"{key}='{text}'"
    return f'{key}="{text}"'


def _meta_values(node: etree._Element) -> dict[str, str]:
    # Beautiful Soup writes a <meta>'s declared charset as the encoding it writes (utf-8)
    values = dict(node.attrib)
    if "charset" in values:
        values["charset"] = "utf-8"
    elif "content" in values and (values.get("http-equiv") or "").lower() == "content-type":
        values["content"] = ContentMetaAttributeValue(values["content"]).substitute_encoding("utf-8")
    return values


def _write(node: etree._Element, out: list[str], preserve: bool, document: Document) -> None:
    tag = node.tag
    token_lists = _token_lists_of(tag)
    values = _meta_values(node) if tag == "meta" else node.attrib
    attributes = "".join(" " + _attribute_markup(key, document.attribute_value(key, values[key]), token_lists)
                         for key in sorted(values))
    empty = node.text is None and len(node) == 0
    if empty and tag in _VOID_ELEMENTS:
        out.append(f"<{tag}{attributes}/>")
        return
    out.append(f"<{tag}{attributes}>")
    raw = tag in _RAW_TEXT_PARENTS
    if node.text:
        text = _collapsed(node.text, preserve)
        out.append(text if raw else text.translate(_ESCAPES))
    for child in node:
        if _is_element(child):
            _write(child, out, preserve or child.tag in _PRESERVE_WHITESPACE, document)
        elif child.tag is etree.Comment:
            out.append(f"<!--{_special_string(child, preserve)}-->")
        elif child.tag is etree.ProcessingInstruction:
            out.append(f"<?{_special_string(child, preserve)}>")
        if child.tail:
            text = _collapsed(child.tail, preserve)
            out.append(text if raw else text.translate(_ESCAPES))
    out.append(f"</{tag}>")
