"""Activity photos for the Word file: opened, checked, turned upright and shrunk to what a page shows.

Pillow reads them (imported only when a report has photos). A phone photo of 4000 px and
5 MB becomes at most :data:`MAX_SIDE` px, so twenty photos make a file that still goes by
e-mail; a JPEG that is already small and upright is embedded byte for byte.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

from .limits import MAX_IMAGE_PIXELS, MAX_PHOTO_BYTES

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


@contextmanager
def _opened(source: Path | BinaryIO) -> Iterator[PILImage]:
    """``source`` opened by Pillow (its header read, nothing decoded yet); a file over
    :data:`MAX_PHOTO_BYTES` or an image over :data:`MAX_IMAGE_PIXELS`, and whatever goes wrong
    reading or decoding, is a PhotoError."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # checked below, from the header, with the size in the message
    try:
        if isinstance(source, Path) and source.stat().st_size > MAX_PHOTO_BYTES:
            raise PhotoError(f"文件超过 {MAX_PHOTO_BYTES // 2**20} MB，请先缩小（如用手机或画图另存为较小的 JPG）")
        with warnings.catch_warnings(), Image.open(source) as image:
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise PhotoError(f"图片有 {width}×{height} 像素，超过上限 {MAX_IMAGE_PIXELS // 10**4} 万像素，"
                                 "请先缩小后再用")
            yield image
    except FileNotFoundError:
        raise PhotoError("照片文件不存在，请检查路径和文件名（包括扩展名 .jpg/.png）") from None
    except IsADirectoryError:
        raise PhotoError("这是一个文件夹，不是照片") from None
    except PermissionError:
        raise PhotoError("没有读取权限，请检查照片是否被其他程序锁定") from None
    except UnidentifiedImageError:
        raise PhotoError(f"不是能识别的图片（支持 {READABLE}；手机的 HEIC 照片请先转成 JPG）") from None
    except Image.DecompressionBombError:
        raise PhotoError("图片像素过多，请先缩小后再用") from None
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, IndexError, EOFError, MemoryError, struct.error,
            zlib.error):  # what Pillow's decoders raise on a damaged file
        raise PhotoError("图片已损坏或不完整，请重新导出或换一张") from None


def _inside(path: Path, root: Path) -> Path:
    """``path`` resolved (links followed); a PhotoError when that leaves ``root``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise PhotoError(f"在单位文件所在文件夹（{root}）之外，不能使用")
    return resolved


def load_picture(path: Path) -> Picture:
    """Read ``path`` as a picture; raise :class:`PhotoError` when it is missing or broken."""
    with _opened(path) as opened:
        source_format, full_size = opened.format, opened.size
        turned = _exif_orientation(opened) not in (1, None)
        if source_format == "JPEG" and not turned and max(full_size) <= MAX_SIDE and opened.mode in {"RGB", "L"}:
            opened.load()  # a broken JPEG fails here
            return Picture(path.read_bytes(), "jpeg", *full_size)
        return _converted(opened)


def picture_bytes(stream: BinaryIO) -> bytes:
    """An image in any format Pillow reads (WebP …) as PNG or JPEG bytes Word shows."""
    with _opened(stream) as opened:
        return _converted(opened).data


def _exif_orientation(image: PILImage) -> int | None:
    try:
        value = image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, IndexError, EOFError):
        return 1  # unreadable EXIF: taken as upright
    return value if isinstance(value, int) else 1


def _converted(opened: PILImage) -> Picture:
    """``opened`` (the first frame) upright, at most :data:`MAX_SIDE` px, as PNG when it has
    transparency or few colours, else as JPEG; any mode Pillow reads (palette with
    transparency, 16-bit, CMYK, float …) comes out as one Word shows."""
    from PIL import Image, ImageOps

    opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a fraction of the size
    try:
        image = ImageOps.exif_transpose(opened)  # a copy, upright and loaded
    except (SyntaxError, ValueError, TypeError, KeyError, IndexError):  # bad EXIF: as it is
        image = opened.copy()
    if image.width < 1 or image.height < 1:
        raise PhotoError("图片没有内容（宽或高为 0）")
    clear = image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info
    if clear:
        image = image.convert("RGBA")
    elif image.mode.startswith("I"):  # 16- or 32-bit grey: scaled, not clipped to white
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    elif image.mode not in {"RGB", "L", "P", "1"}:  # CMYK, YCbCr, LAB, HSV, F …
        image = image.convert("RGB")
    flat = image.mode in {"P", "1"}
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if clear or flat:
        image.save(out, "PNG", optimize=False)
        return Picture(out.getvalue(), "png", image.width, image.height)
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return Picture(out.getvalue(), "jpeg", image.width, image.height)


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
