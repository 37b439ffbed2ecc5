"""Activity photos for the Word file: opened, checked, turned upright and shrunk to what a page shows.

Pillow reads them (imported only when a report has photos). A phone photo of 4000 px and
5 MB becomes at most :data:`MAX_SIDE` px, so twenty photos make a file that still goes by
e-mail; a JPEG that is already small and upright is embedded byte for byte.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import limits

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_SIDE = 1600  # pixels: a photo at text width (156 mm) still prints at ≈ 260 dpi
JPEG_QUALITY = 85
READABLE = "JPG、PNG、GIF、BMP、WebP、TIFF"


def posix(photo: str) -> str:
    """A photo path as written in a unit file (``照片\\0305.jpg`` from Windows too), with ``/``."""
    return photo.replace("\\", "/")


class PhotoError(Exception):
    """A photo that cannot go into the report; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class Picture:
    """An image ready to embed: its bytes, file extension and size in pixels."""

    data: bytes
    ext: str  # "jpeg" or "png"
    width: int
    height: int


# What Pillow may open: the formats photos come in (no EPS, PDF or other plug-in that runs tools).
FORMATS = ("JPEG", "PNG", "GIF", "BMP", "DIB", "WEBP", "TIFF")
_ALPHA = {"RGBA", "LA", "PA", "RGBa", "La"}
_MB = 1024 * 1024


@contextmanager
def _opened(source: Path | bytes) -> Iterator[PILImage]:
    """``source`` (a file or its bytes) opened by Pillow, its header checked against the limits;
    whatever goes wrong, reading or decoding, is a PhotoError."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS  # Pillow warns above it, refuses above twice it
    try:
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        if size > limits.MAX_PHOTO_BYTES:
            raise PhotoError(f"文件超过 {limits.MAX_PHOTO_BYTES // _MB} MB，"
                             "请先缩小（如用画图或手机相册导出较小的尺寸）后再用")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's English about odd EXIF and tags: not for the user
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source, formats=FORMATS) as image:
                if image.width * image.height > limits.MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombWarning
                yield image
    except FileNotFoundError:
        raise PhotoError("照片文件不存在，请检查路径和文件名（包括扩展名 .jpg/.png）") from None
    except IsADirectoryError:
        raise PhotoError("这是一个文件夹，不是照片") from None
    except PermissionError:
        raise PhotoError("没有读取权限，请检查照片是否被其他程序锁定") from None
    except UnidentifiedImageError:
        raise PhotoError(f"不是能识别的图片（支持 {READABLE}；手机的 HEIC 照片请先转成 JPG）") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"图片像素过多（超过 {limits.MAX_IMAGE_PIXELS // 10_000} 万像素），"
                         "请先缩小后再用") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, ZeroDivisionError,
            struct.error, MemoryError):
        raise PhotoError("图片已损坏或不完整，请重新导出或换一张") from None


def _inside(path: Path, root: Path) -> Path:
    """``path`` resolved (links followed); a PhotoError when that leaves ``root``."""
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL in the name, a loop of links
        raise PhotoError("路径无法使用（含有不能出现在文件名里的字符，或是循环的快捷方式）") from None
    if not resolved.is_relative_to(root.resolve()):
        raise PhotoError(f"在单位文件所在文件夹（{root}）之外，不能使用")
    return resolved


def _word_ready(image: PILImage) -> tuple[PILImage, str]:
    """``image`` in a mode Word shows, and the format to save it in: transparency as RGBA PNG,
    16-bit and 32-bit grey scaled to 8 bits, CMYK, palettes and the rest as RGB (or grey) JPEG.
    An image already in its mode is returned as it is (a photo at the pixel limit is 256 MB)."""
    if image.mode in {"I", "F"} or image.mode.startswith("I;16"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode in _ALPHA or "transparency" in image.info:
        return (image if image.mode == "RGBA" else image.convert("RGBA")), "PNG"
    if image.mode in {"1", "P"}:  # drawings and palettes: sharp edges stay sharp
        return image.convert("L" if image.mode == "1" else "RGB"), "PNG"
    return (image if image.mode in {"RGB", "L"} else image.convert("RGB")), "JPEG"


# EXIF orientation → the turn that makes the picture upright (as ImageOps.exif_transpose has it).
_TURNS = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
          7: "TRANSVERSE", 8: "ROTATE_90"}


def _encode(image: PILImage, turn: str | None) -> Picture:
    """``image`` made Word-ready, shrunk to :data:`MAX_SIDE` (in place: no full-size copy of a
    photo already in its mode), then turned upright."""
    from PIL import Image

    if image.width < 1 or image.height < 1:
        raise PhotoError("图片没有内容（宽或高为 0）")
    image, fmt = _word_ready(image)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if turn is not None:
        image = image.transpose(Image.Transpose[turn])
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=False)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return Picture(out.getvalue(), fmt.lower(), image.width, image.height)


def load_picture(path: Path) -> Picture:
    """Read ``path`` as a picture; raise :class:`PhotoError` when it is missing, broken or too large.
    An animation gives its first frame."""
    with _opened(path) as opened:
        source_format, full_size = opened.format, opened.size
        orientation = opened.getexif().get(0x0112, 1)
        turn = _TURNS.get(orientation) if isinstance(orientation, int) else None
        if source_format == "JPEG" and turn is None and max(full_size) <= MAX_SIDE and opened.mode in {"RGB", "L"}:
            # a broken JPEG fails here; decoded at 1/8 scale in grey, as only the check is wanted: every
            # byte is still read and entropy-decoded, at a third of the time (benchmarks/startup.py)
            opened.draft("L", (full_size[0] // 8, full_size[1] // 8))
            opened.load()
            return Picture(path.read_bytes(), "jpeg", *full_size)
        opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a fraction of the size
        return _encode(opened, turn)


def png_bytes(data: bytes) -> bytes:
    """An image file's bytes (any format Pillow reads) as PNG; PhotoError when unusable."""
    with _opened(data) as opened:
        opened.load()
        image = opened.convert("RGBA")
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()


class Pictures:
    """The pictures one report may embed: files under ``root`` (the unit's folder), linked
    relative to ``base`` (where the Markdown is written). Each file is read once."""

    def __init__(self, root: Path, base: Path) -> None:
        self.root = root.resolve()
        self.base = base
        self._loaded: dict[Path, Picture] = {}

    def get(self, src: str) -> Picture:
        """The picture a Markdown link (relative to ``base``) points at."""
        return self.load(self.base / src)

    def load(self, path: Path) -> Picture:
        """The picture at ``path``, refused when it lies outside ``root`` (links followed)."""
        path = _inside(path, self.root)
        if path not in self._loaded:
            self._loaded[path] = load_picture(path)
        return self._loaded[path]


def check_picture(path: Path, root: Path) -> str | None:
    """Why ``path`` is not a usable picture (read from its header only), or None."""
    try:
        with _opened(_inside(path, root)) as image:
            image.verify()
    except PhotoError as exc:
        return str(exc)
    return None
