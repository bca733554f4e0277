"""Checking and cleaning every photo and PDF the site accepts, from any app.

Every upload goes through `process_upload`:

1. size first (a 2 GB file is refused before a byte of it is read);
2. the type from the content's first bytes, never from the name or the browser's content type;
3. for images, the pixel dimensions from the header, before anything is decoded;
4. images are decoded, turned upright (EXIF orientation), converted to sRGB and re-encoded from
   bare pixels, so nothing the file carried survives: no EXIF (GPS), XMP, ICC profile, PNG text,
   comments or bytes appended after the image;
5. PDFs are checked for active content and stored as sent.

Messages are for the person who chose the file: Japanese, naming the file, saying what is wrong
and what would work.
"""

import io
import logging
import re
import secrets
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache

import pillow_heif
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

# Phones save HEIC by default; this teaches Pillow to open it (decoding only when asked).
pillow_heif.register_heif_opener()

# The kinds a processed upload can be; salons.models.AttachmentKind stores the same values.
PHOTO = "photo"
DOCUMENT = "document"

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# A 48-megapixel phone camera saves 12 MP by default; 40 MP leaves room for scans while
# keeping one decoded image under ~160 MB of memory.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
# Nobody needs more than this to read a photo on screen or on A4, and it keeps files small.
MAX_OUTPUT_SIDE = 2400
JPEG_QUALITY = 85
MAX_NAME_LENGTH = 200

PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"
ACCEPT_PHOTOS = PHOTO_TYPES
ACCEPT_ALL = PHOTO_TYPES + ",application/pdf"

PHOTO_FORMATS_WORDS = "JPEG・PNG・WebP・HEIC"

# What Pillow calls each accepted format -> how it is stored.
OUTPUTS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
    # Few browsers show HEIC, so it becomes a JPEG.
    "HEIF": ("JPEG", "jpg", "image/jpeg"),
}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1"}

MESSAGES = {
    "unsupported": (
        "「%(name)s」は使えない形式です。"
        "写真は JPEG・PNG・WebP・HEIC、書類は PDF を選んでください。"
    ),
    "unsupported_photo": (
        "「%(name)s」は使えない形式です。写真（JPEG・PNG・WebP・HEIC）を選んでください。"
    ),
    "pdf_not_allowed": (
        "「%(name)s」は PDF です。ここでは写真（JPEG・PNG・WebP・HEIC）だけを選べます。"
    ),
    "too_large": (
        "「%(name)s」は %(size)s MB あります。1つのファイルは %(limit)d MB までにしてください。"
    ),
    "empty": "「%(name)s」は中身が空です。もう一度選び直してください。",
    "too_many_pixels": (
        "「%(name)s」は画像が大きすぎます（%(width)d×%(height)d ピクセル）。"
        "長い辺 %(max_side)d ピクセル・%(max_mp)d万画素までの写真にしてください。"
    ),
    "bomb": (
        "「%(name)s」は画像が大きすぎます。"
        "長い辺 %(max_side)d ピクセル・%(max_mp)d万画素までの写真にしてください。"
    ),
    "broken_image": (
        "「%(name)s」は写真として読み取れませんでした。ファイルが壊れているおそれがあります。"
        "撮り直すか、別の写真を選んでください。"
    ),
    "broken_pdf": (
        "「%(name)s」は PDF として読み取れませんでした（ファイルの終わりが見つかりません）。"
        "PDF を保存し直してから選んでください。"
    ),
    "pdf_javascript": (
        "「%(name)s」にはプログラム（JavaScript）が含まれているため受け付けられません。"
        "紙に印刷して読み取った PDF か、写真にして選んでください。"
    ),
    "pdf_launch": (
        "「%(name)s」にはほかのアプリを起動する命令が含まれているため受け付けられません。"
        "紙に印刷して読み取った PDF か、写真にして選んでください。"
    ),
    "pdf_embedded_file": (
        "「%(name)s」の中に別のファイルが埋め込まれているため受け付けられません。"
        "ファイルは1つずつ、写真か PDF で選んでください。"
    ),
    "pdf_encrypted": (
        "「%(name)s」はパスワードなどで保護された PDF のため、中身を確かめられません。"
        "保護を外した PDF を選んでください。"
    ),
    "pdf_unreadable": (
        "「%(name)s」は中身を確かめられない PDF のため受け付けられません。"
        "紙に印刷して読み取った PDF か、写真にして選んでください。"
    ),
    "too_many_files": (
        "ファイルは %(limit)d 個までです（%(count)d 個選ばれています）。"
        "%(limit)d 個以内に減らしてから送ってください。"
    ),
}


@dataclass(frozen=True)
class ProcessedUpload:
    """A checked, cleaned upload, ready for `salons.services.save_attachment`."""

    content: ContentFile  # named <random hex>.<ext>
    kind: str  # PHOTO or DOCUMENT
    content_type: str
    original_name: str  # for display only; never used as a path
    size: int

    def as_attachment_kwargs(self) -> dict:
        return {
            "content": self.content,
            "kind": self.kind,
            "content_type": self.content_type,
            "original_name": self.original_name,
            "size": self.size,
        }


def _error(code, name, **params):
    return ValidationError(MESSAGES[code], code=code, params={"name": name, **params})


def display_name(name) -> str:
    """The user's file name, safe to show and to put in a header: no control characters."""
    name = "".join(ch for ch in str(name or "") if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 10:  # shorten the name, keep ".jpg"
            return stem[: MAX_NAME_LENGTH - len(extension) - 1] + dot + extension
        return name[:MAX_NAME_LENGTH]
    return name or "名前のないファイル"


def process_upload(uploaded_file, *, allow_documents=True) -> ProcessedUpload:
    """Check one uploaded file and return its clean version, or raise ValidationError."""
    name = display_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise _too_large(name, size)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # One byte more than allowed tells us the declared size was wrong.
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name, len(data))
    if not data:
        raise _error("empty", name)

    kind = sniff(data)
    if kind == "PDF":
        if not allow_documents:
            raise _error("pdf_not_allowed", name)
        return _process_pdf(data, name)
    if kind not in OUTPUTS:
        raise _error("unsupported" if allow_documents else "unsupported_photo", name)
    return _process_image(data, kind, name)


def process_image(uploaded_file) -> ProcessedUpload:
    """Like `process_upload`, for places that take photos only (a salon's public photos)."""
    return process_upload(uploaded_file, allow_documents=False)


def sniff(data: bytes) -> str | None:
    """The format the bytes are in, by their signature. Names and browsers can lie."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    if data.startswith(b"%PDF-"):
        return "PDF"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    return None


def _too_large(name, size):
    return _error(
        "too_large", name, size=f"{size / 1024 / 1024:.1f}", limit=MAX_FILE_BYTES // 1024 // 1024
    )


def _generated_name(extension):
    return f"{secrets.token_hex(16)}.{extension}"


# --- images -----------------------------------------------------------------------


def _process_image(data: bytes, kind: str, name: str) -> ProcessedUpload:
    limits = {"max_side": MAX_SIDE, "max_mp": MAX_PIXELS // 10_000}
    try:
        # Opening reads only the header; only the expected decoder is tried.
        image = Image.open(io.BytesIO(data), formats=[kind])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error("bomb", name, **limits) from None
    except Exception:
        logger.info("Upload %r could not be opened as %s", name, kind, exc_info=True)
        raise _error("broken_image", name) from None

    with image:
        width, height = image.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise _error("too_many_pixels", name, width=width, height=height, **limits)
        output_format, extension, content_type = OUTPUTS[kind]
        try:
            clean = _clean_pixels(image, output_format)
            buffer = io.BytesIO()
            if output_format == "JPEG":
                clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            elif output_format == "WEBP":
                clean.save(buffer, format="WEBP", quality=JPEG_QUALITY)
            else:
                clean.save(buffer, format="PNG")
        except Exception:
            # Pillow's decoders raise many kinds of error on damaged or hostile input; any of
            # them means the same to the person: we could not read the picture.
            logger.info("Upload %r could not be decoded", name, exc_info=True)
            raise _error("broken_image", name) from None

    content = buffer.getvalue()
    return ProcessedUpload(
        content=ContentFile(content, name=_generated_name(extension)),
        kind=PHOTO,
        content_type=content_type,
        original_name=name,
        size=len(content),
    )


def _clean_pixels(image: Image.Image, output_format: str) -> Image.Image:
    """Upright, sRGB, sensibly-moded, bounded pixels in a new image that carries no metadata."""
    if image.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result is shrunk anyway.
        image.draft(None, (MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE))
    image.load()
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    image = _to_output_mode(image, output_format)
    if max(image.size) > MAX_OUTPUT_SIDE:
        image.thumbnail((MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE), Image.Resampling.LANCZOS)
    # Copying the pixels into a new image leaves behind everything in .info (EXIF, XMP, ICC,
    # PNG text, comments, transparency keys), which Pillow would otherwise write back.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


@cache
def _srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded colour profile, so colours survive dropping it (iPhone P3, CMYK)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, source, _srgb_profile(), outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken or mismatched profile: plain conversion below is close enough


def _to_output_mode(image: Image.Image, output_format: str) -> Image.Image:
    mode = image.mode
    if mode.startswith("I") or mode == "F":
        # 16-bit or float greys: scale to 8 bits instead of clipping everything to white.
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
        mode = "L"
    alpha = image.has_transparency_data
    grey = mode in ("1", "L", "LA", "La")

    if output_format == "JPEG":
        if alpha:
            # JPEG has no transparency: put the picture on white, as a printout would.
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return image.convert("L" if grey else "RGB")
    if output_format == "PNG" and grey:
        return image.convert("LA" if alpha else "L")
    return image.convert("RGBA" if alpha else "RGB")


# --- PDF ----------------------------------------------------------------------------

# PDF whitespace and delimiters end a name: /JS is a name, /JSFoo is another one.
_NAME_END = rb"(?![^\x00\t\n\x0c\r /<>\[\]()%{}])"
_DANGEROUS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?)" + _NAME_END)
_ENCRYPT = re.compile(rb"/Encrypt" + _NAME_END)
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm" + _NAME_END)
_FLATE = re.compile(rb"/FlateDecode" + _NAME_END)
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Inflating object streams is bounded, so a small PDF cannot make us inflate gigabytes.
MAX_PDF_INFLATED_BYTES = 5 * MAX_FILE_BYTES
DANGEROUS_REASONS = {
    b"JavaScript": "pdf_javascript",
    b"JS": "pdf_javascript",
    b"Launch": "pdf_launch",
    b"EmbeddedFile": "pdf_embedded_file",
    b"EmbeddedFiles": "pdf_embedded_file",
}


class _Uncheckable(Exception):
    pass


def _process_pdf(data: bytes, name: str) -> ProcessedUpload:
    # A PDF ends with %%EOF, possibly followed by a line break or a little padding.
    if b"%%EOF" not in data[-1024:]:
        raise _error("broken_pdf", name)
    try:
        parts = _pdf_dictionary_text(data)
    except _Uncheckable:
        raise _error("pdf_unreadable", name) from None
    for part in parts:
        if _ENCRYPT.search(part):
            raise _error("pdf_encrypted", name)
        if match := _DANGEROUS.search(part):
            raise _error(DANGEROUS_REASONS[match.group(1)], name)
    # PDFs are stored byte for byte as sent: rewriting one safely needs a full PDF library,
    # and staff need the document exactly as the organiser made it. It is only ever served
    # as a download (Content-Disposition: attachment), never shown inline from our origin.
    return ProcessedUpload(
        content=ContentFile(data, name=_generated_name("pdf")),
        kind=DOCUMENT,
        content_type="application/pdf",
        original_name=name,
        size=len(data),
    )


def _unescape_names(text: bytes) -> bytes:
    # /J#61vaScript is /JavaScript: the #xx escape must not hide a name from the check.
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)


def _pdf_dictionary_text(data: bytes) -> list[bytes]:
    """The parts of a PDF where dictionaries (and so actions) can be written.

    That is the file outside its streams, plus the inside of object streams (PDF 1.5+ packs
    dictionaries there, compressed). Other streams (page content, images, fonts) are left
    out: binary data would match /JS by chance.
    """
    outside, inside = [], []
    inflated = 0
    position = 0
    while match := _STREAM_START.search(data, position):
        outside.append(data[position : match.start()])
        end = data.find(b"endstream", match.end())
        if end == -1:
            end = len(data)
        # The stream's dictionary comes just before the keyword.
        dictionary = _unescape_names(data[max(position, match.start() - 2048) : match.start()])
        if _OBJECT_STREAM.search(dictionary):
            raw = data[match.end() : end]
            if _FLATE.search(dictionary):
                budget = MAX_PDF_INFLATED_BYTES - inflated
                try:
                    raw = zlib.decompressobj().decompress(raw, budget + 1)
                except zlib.error:
                    raise _Uncheckable from None
                if len(raw) > budget:
                    raise _Uncheckable
                inflated += len(raw)
            elif b"Decode" in dictionary:
                raise _Uncheckable  # another filter we cannot read (LZW, ASCII85, …)
            inside.append(_unescape_names(raw))
        position = end + len(b"endstream")
    outside.append(data[position:])
    return [_unescape_names(b"".join(outside)), *inside]


# --- form fields --------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to `max_files` photos (and PDFs unless allow_documents=False), cleaned.

    `cleaned_data[name]` is a list of ProcessedUpload; pass each one's
    `as_attachment_kwargs()` to `salons.services.save_attachment`.
    """

    widget = MultipleFileInput
    default_error_messages = {"required": "ファイルを選んでください。"}

    def __init__(self, *, max_files=MAX_FILES, allow_documents=True, **kwargs):
        self.max_files = max_files
        self.allow_documents = allow_documents
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            (
                f"写真（{PHOTO_FORMATS_WORDS}）か PDF を {max_files} 個まで選べます。"
                if allow_documents
                else f"写真（{PHOTO_FORMATS_WORDS}）を {max_files} 枚まで選べます。"
            )
            + f"1つのファイルは {MAX_FILE_BYTES // 1024 // 1024} MB までです。",
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ACCEPT_ALL if self.allow_documents else ACCEPT_PHOTOS
        return attrs

    def clean(self, data, initial=None):
        if not isinstance(data, (list, tuple)):
            # None (nothing sent), False (the clear box, meaningless here) or one file.
            data = [data] if data and hasattr(data, "read") else []
        files = [upload for upload in data if upload]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        # Counted before any file is read.
        if len(files) > self.max_files:
            raise ValidationError(
                MESSAGES["too_many_files"],
                code="too_many_files",
                params={"limit": self.max_files, "count": len(files)},
            )
        processed, errors = [], []
        for upload in files:
            try:
                processed.append(process_upload(upload, allow_documents=self.allow_documents))
            except ValidationError as error:
                errors.extend(error.error_list)  # tell about every bad file at once
        if errors:
            raise ValidationError(errors)
        return processed


class PhotoField(forms.ImageField):
    """One photo for a model ImageField (SalonPhoto.image); cleans to the re-encoded image.

    In the admin, either declare it on the ModelForm::

        class SalonPhotoForm(forms.ModelForm):
            image = PhotoField(label="写真")

    or name it in the ModelForm's Meta (``field_classes = {"image": PhotoField}``), or make it
    the form class of every ImageField of a ModelAdmin/inline::

        formfield_overrides = {models.ImageField: {"form_class": PhotoField}}

    The cleaned value is a new file named <random hex>.<jpg|png|webp>; the model's upload_to
    still decides the final stored name.
    """

    # The type is decided from the content by process_image, not from the extension.
    default_validators = []

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if not hasattr(data, "read"):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        processed = process_image(data)
        return SimpleUploadedFile(
            processed.content.name,
            processed.content.file.getvalue(),
            content_type=processed.content_type,
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = ACCEPT_PHOTOS
        return attrs
