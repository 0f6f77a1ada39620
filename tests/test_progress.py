"""The progress bar of extract: files done, characters per second and the time left."""
import io

from pipeline.progress import Progress, duration


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_bar_shows_files_done_characters_per_second_and_time_left(tmp_path):
    small, large = tmp_path / "a.txt", tmp_path / "b.txt"
    small.write_text("x" * 100)
    large.write_text("x" * 300)
    screen = Terminal()
    progress = Progress([small, large], quiet=False, stream=screen)
    progress.update(small, 100)
    progress.bar.refresh()  # tqdm redraws at most every 0.1 s
    shown = screen.getvalue().split("\r")[-1]
    assert "1/2 files" in shown and "chars/s" in shown and "left" in shown
    progress.update(large, 300)
    assert progress.close() >= 0
    assert "2/2 files" in screen.getvalue()


def test_quiet_or_not_a_terminal_shows_nothing(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("x")
    for quiet, screen in ((True, Terminal()), (False, io.StringIO())):
        progress = Progress([doc], quiet=quiet, stream=screen)
        progress.update(doc, 1)
        progress.close()
        assert screen.getvalue() == ""


def test_durations_read_as_clock_time():
    assert [duration(s) for s in (0, 42, 65, 3909)] == ["0:00", "0:42", "1:05", "1:05:09"]
