#!/usr/bin/env bash
# Regenerate the images the README shows (run from the repository root after `pip install .`).
set -euo pipefail
myofascial-graph trace S1 --side left --min-score 0.001 --plot docs/images/s1_left_diagram.png \
  --regions buttock:left lateral_thigh:left low_back midback neck lateral_heel:left buttock:right \
  > /dev/null
myofascial-graph body-map S1 --side left --min-score 0.001 --labels -o docs/images/s1_left_body_map.png > /dev/null
python - <<'PY'
import matplotlib
matplotlib.use("Agg")
import myofascial_graph as mg
from myofascial_graph.figures import save_figure
axes = mg.draw_dermatome_maps(mg.load(), "C7", columns=3)
save_figure(axes[0].figure, "docs/images/c7_dermatome_maps.png", dpi=70)
PY

myofascial-graph referral "gluteus minimus" -o docs/images/gluteus_minimus_referral.png > /dev/null

import warnings

import matplotlib

matplotlib.use("Agg")
import myofascial_graph as mg

warnings.simplefilter("ignore", mg.MissingCellsWarning)  # the source's one empty row
ax = mg.draw_cohort(mg.read_choir(mg.datasets.choir_alter2021()))
ax.figure.savefig("docs/images/choir_cohort.png", dpi=90, bbox_inches="tight")
PY
