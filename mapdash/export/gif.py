"""Animated GIFs from PNG frames, with one palette for all frames."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from ..errors import ExportError
from .files import check_gif_path, write_bytes

#: How long each frame shows by default, in milliseconds (the last one three times as long).
FRAME_MS = 1500


def gif_bytes(frames: Sequence[bytes], *, frame_ms: int = FRAME_MS) -> bytes:
    """Assemble PNG frames into a looping GIF; the last frame is held three times as long.

    Parameters
    ----------
    frames
        PNG images of equal size, in order.
    frame_ms
        How long each frame shows, in milliseconds.

    Raises
    ------
    ExportError
        If there are no frames or the pause is not positive.
    """
    from PIL import Image

    if not frames:
        raise ExportError("nothing to animate: the selection has no events")
    if frame_ms <= 0:
        raise ExportError(f"--frame-ms must be positive, got {frame_ms}")
    images = [Image.open(io.BytesIO(frame)).convert("RGB") for frame in frames]
    # One palette drawn from every frame keeps colours steady from frame to frame.
    width, height = images[0].width // 4, images[0].height // 4
    sample = Image.new("RGB", (width, height * len(images)))
    for i, image in enumerate(images):
        sample.paste(image.resize((width, height)), (0, height * i))
    palette = sample.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    quantized = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    buffer = io.BytesIO()
    quantized[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=quantized[1:],
        duration=[frame_ms] * (len(images) - 1) + [frame_ms * 3],
        loop=0,
        disposal=1,
    )
    return buffer.getvalue()


def animate(frames: Sequence[bytes], path: Path, *, frame_ms: int = FRAME_MS) -> Path:
    """Write PNG frames as a looping GIF into ``path`` (see :func:`gif_bytes`).

    Raises
    ------
    ExportError
        If there are no frames, the pause is not positive, or the path cannot be written.
    """
    check_gif_path(path)
    return write_bytes(path, gif_bytes(frames, frame_ms=frame_ms))


__all__ = ["FRAME_MS", "animate", "gif_bytes"]
