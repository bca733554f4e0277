"""Uploads with real crafted files: what comes out is clean, what is refused says why."""

import io
import re
import time

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.utils.datastructures import MultiValueDict
from PIL import Image

from salons.models import SalonPhoto
from shakyo_portal.core.uploads import (
    MAX_FILE_BYTES,
    MAX_FILES,
    AttachmentsField,
    PhotoField,
    ProcessedUpload,
    process_image,
    process_upload,
)
from tests.factories import SalonFactory
from tests.salons import crafted
from tests.salons.crafted import upload

FORMATS = "写真は JPEG・PNG・WebP・HEIC、書類は PDF を選んでください。"


def refusal(uploaded, **kwargs):
    with pytest.raises(ValidationError) as caught:
        process_upload(uploaded, **kwargs)
    return " ".join(caught.value.messages)


def opened(processed: ProcessedUpload) -> Image.Image:
    image = Image.open(io.BytesIO(processed.content.read()))
    processed.content.seek(0)
    return image


def stored_bytes(processed: ProcessedUpload) -> bytes:
    return processed.content.file.getvalue()


def assert_no_metadata(processed):
    image = opened(processed)
    assert not dict(image.getexif())
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "transparency"):
        assert key not in image.info
    data = stored_bytes(processed)
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"TestPhone", b"taken at home"):
        assert marker not in data


def colour_near(pixel, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], expected, strict=True))


# --- photos -------------------------------------------------------------------------


def test_gps_tagged_phone_photo_loses_all_metadata_and_stays_upright():
    source = crafted.gps_jpeg(size=(40, 20), orientation=6)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the GPS is really there

    processed = process_upload(upload("IMG_0001.JPG", source, "image/jpeg"))

    assert processed.kind == "photo"
    assert processed.content_type == "image/jpeg"
    assert processed.original_name == "IMG_0001.JPG"
    assert processed.size == len(stored_bytes(processed))
    assert_no_metadata(processed)
    image = opened(processed)
    assert image.format == "JPEG"
    # Orientation 6 means "turn 90° clockwise": 40×20 becomes 20×40, the red left half on top.
    assert image.size == (20, 40)
    assert colour_near(image.convert("RGB").getpixel((10, 5)), crafted.RED)
    assert colour_near(image.convert("RGB").getpixel((10, 35)), crafted.BLUE)


def test_stored_name_is_generated_and_never_the_users():
    first = process_upload(upload("../../etc/自宅.jpg", crafted.gps_jpeg()))
    second = process_upload(upload("../../etc/自宅.jpg", crafted.gps_jpeg()))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", first.content.name)
    assert first.content.name != second.content.name


def test_png_text_chunks_and_exif_are_dropped():
    source = crafted.png_with_text()
    assert crafted.LOCATION.encode() in source

    processed = process_upload(upload("map.png", source, "image/png"))

    image = opened(processed)
    assert image.format == "PNG"
    assert image.text == {}
    data = stored_bytes(processed)
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"):
        assert chunk not in data
    assert crafted.LOCATION.encode() not in data
    assert_no_metadata(processed)


def test_png_with_html_appended_comes_out_clean():
    source = crafted.png() + crafted.HTML

    processed = process_upload(upload("poster.png", source, "image/png"))

    data = stored_bytes(processed)
    assert b"<script" not in data
    assert b"alert(1)" not in data
    assert data.endswith(b"IEND\xaeB`\x82")
    assert opened(processed).size == (30, 20)


def test_png_named_jpg_is_kept_as_png():
    processed = process_upload(upload("photo.jpg", crafted.png(), "image/jpeg"))

    assert processed.content_type == "image/png"
    assert processed.content.name.endswith(".png")
    assert opened(processed).format == "PNG"
    assert processed.original_name == "photo.jpg"


def test_text_named_jpg_is_refused():
    message = refusal(upload("photo.jpg", b"<html><body>hello</body></html>", "image/jpeg"))
    assert message == f"「photo.jpg」は使えない形式です。{FORMATS}"


def test_gif_is_refused_with_the_formats_that_work():
    assert refusal(upload("anime.gif", crafted.gif(), "image/gif")) == (
        f"「anime.gif」は使えない形式です。{FORMATS}"
    )


@pytest.fixture(scope="module")
def bomb():
    return crafted.png_bomb(30_000, 30_000)


def test_decompression_bomb_is_refused_from_its_header(bomb):
    assert len(bomb) < 200_000  # small on the wire, ~900 MB once decoded

    started = time.perf_counter()
    message = refusal(upload("bomb.png", bomb, "image/png"))
    elapsed = time.perf_counter() - started

    assert "「bomb.png」は画像が大きすぎます" in message
    assert "長い辺 12000 ピクセル・4000万画素まで" in message
    # Decoding 900 million pixels would take seconds and most of a gigabyte.
    assert elapsed < 1


@pytest.mark.parametrize(
    ("width", "height"),
    [(7000, 7000), (12_001, 10)],
    ids=["too-many-pixels", "too-long-a-side"],
)
def test_image_over_the_pixel_limits_is_refused_with_its_size(width, height):
    source = crafted.png_bomb(width, height)
    assert len(source) < 10_000

    message = refusal(upload("scan.png", source, "image/png"))

    assert message == (
        f"「scan.png」は画像が大きすぎます（{width}×{height} ピクセル）。"
        "長い辺 12000 ピクセル・4000万画素までの写真にしてください。"
    )


class NeverRead(SimpleUploadedFile):
    """A file whose content must not be touched: only its declared size may be looked at."""

    def read(self, *args, **kwargs):
        raise AssertionError("the file was read before its size was checked")

    def chunks(self, *args, **kwargs):
        raise AssertionError("the file was read before its size was checked")


def test_oversized_file_is_refused_before_it_is_read():
    big = NeverRead("video.jpg", b"", content_type="image/jpeg")
    big.size = MAX_FILE_BYTES + 1
    assert refusal(big) == (
        "「video.jpg」は 10.0 MB あります。1つのファイルは 10 MB までにしてください。"
    )


def test_oversized_real_file_is_refused_with_its_size():
    source = crafted.png() + bytes(MAX_FILE_BYTES)
    message = refusal(upload("big.png", source, "image/png"))
    assert message == "「big.png」は 10.0 MB あります。1つのファイルは 10 MB までにしてください。"
    huge = upload("huge.pdf", b"%PDF-1.7\n" + bytes(12 * 1024 * 1024))
    assert "「huge.pdf」は 12.0 MB あります" in refusal(huge)


def test_empty_file_is_refused():
    assert (
        refusal(upload("empty.jpg", b""))
        == "「empty.jpg」は中身が空です。もう一度選び直してください。"
    )


def test_truncated_photo_is_refused_as_broken():
    source = crafted.gps_jpeg(size=(400, 300))
    message = refusal(upload("cut.jpg", source[: len(source) // 2], "image/jpeg"))
    assert message.startswith("「cut.jpg」は写真として読み取れませんでした。")


def test_cmyk_jpeg_becomes_rgb_with_its_colours():
    source = crafted.cmyk_jpeg()
    assert Image.open(io.BytesIO(source)).mode == "CMYK"

    processed = process_upload(upload("print.jpg", source, "image/jpeg"))

    image = opened(processed)
    assert image.mode == "RGB"
    assert colour_near(image.getpixel((15, 10)), crafted.RED)


def test_heic_from_a_phone_becomes_a_jpeg_without_metadata():
    try:
        source = crafted.heic_with_gps()
    except (OSError, ValueError, KeyError) as error:  # pragma: no cover - depends on libheif
        pytest.skip(f"pillow-heif cannot encode HEIC here ({error}); decoding is still used")
    assert source[4:12] == b"ftypheic"

    processed = process_upload(upload("IMG_0002.HEIC", source, "image/heic"))

    assert processed.content_type == "image/jpeg"
    assert processed.content.name.endswith(".jpg")
    image = opened(processed)
    assert image.format == "JPEG"
    assert image.size == (40, 20)
    assert colour_near(image.getpixel((5, 10)), crafted.RED, tolerance=60)
    assert_no_metadata(processed)


def test_webp_stays_webp_without_metadata():
    processed = process_upload(upload("sticker.webp", crafted.webp_with_exif(), "image/webp"))

    assert processed.content_type == "image/webp"
    assert processed.content.name.endswith(".webp")
    assert opened(processed).format == "WEBP"
    assert_no_metadata(processed)


def test_large_photo_is_scaled_down():
    source = crafted.save(crafted.two_colour((6000, 2000)), "JPEG", quality=70)

    image = opened(process_upload(upload("wide.jpg", source, "image/jpeg")))

    assert image.size == (2400, 800)


@pytest.mark.parametrize(
    ("source", "mode", "pixel"),
    [
        (crafted.png(mode="P", colour=3, transparency=3), "RGBA", None),
        (crafted.png(mode="LA", colour=(128, 100)), "LA", (128, 100)),
        (crafted.png(mode="1", colour=1), "L", 255),
        (crafted.png(mode="I;16", colour=0x8000), "L", 127),
        (crafted.png(mode="RGBA", colour=(255, 0, 0, 128)), "RGBA", (255, 0, 0, 128)),
    ],
    ids=["paletted-transparent", "grey-alpha", "one-bit", "16-bit-grey", "rgba"],
)
def test_odd_png_modes_become_ordinary_ones(source, mode, pixel):
    image = opened(process_upload(upload("odd.png", source, "image/png")))

    assert image.mode == mode
    if pixel is not None:
        assert image.getpixel((0, 0)) == pixel


def test_transparent_heic_is_flattened_on_white():
    # HEIC is stored as JPEG, which has no transparency.
    try:
        source = crafted.save(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "HEIF")
    except (OSError, ValueError, KeyError) as error:  # pragma: no cover
        pytest.skip(f"pillow-heif cannot encode HEIC here ({error})")

    image = opened(process_upload(upload("clear.heic", source)))

    assert image.mode == "RGB"
    assert colour_near(image.getpixel((5, 5)), (255, 255, 255))


def test_control_characters_are_dropped_from_the_shown_name():
    processed = process_upload(upload("a\r\nb\x00c.png", crafted.png()))
    assert processed.original_name == "abc.png"
    long_name = process_upload(upload("長" * 230 + ".png", crafted.png())).original_name
    assert long_name == "長" * 196 + ".png"
    assert process_upload(upload("\x07", crafted.png())).original_name == "名前のないファイル"


# --- PDF ----------------------------------------------------------------------------


def test_pdf_is_accepted_and_kept_byte_for_byte():
    source = crafted.pdf()
    assert b"stream" in source  # a real PDF with a binary image stream

    processed = process_upload(upload("計画書.pdf", source, "application/pdf"))

    assert processed.kind == "document"
    assert processed.content_type == "application/pdf"
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", processed.content.name)
    assert stored_bytes(processed) == source
    assert processed.size == len(source)


def test_pdf_with_harmless_lookalike_names_is_accepted():
    source = crafted.handmade_pdf(b"/JSFoo 1 /Launcher 2 /Info << /Title (JavaScript) >>")
    assert process_upload(upload("ok.pdf", source)).kind == "document"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (crafted.pdf_with_javascript(), "プログラム（JavaScript）が含まれている"),
        (crafted.handmade_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"), "JavaScript"),
        (crafted.pdf_with_hidden_javascript(), "JavaScript"),
        (crafted.handmade_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "ほかのアプリを起動"),
        (
            crafted.handmade_pdf(b"/Names << /EmbeddedFiles << /Names [] >> >>"),
            "別のファイルが埋め込まれている",
        ),
        (
            crafted.handmade_pdf(body=b"5 0 obj\n<< /Type /EmbeddedFile >>\nendobj\n"),
            "別のファイルが埋め込まれている",
        ),
    ],
    ids=["javascript", "escaped-name", "in-object-stream", "launch", "names-tree", "file"],
)
def test_pdf_with_active_content_is_refused_with_the_reason(source, reason):
    message = refusal(upload("申請.pdf", source, "application/pdf"))
    assert message.startswith("「申請.pdf」")
    assert reason in message
    assert "受け付けられません" in message


def test_encrypted_pdf_is_refused():
    source = crafted.handmade_pdf().replace(b"<< /Root", b"<< /Encrypt 9 0 R /Root")
    assert "パスワードなどで保護された PDF" in refusal(upload("locked.pdf", source))


def test_fake_pdfs_are_refused():
    no_end = b"%PDF-1.4\nThis is not really a PDF at all.\n" * 50
    assert refusal(upload("fake.pdf", no_end)) == (
        "「fake.pdf」は PDF として読み取れませんでした（ファイルの終わりが見つかりません）。"
        "PDF を保存し直してから選んでください。"
    )
    assert refusal(upload("letter.pdf", b"Dear staff,\n%%EOF\n", "application/pdf")) == (
        f"「letter.pdf」は使えない形式です。{FORMATS}"
    )


def test_pdf_where_only_photos_are_taken():
    message = refusal(upload("plan.pdf", crafted.pdf()), allow_documents=False)
    assert (
        message == "「plan.pdf」は PDF です。ここでは写真（JPEG・PNG・WebP・HEIC）だけを選べます。"
    )
    with pytest.raises(ValidationError):
        process_image(upload("plan.pdf", crafted.pdf()))
    assert refusal(upload("a.gif", crafted.gif()), allow_documents=False) == (
        "「a.gif」は使えない形式です。写真（JPEG・PNG・WebP・HEIC）を選んでください。"
    )


# --- AttachmentsField in a real form ------------------------------------------------


class FilesForm(forms.Form):
    files = AttachmentsField(label="写真・書類")


class PhotosOnlyForm(forms.Form):
    photos = AttachmentsField(label="写真", allow_documents=False, max_files=3, required=True)


def bound(form_class, name, uploads):
    return form_class(data={}, files=MultiValueDict({name: uploads}))


def test_form_takes_several_files_and_gives_clean_uploads():
    form = bound(
        FilesForm,
        "files",
        [
            upload("IMG_0001.JPG", crafted.gps_jpeg(), "image/jpeg"),
            upload("photo.jpg", crafted.png(), "image/jpeg"),
            upload("計画書.pdf", crafted.pdf(), "application/pdf"),
        ],
    )

    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["files"]
    assert [item.content_type for item in cleaned] == ["image/jpeg", "image/png", "application/pdf"]
    assert [item.kind for item in cleaned] == ["photo", "photo", "document"]
    assert set(cleaned[0].as_attachment_kwargs()) == {
        "content",
        "kind",
        "content_type",
        "original_name",
        "size",
    }


def test_form_without_files_is_valid_and_empty_unless_required():
    form = FilesForm(data={}, files=MultiValueDict())
    assert form.is_valid()
    assert form.cleaned_data["files"] == []

    form = PhotosOnlyForm(data={}, files=MultiValueDict())
    assert not form.is_valid()
    assert form.errors["photos"] == ["ファイルを選んでください。"]


def test_form_names_every_bad_file_at_once():
    form = bound(
        FilesForm,
        "files",
        [
            upload("ok.png", crafted.png()),
            upload("photo.jpg", b"just text", "image/jpeg"),
            upload("anime.gif", crafted.gif()),
            upload("evil.pdf", crafted.pdf_with_javascript()),
        ],
    )

    assert not form.is_valid()
    errors = form.errors["files"]
    assert len(errors) == 3
    assert errors[0] == f"「photo.jpg」は使えない形式です。{FORMATS}"
    assert errors[1] == f"「anime.gif」は使えない形式です。{FORMATS}"
    assert errors[2].startswith("「evil.pdf」にはプログラム（JavaScript）")


def test_too_many_files_are_refused_before_any_is_read():
    uploads = [upload(f"{n}.png", crafted.png()) for n in range(MAX_FILES)]
    uploads.append(NeverRead("extra.jpg", b"", content_type="image/jpeg"))

    form = bound(FilesForm, "files", uploads)

    assert not form.is_valid()
    assert form.errors["files"] == [
        "ファイルは 5 個までです（6 個選ばれています）。5 個以内に減らしてから送ってください。"
    ]


def test_photo_only_field_refuses_pdf_and_has_its_own_limit():
    form = bound(PhotosOnlyForm, "photos", [upload("plan.pdf", crafted.pdf())])
    assert not form.is_valid()
    assert form.errors["photos"] == [
        "「plan.pdf」は PDF です。ここでは写真（JPEG・PNG・WebP・HEIC）だけを選べます。"
    ]

    form = bound(PhotosOnlyForm, "photos", [upload(f"{n}.png", crafted.png()) for n in range(4)])
    assert not form.is_valid()
    assert "ファイルは 3 個までです（4 個選ばれています）。" in form.errors["photos"][0]


def test_widget_lets_the_phone_pick_several_files_of_the_right_types():
    html = str(FilesForm()["files"])
    assert 'type="file"' in html
    assert " multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf"' in html
    assert FilesForm()["files"].help_text == (
        "写真（JPEG・PNG・WebP・HEIC）か PDF を 5 個まで選べます。1つのファイルは 10 MB までです。"
    )

    html = str(PhotosOnlyForm()["photos"])
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif"' in html
    assert "application/pdf" not in html


def test_widget_renders_through_the_site_field_template():
    html = FilesForm()["files"].as_field_group()
    assert "写真・書類" in html
    assert "10 MB" in html


# --- PhotoField for SalonPhoto ------------------------------------------------------


class SalonPhotoForm(forms.ModelForm):
    image = PhotoField(label="写真")

    class Meta:
        model = SalonPhoto
        fields = ["salon", "image", "alt_text", "display_order"]


@pytest.fixture
def salon(db):
    return SalonFactory()


def photo_form(form_class, salon, image, instance=None):
    files = MultiValueDict({"image": [image]}) if image else MultiValueDict()
    data = {"salon": salon.pk, "alt_text": "公会堂で体操をする参加者", "display_order": 0}
    return form_class(data=data, files=files, instance=instance)


def test_salon_photo_is_saved_re_encoded_under_a_generated_name(salon):
    form = photo_form(SalonPhotoForm, salon, upload("自宅の前.jpg", crafted.gps_jpeg()))

    assert form.is_valid(), form.errors
    photo = form.save()

    assert re.fullmatch(r"salons/[0-9a-f]{32}\.jpg", photo.image.name)
    assert "自宅" not in photo.image.name
    assert (photo.width, photo.height) == (20, 40)  # the orientation was applied
    with photo.image.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert not dict(image.getexif())
    assert b"TestPhone" not in data
    assert "icc_profile" not in image.info


def test_salon_photo_png_stays_png_and_html_is_gone(salon):
    form = photo_form(SalonPhotoForm, salon, upload("p.jpg", crafted.png() + crafted.HTML))

    assert form.is_valid(), form.errors
    photo = form.save()

    assert photo.image.name.endswith(".png")
    with photo.image.open("rb") as stored:
        assert b"<script" not in stored.read()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.pdf", crafted.pdf(), "「plan.pdf」は PDF です。"),
        ("photo.jpg", b"hello", "「photo.jpg」は使えない形式です。"),
        ("anime.gif", crafted.gif(), "「anime.gif」は使えない形式です。"),
    ],
)
def test_salon_photo_refuses_what_is_not_a_photo(salon, name, data, message):
    form = photo_form(SalonPhotoForm, salon, upload(name, data))

    assert not form.is_valid()
    assert form.errors["image"][0].startswith(message)
    assert not SalonPhoto.objects.exists()


def test_salon_photo_is_required_when_new_and_kept_when_editing(salon):
    form = photo_form(SalonPhotoForm, salon, None)
    assert not form.is_valid()
    assert "image" in form.errors

    photo = photo_form(SalonPhotoForm, salon, upload("a.png", crafted.png())).save()
    name = photo.image.name
    form = photo_form(SalonPhotoForm, salon, None, instance=photo)
    assert form.is_valid(), form.errors
    assert form.save().image.name == name


def test_photo_field_as_the_model_fields_form_class(salon):
    # What the admin's formfield_overrides / Meta.field_classes do.
    form_class = modelform_factory(
        SalonPhoto,
        fields=["salon", "image", "alt_text", "display_order"],
        field_classes={"image": PhotoField},
    )
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif"' in str(
        form_class()["image"]
    )

    form = photo_form(form_class, salon, upload("IMG.JPG", crafted.gps_jpeg()))

    assert form.is_valid(), form.errors
    photo = form.save()
    with photo.image.open("rb") as stored:
        assert not dict(Image.open(stored).getexif())
