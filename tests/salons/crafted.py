"""Real files for upload tests, built with Pillow (and by hand for PDFs and PNG bombs).

Nothing here is a fixture file on disk: each builder returns the bytes a phone, a scanner
or an attacker would send.
"""

import io
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

RED = (255, 0, 0)
BLUE = (0, 0, 255)
LOCATION = "34.6722,133.7464"  # what a careless upload would give away
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'exif:GPSLatitude="34,40.33N"/></rdf:RDF></x:xmpmeta>'
)
HTML = b"<html><script>alert(1)</script></html>"


def upload(name, data, content_type="application/octet-stream"):
    """What Django hands a form for one chosen file (the browser's type is not trusted)."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def two_colour(size=(40, 20), mode="RGB"):
    """Left half red, right half blue, so a rotation can be seen in the pixels."""
    image = Image.new(mode, size, BLUE)
    image.paste(Image.new(mode, (size[0] // 2, size[1]), RED), (0, 0))
    return image


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Model] = "TP-1"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (34.0, 40.0, 20.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (133.0, 44.0, 47.0)
    return exif


def srgb_icc():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def save(image, format, **kwargs):
    buffer = io.BytesIO()
    image.save(buffer, format=format, **kwargs)
    return buffer.getvalue()


def gps_jpeg(size=(40, 20), orientation=6):
    """A phone photo: GPS, make/model, orientation 6 (turn 90° clockwise), XMP, comment, ICC."""
    return save(
        two_colour(size),
        "JPEG",
        exif=gps_exif(orientation),
        xmp=XMP,
        comment=b"taken at home",
        icc_profile=srgb_icc(),
        quality=95,
    )


def png(size=(30, 20), mode="RGB", colour=RED, **kwargs):
    return save(Image.new(mode, size, colour), "PNG", **kwargs)


def png_with_text():
    info = PngInfo()
    info.add_text("Location", LOCATION)
    info.add_text("Comment", "自宅で撮影", zip=True)
    info.add_itxt("Description", "住所: 総社市中央1丁目", lang="ja")
    return save(Image.new("RGB", (30, 20), RED), "PNG", pnginfo=info, exif=gps_exif())


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width, height):
    """A valid 1-bit PNG of width × height black pixels.

    Zeros compress about 1000:1, so 30000 × 30000 (900 million pixels, ~900 MB once decoded
    by Pillow) is a ~110 KB file, and 7000 × 7000 is ~6 KB.
    """
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then the packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def cmyk_jpeg(size=(30, 20)):
    # Pure magenta + yellow ink is red.
    return save(Image.new("CMYK", size, (0, 255, 255, 0)), "JPEG", quality=95)


def webp_with_exif():
    return save(two_colour(), "WEBP", exif=gps_exif(), xmp=XMP, quality=90)


def gif():
    return save(Image.new("P", (10, 10)), "GIF")


def heic_with_gps(size=(40, 20)):
    pillow_heif.register_heif_opener()
    return save(two_colour(size), "HEIF", exif=gps_exif(), quality=90)


def pdf():
    """A real one-page PDF, as Pillow writes it (binary image stream included)."""
    return save(two_colour((200, 100)), "PDF", resolution=72)


def handmade_pdf(catalog_extra=b"", body=b""):
    objects = (
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" + body
    )
    return b"%PDF-1.7\n" + objects + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_with_javascript():
    return handmade_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>")


def pdf_with_hidden_javascript():
    """The same action packed into a compressed object stream, where a plain search misses it."""
    packed = zlib.compress(b"3 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    stream = (
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
    )
    return handmade_pdf(b"/OpenAction 3 0 R", stream)
