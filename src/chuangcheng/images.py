"""Activity photos for the Word file: opened, checked, turned upright and shrunk to what a page shows.

Pillow reads them (imported only when a report has photos). A phone photo of 4000 px and
5 MB becomes at most :data:`MAX_SIDE` px, so twenty photos make a file that still goes by
e-mail; a JPEG that is already small and upright is embedded byte for byte.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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


@contextmanager
def _opened(path: Path) -> Iterator[PILImage]:
    """``path`` opened by Pillow; whatever goes wrong, reading or decoding, is a PhotoError."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings(), Image.open(path) as image:
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
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
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"图片已损坏或不完整（{exc}），请重新导出或换一张") from None


def _inside(path: Path, root: Path) -> Path:
    """``path`` resolved (links followed); a PhotoError when that leaves ``root``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise PhotoError(f"在单位文件所在文件夹（{root}）之外，不能使用")
    return resolved


def load_picture(path: Path) -> Picture:
    """Read ``path`` as a picture; raise :class:`PhotoError` when it is missing or broken."""
    from PIL import Image, ImageOps

    with _opened(path) as opened:
        source_format, full_size = opened.format, opened.size
        turned = opened.getexif().get(0x0112, 1) not in (1, None)  # EXIF orientation
        if source_format == "JPEG" and not turned and max(full_size) <= MAX_SIDE and opened.mode in {"RGB", "L"}:
            opened.load()  # a broken JPEG fails here
            return Picture(path.read_bytes(), "jpeg", *full_size)
        opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a fraction of the size
        image = ImageOps.exif_transpose(opened)  # a copy, upright and loaded
    if image.width < 1 or image.height < 1:
        raise PhotoError("图片没有内容（宽或高为 0）")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if image.mode in {"RGBA", "LA", "P", "PA", "1", "I;16"} or "transparency" in image.info:
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
