"""Recovery Directory: a static resource directory of peer support meetings,
family groups and treatment centres, built from one YAML file per listing.

The pipeline runs one way: load → validate → enrich → render → index.
"""

__version__ = "0.1.0"
