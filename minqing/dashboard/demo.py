"""The demo's demands are bulk-loaded (appeals/demo.py), bypassing the services' dirty marks: build
the rollups once from them, as after any bulk load."""
from minqing.dashboard.rollups import rollups_rebuild


def build(ctx) -> None:
    rows = rollups_rebuild()
    ctx.log(f"dashboard: {rows} rollup rows")
