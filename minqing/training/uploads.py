"""Checking an uploaded training material by its bytes, not by its name.

A PDF starts with `%PDF-`; Office 97–2003 files (doc/xls/ppt) are OLE compound files starting with
D0 CF 11 E0 A1 B1 1A E1; Office Open XML files (docx/xlsx/pptx) are ZIP archives whose
`[Content_Types].xml` sits beside a `word/`, `xl/` or `ppt/` folder. The extension must agree with
what the bytes are, so a renamed executable or a zip of anything else is refused.
"""
from __future__ import annotations

import zipfile

from django.utils.translation import gettext as _

from minqing.core.errors import ValidationError

MAX_BYTES = 20 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
EXTENSIONS = ("pdf", "doc", "xls", "ppt", "docx", "xlsx", "pptx")


def material_kind(upload) -> str:
    """The checked type of `upload` (a Django UploadedFile) or ValidationError on field "file"."""
    if upload is None:
        raise ValidationError(fields={"file": [_("请选择文件。")]})
    if upload.size > MAX_BYTES:
        raise ValidationError(fields={"file": [_("文件不能超过 %(mb)d MB。") % {"mb": MAX_BYTES // 1024 // 1024}]})
    if upload.size == 0:
        raise ValidationError(fields={"file": [_("文件是空的。")]})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in EXTENSIONS:
        raise ValidationError(fields={"file": [_("只接受 PDF 或 Office 文件（pdf、doc、docx、xls、xlsx、ppt、pptx）。")]})
    if _sniff(upload) != _family(extension):
        raise ValidationError(fields={"file": [_("文件内容与扩展名 .%(ext)s 不符。") % {"ext": extension}]})
    if extension in OOXML_FOLDER and not _ooxml_has(upload, OOXML_FOLDER[extension]):
        raise ValidationError(fields={"file": [_("文件内容与扩展名 .%(ext)s 不符。") % {"ext": extension}]})
    upload.seek(0)
    return extension


def _family(extension: str) -> str:
    return {"pdf": "pdf", "doc": "ole", "xls": "ole", "ppt": "ole"}.get(extension, "zip")


def _sniff(upload) -> str:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == OLE_MAGIC:
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return "unknown"


def _ooxml_has(upload, folder: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
