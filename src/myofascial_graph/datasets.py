"""Real data shipped with the library (pandas, imported when a dataset is read).

* :func:`choir_alter2021`: CHOIR body maps, pain intensity, PROMIS scores, sex
  and age of 21,659 chronic pain patients (Alter et al. 2021, CC BY 4.0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["CHOIR_ALTER2021_CITATION", "choir_alter2021", "dataset_path"]

CHOIR_ALTER2021_CITATION = (
    "Alter BJ, Anderson NP, Gillman AG, Yin Q, Jeong JH, Wasan AD (2021). Hierarchical "
    "clustering by patient-reported pain distribution alone identifies distinct chronic pain "
    "subgroups differing by pain intensity, quality, and clinical outcomes. PLOS ONE 16(8): "
    "e0254862. doi:10.1371/journal.pone.0254862. S1 Dataset, licensed CC BY 4.0."
)
"""How to cite :func:`choir_alter2021` (its licence, CC BY 4.0, asks for this attribution)."""


def dataset_path(name: str) -> Path:
    """The file of a shipped dataset (``data/datasets/`` inside the package).

    Examples
    --------
    >>> dataset_path("choir_alter2021.csv.xz").name
    'choir_alter2021.csv.xz'
    """
    from .loading import data_dir

    path = data_dir() / "datasets" / name
    if not path.is_file():
        raise FileNotFoundError(f"the shipped dataset {name!r} is missing (looked in {path})")
    return path


def choir_alter2021() -> Any:
    """The CHOIR body-map cohort of Alter et al. (2021): 21,659 real patients.

    Patients of the University of Pittsburgh's Collaborative Health Outcomes
    Information Registry (CHOIR), one row each, as published: ``PATIENT_NUM``;
    the CHOIR body-map segments ``X101`` ... ``X238`` (1: painful, 0: not) on
    each patient's own figure (so read them with
    :func:`~myofascial_graph.read_choir`, which renumbers the female figure);
    ``PAIN_INTENSITY_AVERAGE`` (0-10) and its 3-month
    ``PAIN_INTENSITY_AVERAGE.FOLLOW_UP``; PROMIS T-scores (physical function,
    pain behavior, depression, anxiety, sleep disturbance, pain interference);
    PROMIS global mental and physical health (``GH_MENTAL_SCORE``,
    ``GH_PHYSICAL_SCORE``); ``AGE_AT_CONTACT``, ``BMI``, the Charlson
    comorbidity index (``CCI_TOTAL_SCORE``, ``CCI_BIN``), ``PAT_SEX``,
    ``PAT_RACE`` and ``MEDICAID_BIN``.  Some cells are missing, and one row is
    empty, as in the source.

    Source: Alter BJ, Anderson NP, Gillman AG, Yin Q, Jeong JH, Wasan AD
    (2021). *PLOS ONE* 16(8): e0254862, doi:10.1371/journal.pone.0254862,
    S1 Dataset (as redistributed in the R package HDSinRdata).  Licence:
    CC BY 4.0 -- cite it as :data:`CHOIR_ALTER2021_CITATION` when you use it.

    Returns
    -------
    pandas.DataFrame
        21,659 rows, 92 columns.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> table = mg.datasets.choir_alter2021()
    >>> table.shape, int(table["PAT_SEX"].eq("female").sum())
    ((21659, 92), 13102)
    """
    import pandas as pd

    return pd.read_csv(dataset_path("choir_alter2021.csv.xz"))
