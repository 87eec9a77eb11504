"""The failures a user can act on, each with its exit status.

Every layer raises them (a reader meets an unreadable file, the restorer a binary corpus, the
warehouse a locked file), so they sit with the data model at the bottom of the layering. The
message of each is one Vietnamese line: the file or setting, what is wrong, what to do. The
command line prints that line and exits with the error's status; anything else is an internal
error, whose traceback goes to a log file.
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """What `chitieu`'s exit status means (listed in `chitieu --help` and the README)."""

    OK = 0
    INPUT = 1  # a file or folder given cannot be read as a plan
    USAGE = 2  # an unknown option or a bad value (click's own status for these)
    OPEN_CONFLICTS = 3  # `check --fail-on open` and conflicts remain open
    WAREHOUSE = 4  # the warehouse is missing, damaged or not chitieu's
    BUSY = 5  # another chitieu process is writing the warehouse
    OUTPUT = 6  # the report or the exports cannot be written (permissions, full disk)
    DEPENDENCY = 7  # a program chitieu needs is not installed (Tesseract, a language pack)
    INTERNAL = 70  # a fault in chitieu itself; the traceback is in the log file


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "xong, không có lỗi",
    ExitCode.INPUT: "có tệp hoặc thư mục đầu vào không đọc được (các tệp khác vẫn được nạp)",
    ExitCode.USAGE: "gọi lệnh sai (tùy chọn hoặc giá trị không hợp lệ)",
    ExitCode.OPEN_CONFLICTS: "còn mâu thuẫn chưa xử lý (check --fail-on open)",
    ExitCode.WAREHOUSE: "kho dữ liệu chưa có, bị hỏng hoặc không phải của chitieu",
    ExitCode.BUSY: "một tiến trình chitieu khác đang ghi kho dữ liệu",
    ExitCode.OUTPUT: "không ghi được báo cáo hoặc tệp xuất (quyền ghi, đĩa đầy)",
    ExitCode.DEPENDENCY: "thiếu chương trình cần thiết (Tesseract, gói tiếng Việt của nó)",
    ExitCode.INTERNAL: "lỗi trong chính chitieu; chi tiết ghi ở tệp nhật ký",
}


class ChitieuError(Exception):
    """A failure the user can act on; str() is the one line to show."""

    exit_code: ExitCode = ExitCode.INPUT


class OutputError(ChitieuError):
    """The report or an export cannot be written where it is asked for."""

    exit_code = ExitCode.OUTPUT


class MissingDependency(ChitieuError):
    """A program chitieu runs is not installed; the message says which package to install."""

    exit_code = ExitCode.DEPENDENCY


class OpenConflicts(ChitieuError):
    """`check --fail-on open` found conflicts nobody has settled yet."""

    exit_code = ExitCode.OPEN_CONFLICTS


# What an operating-system error means, in the words of the one line a user reads.
OS_REASONS: dict[int, str] = {
    errno.EACCES: "không có quyền",
    errno.EPERM: "không được phép",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng trên đĩa",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EEXIST: "đã có một tệp trùng tên ở đó",
    errno.EISDIR: "đó là một thư mục, không phải tệp",
    errno.ENOENT: "không có tệp hoặc thư mục đó",
    errno.EIO: "lỗi đọc ghi của thiết bị",
}


def os_reason(error: OSError) -> str:
    return OS_REASONS.get(error.errno or 0, error.strerror or type(error).__name__)
