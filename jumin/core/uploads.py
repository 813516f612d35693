"""Upload checks: size and real type (magic bytes), not the name the browser sent; and the private storage that
keeps residents' photos and scans off every static route."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.functional import cached_property

from .errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
# One sentence for the rule, used by the form's label, the uploader's `accept`, the error and the API alike.
UPLOAD_RULE = "JPG、PNG、WEBP 图片或 PDF 文件,不超过 5 MB"
ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_upload(upload) -> str:
    """Return the detected content type, or raise DomainError in Chinese."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(f"文件太大:只能上传{UPLOAD_RULE}", field="files")
    if upload.size == 0:
        raise DomainError("文件是空的", field="files")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise DomainError(f"只能上传{UPLOAD_RULE}", field="files")
    return content_type


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, beside MEDIA_ROOT: no URL serves them, so the only way out is a view that
    checks who asks (a case's attachments go through cases:case-attachment)."""

    @cached_property
    def base_location(self):
        default = Path(settings.MEDIA_ROOT).parent / "private_media"
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", default))

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view that checks who asks")


def serve_upload(attachment) -> FileResponse:
    """Photos open in the page; PDFs download. Served with the sniffed type (and nosniff, from SecurityMiddleware)."""
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=attachment.name,
        as_attachment=attachment.content_type == "application/pdf",
    )


def private_storage():
    return PrivateStorage()
