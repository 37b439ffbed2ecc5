"""Mutation fuzzing of what reaches Word from outside the unit file: Markdown with XML-hostile
text and odd 版式 font names, reference documents (letterheads) with damaged parts, and photos
with damaged bytes. Each finding is a description; none means every output was sound.

Used by tests/test_office_hardening.py with a small budget, and by benchmarks/office_fuzz.py
for long runs.
"""

from __future__ import annotations

import io
import random
import tempfile
import traceback
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

from chuangcheng.errors import ChuangchengError
from chuangcheng.load.layout import Layout
from chuangcheng.office.letterhead import package
from chuangcheng.office.word import build_docx
from chuangcheng.read.images import PhotoError, check_picture, load_picture

from .docx_check import problems

ATOMS = ["# ", "## ", "#### ", "###### ", "\n", "\n\n", "---\n", "**", "*", "`", "<br>", "&#1;", "&#xFFFE;",
         "&#55296;", "&amp;", "&", "<", ">", '"', "'", "\x01", "\x0b", "\ufffe", "\ud800", "文字",
         "| a | b |\n|---|:-:|\n| 1 | 2 |\n", '<p class="signoff">甲&#2;<br>乙&lt;</p>\n', "1. ", "- ", "\\",
         "<w:t>", "]]>", "<!--", "-->", "\u2028", "\t", "\r", "999999999999. x\n", '<table style="x">']
FONTS = ["仿宋", "A&B", "<x>", '"q"', "\x01z", "'", "&amp;"]
SNIPPETS = [b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"&amp;", b' r:id="rIdX"', b"<", b">", b'"', b"\x00",
            b"\xff\xfe", b'<w:hyperlink r:id="rId9"/>', b"</w:p>", b"<w:p>", b'xmlns:r="x"', b"\xe4\xb8", b"]]>",
            b"<![CDATA[", b"%20"]
HOT = ("header", "footer", "rels", "fontTable", "media", "theme", "numbering")


def _unexpected(what: str) -> str:
    return f"{what}: {traceback.format_exc(limit=-3)}"


def markdown(seed: int, count: int) -> Iterator[str]:
    """Random Markdown and font names through build_docx: a ChuangchengError or a sound .docx."""
    rng = random.Random(seed)
    for _ in range(count):
        text = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 60)))
        layout = Layout(body_font=rng.choice(FONTS), title_font=rng.choice(FONTS))
        try:
            found = problems(build_docx(text, layout))
        except ChuangchengError:
            continue
        except Exception:
            yield _unexpected(repr(text)[:200])
            continue
        if found:
            yield f"{text!r}: {found[:3]}"


def _mutate(rng: random.Random, parts: dict[str, bytes]) -> dict[str, bytes]:
    parts = dict(parts)
    for _ in range(rng.randint(1, 3)):
        hot = [n for n in parts if any(k in n for k in HOT)]
        name = rng.choice(hot if hot and rng.random() < 0.8 else list(parts))
        data = bytearray(parts[name])
        op = rng.random()
        if op < 0.3 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.6:
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.choice(SNIPPETS)
        elif op < 0.7:
            data = data[: rng.randrange(len(data) + 1)]
        elif op < 0.8:
            parts.pop(name)
            continue
        elif op < 0.9:
            parts.pop(name)
            parts[name.rsplit(".", 1)[0] + rng.choice([".jfif", ".webp", ".emf", ".xyz", ".PNG", ""])] = bytes(data)
            continue
        else:
            data = (data.replace(b'Target="', b'Target="../', 1) if rng.random() < 0.5
                    else data.replace(b'Id="rId', b'Id="r Id', 1))
        parts[name] = bytes(data)
    return parts


def references(letterhead: Path, seed: int, count: int) -> Iterator[str]:
    """Mutants of ``letterhead`` as reference documents: a ChuangchengError or a sound .docx."""
    rng = random.Random(seed)
    with zipfile.ZipFile(letterhead) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(count):
            reference = Path(tmp) / f"{n}.docx"
            with zipfile.ZipFile(reference, "w") as archive:
                for name, data in _mutate(rng, parts).items():
                    archive.writestr(name, data)
            package.cache_clear()
            try:
                found = problems(build_docx("# 标题\n\n正文\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                                            Layout(reference=str(reference))))
            except ChuangchengError as exc:
                if any(word in line for line in exc.lines() for word in ("Error", "None", "Traceback")):
                    yield f"mutant {n}: {exc.lines()}"
                continue
            except Exception:
                yield _unexpected(f"mutant {n}")
                continue
            if found:
                yield f"mutant {n}: {found[:3]}"


def photos(bases: list[bytes], seed: int, count: int) -> Iterator[str]:
    """Damaged images through check_picture and load_picture: a PhotoError or a JPEG/PNG in a
    mode Word shows."""
    from PIL import Image

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(count):
            data = bytearray(rng.choice(bases))
            for _ in range(rng.randint(1, 4)):
                op = rng.random()
                if op < 0.5:
                    data[rng.randrange(len(data))] = rng.randrange(256)
                elif op < 0.7 and len(data) > 2:
                    data = data[: rng.randrange(1, len(data))]
                elif op < 0.85:
                    at = rng.randrange(len(data))
                    data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
                else:
                    at = rng.randrange(max(1, len(data) - 4))
                    data[at:at + 4] = rng.choice([b"\xff\xff\xff\xff", b"\0\0\0\0", b"\x7f\xff\xff\xff"])
            path = folder / f"{n}.img"
            path.write_bytes(bytes(data))
            try:
                check_picture(path, folder)
                picture = load_picture(path)
            except PhotoError:
                continue
            except Exception:
                yield _unexpected(f"photo {n}")
                continue
            finally:
                path.unlink()
            with warnings.catch_warnings():  # a small upright JPEG is embedded as it is, odd EXIF and all
                warnings.simplefilter("ignore")
                image = Image.open(io.BytesIO(picture.data))
            if image.format is None or image.format.lower() != picture.ext or image.mode not in {"RGB", "RGBA", "L"}:
                yield f"photo {n}: embedded as {image.format} {image.mode}"
