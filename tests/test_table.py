"""write_stored writes the CSV straight from the database: byte for byte what the DataFrame route writes."""
import subprocess
import sys
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from clirun import REPO
from pipeline.output import write_stored
from pipeline.records import Commitment
from pipeline.store import Store, StoredDocument
from pipeline.table import to_frame, write

# text a CSV must quote or a spreadsheet would run: commas, quotes, line breaks, formula starts
texts = st.text(alphabet=st.sampled_from(list('新增企业家,"\n\r=+-@\t\' 0')), max_size=8)
numbers = st.one_of(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
                    st.decimals(min_value=-10**9, max_value=10**9, places=3), st.integers(-10**6, 10**6))
years = st.one_of(st.none(), st.integers(1949, 2100))
rows = st.builds(Commitment, doc=texts, year=years, region=texts, section=texts, topic=texts, work_area=texts,
                 action=texts, metric=texts, metric_key=texts, quantity_text=texts, value=numbers,
                 value_high=st.one_of(st.none(), numbers), unit=texts, kind=texts, comparator=texts,
                 aspirational=st.booleans(), status=texts, period=years, check=texts, sentence=texts,
                 start=st.integers(0, 10**7), end=st.integers(0, 10**7))


def stored(folder, rows: list[Commitment]) -> Store:
    store = Store(folder / "db.sqlite")
    store.save("k", "a_2024.txt", StoredDocument("", "", "text", "utf-8", 0, len(rows), "ok", "", 0.0), rows)
    store.commit()
    return store


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, max_size=6), st.booleans())
def test_csv_from_the_database_is_the_csv_of_its_frame(tmp_path_factory, batch, safe):
    folder = tmp_path_factory.mktemp("csv")
    store = stored(folder, batch)
    direct, count = write_stored(store, ["k"], folder / "direct.csv", safe_for_excel=safe)
    assert count == len(batch)
    assert direct.read_bytes() == write(to_frame(store.rows(["k"])), folder / "frame.csv",
                                        safe_for_excel=safe).read_bytes()
    store.close()


def test_csv_as_written(tmp_path):
    row = Commitment("r0123456789abcdef", "a_2024.txt", None, "某市", "", "", "", "新增", "企业", "", "3.8亿美元",
                     Decimal(380000000), None, "美元", "level", "=", True, "target", 2024, "long", "machine", '=1,"2"',
                     5, 11)
    store = stored(tmp_path, [row])
    out, _ = write_stored(store, ["k"], tmp_path / "r.csv", safe_for_excel=True)
    store.close()
    lines = out.read_bytes().decode("utf-8").split("\n")
    assert lines[0].startswith("\ufeffrow_id,doc,year,region,")
    assert lines[1] == ("r0123456789abcdef,a_2024.txt,,某市,,,,新增,企业,,3.8亿美元,380000000,,美元,level,'=,1,target,"
                        "2024,long,machine,\"'=1,\"\"2\"\"\",5,11")
    assert lines[2:] == [""]


def test_extract_to_csv_never_imports_pandas(tmp_path):
    """A quarter of a second of every run's start-up; the other formats load it when asked."""
    (tmp_path / "a_2024.txt").write_text("新增国家高新技术企业46家。\n", encoding="utf-8")
    script = ("import sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
              "print(code, 'pandas' in sys.modules)")
    for name, imported in (("rows.csv", "False"), ("rows.jsonl", "True")):
        p = subprocess.run([sys.executable, "-c", script, "extract", str(tmp_path / "a_2024.txt"), "-o",
                            str(tmp_path / name), "--quiet"], capture_output=True, text=True, cwd=REPO)
        assert p.stdout.split() == ["0", imported], p.stderr
