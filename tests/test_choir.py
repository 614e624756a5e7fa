"""The CHOIR body map as data: segments, crosswalk, the female numbering and the figures."""

from __future__ import annotations

import pytest

import myofascial_graph as mg
from myofascial_graph.cbm import SEGMENT_IDS, choir_body_map, read_choir_body_map
from myofascial_graph.wpi import region_wpi_area

CBM = choir_body_map()


def centre(polygon) -> tuple[float, float]:
    xs, ys = zip(*polygon, strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def test_the_74_segments_with_names_views_and_sides() -> None:
    segments = mg.CHOIR_SEGMENTS
    assert tuple(segments) == SEGMENT_IDS and len(segments) == 74
    assert sum(s.view == "front" for s in segments.values()) == 36
    assert segments[101].name == "Cranium (front-right)" and segments[101].side == "right"
    assert segments[201].name == "Cranium (back-left)" and segments[201].side == "left"
    assert segments[125].name == "Hand (palm-right)" and segments[238].name == "Foot (bottom-right)"
    for segment in segments.values():  # the name says the patient's side
        assert segment.name.endswith(f"-{segment.side})"), segment.name


def test_every_crosswalk_region_exists_and_its_wpi_area_agrees_with_the_regions(G) -> None:
    for number, segment in mg.CHOIR_SEGMENTS.items():
        derived = set()
        for region in segment.regions:
            assert G.nodes[region]["kind"] == "region", (number, region)
            area = region_wpi_area(G, region)
            if area is not None:
                derived.add(area if area in mg.WPI_AREAS else f"{area}_{segment.side}")
        if segment.wpi_area is None:
            assert not derived or segment.note, f"{number}: left out of {derived} without a note"
        else:
            assert segment.wpi_area in derived, (number, segment.wpi_area, derived)
    counted = {s.wpi_area for s in mg.CHOIR_SEGMENTS.values()} - {None}
    assert counted == set(mg.WPI_AREAS)  # every one of the 19 areas can be marked


def test_the_female_figure_numbers_six_front_segments_apart() -> None:
    assert CBM.female_numbering == {112: 116, 113: 117, 114: 112, 115: 113, 116: 114, 117: 115}
    assert mg.CHOIR_SEGMENTS[116].name == "Abdomen (front-right)"


@pytest.mark.parametrize("sex", ["male", "female"])
def test_the_figures_put_each_side_where_the_viewer_sees_it(sex) -> None:
    figure = CBM.figures[sex]
    for view in ("front", "back"):
        polygons = getattr(figure, view)
        middle = (centre(polygons[101 if view == "front" else 201])[0]
                  + centre(polygons[102 if view == "front" else 202])[0]) / 2  # fmt: skip
        for number, polygon in polygons.items():
            x, _ = centre(polygon)
            segment = mg.CHOIR_SEGMENTS[number]
            # front: the patient's right is on the viewer's left; back: on the viewer's right
            on_viewers_left = (segment.side == "right") == (view == "front")
            assert (x < middle) == on_viewers_left, (sex, number, segment.name)
    # top to bottom: head above chest above abdomen above thigh above foot, on both figures
    heights = [centre(figure.front[n])[1] for n in (101, 108, 116, 126, 135)]
    assert heights == sorted(heights)


def test_a_bad_cbm_file_names_file_line_and_record(write) -> None:
    text = (mg.data_dir() / "choir_body_map.yaml").read_text(encoding="utf-8")
    bad = write("choir_body_map.yaml", text.replace("wpi_area: hip_left", "wpi_area: hip_right", 1))
    with pytest.raises(mg.DataError, match=r"choir_body_map.yaml:\d+: choir_body_map 'choir': .*"
                       "not on the left side"):  # fmt: skip
        read_choir_body_map(bad)
    gone = write("gone.yaml", text.replace('    "238":\n', '    "999":\n', 1))
    with pytest.raises(mg.DataError, match=r"gone.yaml:\d+: .*238"):
        read_choir_body_map(gone)


# reading registry data -------------------------------------------------------------------

pd = pytest.importorskip("pandas")


def table(rows: int = 2, **changes):
    """A CBM export in the X101 layout, nobody in pain unless ``changes`` says so."""
    frame = pd.DataFrame({"PATIENT_NUM": range(1, rows + 1), "PAT_SEX": ["male"] * rows,
                          **{f"X{n}": [0] * rows for n in SEGMENT_IDS}})  # fmt: skip
    for column, values in changes.items():
        frame[column] = values
    return frame


def test_read_choir_takes_x_codes_bare_codes_and_names_from_csv_parquet_and_frames(tmp_path):
    frame = table(X223=[1, 0], X101=[0, 1])
    maps = mg.read_choir(frame)
    assert maps.dtypes.unique().tolist() == [bool] and list(maps.columns) == list(SEGMENT_IDS)
    assert maps.index.tolist() == [1, 2] and maps.loc[1, 223] and maps.loc[2, 101]
    assert int(maps.to_numpy().sum()) == 2
    bare = frame.rename(columns=lambda c: c[1:] if c.startswith("X") else c)
    named = frame.rename(columns=lambda c: mg.CHOIR_SEGMENTS[int(c[1:])].name
                         if c.startswith("X") else c)  # fmt: skip
    assert mg.read_choir(bare).equals(maps) and mg.read_choir(named).equals(maps)
    frame.to_csv(tmp_path / "maps.csv", index=False)
    assert mg.read_choir(tmp_path / "maps.csv").equals(maps)
    if pytest.importorskip("pyarrow"):
        frame.to_parquet(tmp_path / "maps.parquet")
        assert mg.read_choir(str(tmp_path / "maps.parquet")).equals(maps)


def test_a_female_patients_front_segments_are_renumbered_and_sex_can_be_set() -> None:
    frame = table(PAT_SEX=["female", "male"], X112=[1, 1], X115=[1, 0])
    maps = mg.read_choir(frame)
    assert sorted(maps.columns[maps.loc[1]]) == [113, 116]  # her abdomen R and elbow R
    assert sorted(maps.columns[maps.loc[2]]) == [112]  # his left biceps
    everyone = mg.read_choir(frame, sex="female")
    assert sorted(everyone.columns[everyone.loc[2]]) == [116]
    assert mg.read_choir(frame.drop(columns="PAT_SEX")).loc[1, 112]  # standard numbering
    with pytest.raises(mg.InvalidArgumentError, match="sex must be"):
        mg.read_choir(frame, sex="F")


def test_missing_cells_are_reported_and_kept_out_never_read_as_no_pain(tmp_path) -> None:
    frame = table(3, X205=[1, None, 0], PAT_SEX=["male", "female", None], X113=[0, 0, 1])
    with pytest.warns(mg.MissingCellsWarning, match=r"2 patient\(s\) with missing cells "
                      r"left out: 2, 3"):  # fmt: skip
        maps = mg.read_choir(frame)
    assert maps.index.tolist() == [1] and maps.attrs["missing"] == [2, 3]
    frame.to_csv(tmp_path / "gaps.csv", index=False)
    with open(tmp_path / "gaps.csv", "a", encoding="utf-8") as handle:
        handle.write("," * (len(frame.columns) - 1) + "\n")
    with pytest.warns(mg.MissingCellsWarning, match=r"1 empty row\(s\) skipped \(line 5\)"):
        assert mg.read_choir(tmp_path / "gaps.csv").attrs["empty_rows"] == [5]


def test_bad_values_and_columns_name_the_row_and_column(tmp_path) -> None:
    with pytest.raises(mg.DataError, match=r"DataFrame: row 1, patient 2: column 'X130': 2 is not"):
        mg.read_choir(table(X130=[0, 2]))
    path = tmp_path / "bad.csv"
    table(X224=["yes", "x"]).to_csv(path, index=False)
    with pytest.raises(mg.DataError, match=r"bad.csv:3: patient 2: column 'X224': 'x' is not 0"):
        mg.read_choir(path)
    assert mg.read_choir(table(X224=["Yes", "no"])).loc[1, 224]
    with pytest.raises(mg.DataError, match=r"column 'X239' is no CBM segment"):
        mg.read_choir(table(X239=[0, 0]))
    with pytest.raises(mg.DataError, match=r"segment 101 is given twice"):
        mg.read_choir(table(**{"101": [0, 0]}))
    with pytest.raises(mg.DataError, match=r"1 CBM segment column\(s\) missing: 238"):
        mg.read_choir(table().drop(columns="X238"))
    with pytest.raises(mg.DataError, match=r"did you mean 'Buttocks \(back-left\)'"):
        mg.read_choir(table(**{"Buttock (back-left)": [0, 0]}))
    with pytest.raises(mg.DataError, match=r"'X' is not male or female"):
        mg.read_choir(table(PAT_SEX=["X", "male"]))
    with pytest.raises(mg.DataError, match=r"patient id 1 repeats"):
        mg.read_choir(table(PATIENT_NUM=[1, 1]))
    with pytest.raises(mg.DataError, match=r"no such file"):
        mg.read_choir(tmp_path / "nowhere.csv")


# scoring and criteria on CBM maps --------------------------------------------------------


def cbm(*marked_rows, ids=None):
    rows = [[n in marked for n in SEGMENT_IDS] for marked in marked_rows]
    return pd.DataFrame(rows, columns=list(SEGMENT_IDS), index=ids)


def test_score_cohort_reads_cbm_frames_through_the_crosswalk_and_keeps_ids(G) -> None:
    # lateral heel and calf on the regions, back of the lower leg and sole on the CBM
    maps = cbm({233, 237}, {115, 125}, set(), ids=pd.Index(["a", "b", "c"], name="PATIENT_NUM"))
    cohort = mg.score_cohort(G, maps)
    from myofascial_graph.registry import segment_matrix

    regions, _ = segment_matrix("regions")
    rows = [{"calf", "sole"}, {"anterior_forearm", "palm"}, set()]
    by_regions = mg.score_cohort(G, pd.DataFrame([[r in row for r in regions] for row in rows],
                                                 columns=list(regions)))  # fmt: skip
    assert cohort.best == by_regions.best == [by_regions.best[0], by_regions.best[1], None]
    assert cohort.best[0] in ("S1", "S2") and cohort.best[1] in ("C6", "C7", "C8")
    assert cohort.ids.tolist() == ["a", "b", "c"] and cohort.top(3)[2] == ()
    import numpy as np

    assert np.allclose(cohort.scores[:2], by_regions.scores[:2])
    frame = cohort.to_frame()
    assert frame.index.name == "PATIENT_NUM" and frame.loc["c", "best"] is None
    assert frame.loc["a", "best"] == cohort.best[0] and list(frame.columns[:3]) == [
        "best", "second", "third"]  # fmt: skip
    single = mg.score_cohort(G, maps, dtype="float32")
    assert single.scores.dtype == np.float32 and single.best == cohort.best
    assert np.allclose(single.scores, cohort.scores, atol=1e-5)


def test_an_all_zero_map_has_no_best_root(G) -> None:
    import numpy as np

    cohort = mg.score_cohort(G, np.zeros((2, 2), dtype=bool), regions=["thumb", "calf"])
    assert cohort.best == [None, None]
    assert mg.score_cohort(G, [[]]).best == [None]


def test_chunk_must_be_a_whole_number(G) -> None:
    for bad in (0, -1, 2.5, True):
        with pytest.raises(mg.InvalidArgumentError, match="chunk must be a whole number"):
            mg.score_cohort(G, [["thumb"]], chunk=bad)


def test_wpi_and_generalized_pain_of_cbm_frames() -> None:
    whole = {105, 207, 210, 211, 214, 217, 220, 218, 223, 224, 228, 229, 233, 234, 103, 104,
             108, 116, 212}  # fmt: skip
    maps = cbm({218, 219}, {103, 207, 223, 224, 212}, whole, set(), ids=[10, 11, 12, 13])
    wpi = mg.widespread_pain_index(maps)
    assert wpi.to_dict() == {10: 1, 11: 5, 12: 19, 13: 0}
    # 11: jaw and shoulder on the left upper region... jaw does not count; left upper (shoulder),
    # left and right lower (buttocks), axial (upper back): 4 regions
    assert mg.generalized_pain(maps).to_dict() == {10: False, 11: True, 12: True, 13: False}
    assert mg.widespread_pain_index(["neck"]) == 1
    with pytest.raises(mg.InvalidArgumentError, match="74 CBM segment ids"):
        mg.widespread_pain_index(pd.DataFrame({"neck": [True]}))


# Dask: the same scores, partition by partition, on a LocalCluster ------------------------


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_score_cohort_on_a_dask_cluster_matches_pandas(G, dask_client, tmp_path) -> None:
    import dask.array as da
    import dask.dataframe as dd
    import numpy as np

    rng = np.random.default_rng(15)
    maps = cbm(*({int(n) for n in rng.choice(SEGMENT_IDS, size=k)} for k in [0, 1, 3, 7, 12] * 8),
               ids=pd.Index(range(100, 140), name="PATIENT_NUM"))  # fmt: skip
    expected = mg.score_cohort(G, maps).to_frame()
    maps.columns = maps.columns.astype(str)  # Dask and Parquet want string column names
    lazy = mg.score_cohort(G, dd.from_pandas(maps, npartitions=4))
    assert lazy.npartitions == 4
    found = dask_client.compute(lazy).result()
    assert found.index.tolist() == expected.index.tolist()
    assert found["best"].fillna("-").tolist() == expected["best"].fillna("-").tolist()
    assert pd.isna(found.loc[100, "best"]) and expected.loc[100, "best"] is None
    assert np.allclose(found[list(expected.columns[3:])], expected.iloc[:, 3:])
    maps.reset_index().to_parquet(tmp_path / "maps.parquet")  # Parquet in and out
    scored = mg.score_cohort(G, dd.read_parquet(tmp_path / "maps.parquet", index="PATIENT_NUM"))
    scored.to_parquet(tmp_path / "scores")
    back = pd.read_parquet(tmp_path / "scores")
    assert back.loc[139, "best"] == expected.loc[139, "best"]
    array = da.from_array(maps.to_numpy(), chunks=(10, 74))
    scores = mg.score_cohort(G, array, regions=list(maps.columns)).compute()
    assert np.allclose(scores, expected.iloc[:, 3:].to_numpy())


# the shipped cohort ----------------------------------------------------------------------


def test_the_shipped_cohort_is_the_published_table_with_its_citation() -> None:
    import gzip
    import lzma
    from pathlib import Path

    from myofascial_graph.datasets import CHOIR_ALTER2021_CITATION, dataset_path

    table = mg.datasets.choir_alter2021()
    assert table.shape == (21659, 92) and table["PATIENT_NUM"].notna().sum() == 21658
    assert (
        "CC BY 4.0" in CHOIR_ALTER2021_CITATION
        and "e0254862" in mg.datasets.choir_alter2021.__doc__
    )
    shared = Path("/work/shared/datasets/choir_alter2021/pain.csv.gz")
    if shared.is_file():  # the copy is the published table, byte for byte
        shipped = lzma.decompress(dataset_path("choir_alter2021.csv.xz").read_bytes())
        assert shipped == gzip.decompress(shared.read_bytes())
    with pytest.warns(mg.MissingCellsWarning, match=r"1 empty row\(s\) skipped"):
        maps = mg.read_choir(table)
    assert maps.shape == (21658, 74) and maps.index.name == "PATIENT_NUM"
    # the lower back is the most marked segment, on both sides (Alter et al. 2021, Fig 1)
    assert set(maps.mean().nlargest(2).index) == {218, 219}


# cohort pictures -------------------------------------------------------------------------


def test_draw_cohort_shades_segments_by_share_and_draws_the_root_overlap(G) -> None:
    import matplotlib
    from matplotlib.colors import to_rgba

    matplotlib.use("Agg")
    maps = cbm({218, 219, 223}, {218, 219}, {218, 101}, set())  # 218 in 3 of 4 maps, 101 in 1
    ax = mg.draw_cohort(maps, G=G)
    faces = {p.get_gid(): p.get_facecolor() for p in ax.patches if p.get_gid()}
    assert len(faces) == 74 and faces["218"] != faces["101"] != faces["135"]
    assert faces["135"] == to_rgba(matplotlib.colormaps["YlOrRd"](0.0))
    texts = {t.get_gid(): t.get_text() for t in ax.texts if str(t.get_gid()).startswith("share")}
    assert texts["share:218"] == "75%" and texts["share:101"] == "25%"
    assert ax.get_title().startswith("4 patients: share marking each CHOIR body-map segment")
    bars = [a for a in ax.figure.axes if a.get_title() == "what each root's trace explains"]
    assert len(bars) == 1 and len(bars[0].patches) == 31
    overlap = mg.root_overlap(G, maps)
    assert overlap.index.tolist()[:2] == ["C1", "C2"] and (overlap["wholly"] <= 1).all()
    assert (overlap["wholly"] <= overlap["mean_share"] + 1e-9).all()
    alone = mg.draw_cohort(maps, sex="female", overlap=False, labels=False)
    assert len(alone.figure.axes) == 2 and not [t for t in alone.texts if t.get_gid()]  # + bar
    with pytest.raises(ValueError, match="sex"):
        mg.draw_cohort(maps, sex="other")
    with pytest.raises(mg.InvalidArgumentError, match="CBM maps"):
        mg.draw_cohort(pd.DataFrame({"neck": [True]}))


def test_committed_json_schema_is_up_to_date_for_the_cbm() -> None:
    # named so that CI's lowest-versions pass skips it, as it skips the other schemas' check:
    # the exact text is pydantic's of the day
    import json

    from myofascial_graph.cbm import choir_json_schema

    committed = json.loads((mg.data_dir() / "schema" / "choir_body_map.schema.json").read_text())
    assert committed == choir_json_schema()


def test_the_cbm_file_satisfies_its_json_schema() -> None:
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from myofascial_graph.yamlio import read_yaml

    committed = json.loads((mg.data_dir() / "schema" / "choir_body_map.schema.json").read_text())
    data = read_yaml(mg.data_dir() / "choir_body_map.yaml").data
    data = json.loads(json.dumps(data))  # integer keys as JSON has them
    jsonschema.validate(data, committed)
