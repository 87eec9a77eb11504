"""click's own words (Usage:, Options, Show this message and exit., its error messages) in
Vietnamese.

click looks every such string up through `gettext` at the moment it prints it, from the
`_` and `ngettext` names of its modules; `speak_vietnamese()` points those names at this
table. A string missing here stays English, which tests/test_cli_language.py notices.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

MESSAGES: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "In trợ giúp này rồi thoát.",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "Error: {message}": "lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem trợ giúp: '{command} {option}'.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such option: {name}": "Không có tùy chọn {name}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Missing command.": "Thiếu tên lệnh.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "argument": "đối số",
    "option": "tùy chọn",
    "parameter": "tham số",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: "
                                                 "{message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các đối số ({args})",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải một trong {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải {number_type} hợp lệ.",
    "integer": "số nguyên",
    "float": "số thực",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được.",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    "Aborted!": "Đã dừng.",
}
CLICK_MODULES: tuple[ModuleType, ...] = (click.core, click.decorators, click.exceptions,
                                         click.formatting, click.parser, click.types)


def vietnamese(message: str) -> str:
    return MESSAGES.get(message, message)


def vietnamese_plural(singular: str, plural: str, count: int) -> str:
    return vietnamese(singular if count == 1 else plural)


def speak_vietnamese() -> None:
    """From now on click says its words in Vietnamese (idempotent)."""
    names: dict[str, Callable[..., str]] = {"_": vietnamese, "ngettext": vietnamese_plural}
    for module in CLICK_MODULES:
        for name, function in names.items():
            if hasattr(module, name):
                setattr(module, name, function)
