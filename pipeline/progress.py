"""The progress of a long run on stderr: files done, characters per second and the time left, the
time left reckoned from the bytes still to read (documents differ a hundredfold in size, so a count
of files says little). Clock time shows here and in the summary line only, never in an output."""
from __future__ import annotations

import sys
import time
from pathlib import Path


def duration(seconds: float) -> str:
    """0:42, 1:05:09."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:0{2 if hours else 1}d}:{rest % 60:02d}"


class Progress:
    def __init__(self, files: list[Path], quiet: bool, stream=None):
        from tqdm import tqdm

        self.stream = stream or sys.stderr  # shown on a terminal only

        self.sizes = {str(f): f.stat().st_size for f in files}
        self.total_bytes = sum(self.sizes.values())
        self.done_bytes = self.chars = 0
        self.started = time.monotonic()
        self.bar = tqdm(total=len(files), unit="file", disable=quiet or None, file=self.stream,
                        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} files [{elapsed}, {postfix}]")

    def update(self, path: Path, chars: int) -> None:
        self.done_bytes += self.sizes.get(str(path), 0)
        self.chars += chars
        elapsed = max(time.monotonic() - self.started, 1e-9)
        left = (self.total_bytes - self.done_bytes) * elapsed / self.done_bytes if self.done_bytes else 0
        self.bar.set_postfix_str(f"{self.chars / elapsed:,.0f} chars/s, {duration(left)} left", refresh=False)
        self.bar.update()

    def write(self, line: str) -> None:
        self.bar.write(line, file=self.stream)

    def close(self) -> float:
        """Close the bar; the seconds since the start."""
        self.bar.close()
        return time.monotonic() - self.started
