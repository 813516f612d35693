"""Upload checks: size and real type (magic bytes), not the name the browser sent."""

from .errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


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
        raise DomainError("文件不能超过 5 MB", field="files")
    if upload.size == 0:
        raise DomainError("文件是空的", field="files")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise DomainError("只能上传 JPG、PNG、WEBP 图片或 PDF 文件", field="files")
    return content_type
