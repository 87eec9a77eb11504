"""Strip the artefacts of text exports: Markdown emphasis and headings, HTML tags, LaTeX.

What comes out is text: no tag survives, whether written as a tag, hidden behind entities
(`&lt;script&gt;`, `&amp;lt;…`) or in a shape the first pass does not take for one
(`<svg/onload=…>`, a tag left open at the end of a line). Every consumer of the stored text
and the exports then reads text, whether or not it escapes.
"""

from __future__ import annotations

import html
import re

_LATEX_SYMBOLS = {
    r"\geq": "≥", r"\ge": "≥", r"\leq": "≤", r"\le": "≤", r"\neq": "≠",
    r"\times": "×", r"\%": "%", r"\approx": "≈", r"\pm": "±", r"\,": " ", r"\ ": " ",
}
_LATEX_COMMAND = re.compile("|".join(re.escape(command) for command in
                                     sorted(_LATEX_SYMBOLS, key=len, reverse=True)))
_INLINE_MATH = re.compile(r"\$([^$\n]{1,200})\$")
_LATEX_WRAPPER = re.compile(r"\\(?:text|mathrm|mathbf|textbf|textit)\{([^{}]*)\}")
# Any tag-like run: a name then anything up to '>' (attributes, '/' instead of a space),
# comments, declarations and processing instructions.
_HTML_TAG = re.compile(r"<!--.*?(?:-->|$)|<[!?][^<>]*>|</?[A-Za-z][^<>]*>")
# What is left of a tag a line breaks: '<' right before a name, '/', '!' or '?'.
_TAG_OPENING = re.compile(r"<(?=[A-Za-z/!?])")
# Entities inside entities (`&amp;lt;`) decode one layer a round.
_DECODE_ROUNDS = 4
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
_RULE = re.compile(r"^\s*([-*_=])\1{2,}\s*$")


def _math_to_text(match: re.Match[str]) -> str:
    body = _LATEX_WRAPPER.sub(r"\1", match.group(1))
    body = _LATEX_COMMAND.sub(lambda symbol: _LATEX_SYMBOLS[symbol.group(0)], body)
    return re.sub(r"\s+", " ", body.replace("{", "").replace("}", "")).strip()


def _without_tags(text: str) -> str:
    """Tags removed and entities decoded until neither changes the text: decoding can make
    a tag (`&lt;script&gt;` → `<script>`), so it is stripped after each decoding too."""
    for _ in range(_DECODE_ROUNDS):
        decoded = html.unescape(_HTML_TAG.sub("", text))
        if decoded == text:
            break
        text = decoded
    return _TAG_OPENING.sub("", _HTML_TAG.sub("", text))


def strip_markup(text: str) -> str:
    """`- Có $\\geq 60\\%$ **người** <i>dùng</i>` → `- Có ≥ 60% người dùng`."""
    if _RULE.match(text):
        return ""
    text = _INLINE_MATH.sub(_math_to_text, text)
    text = _without_tags(text)
    text = _HEADING.sub("", text)
    previous = None
    while previous != text:  # nested emphasis such as ***x*** or **_x_**
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text.replace("**", "")
