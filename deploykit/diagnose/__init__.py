"""What is wrong with a release, said in a few lines: the pods' causes, the evidence a person needs,
the cluster's health, and the report a failed cluster test prints.
"""

__all__ = [
    "clusterhealth",
    "evidence",
    "podcauses",
    "report",
]
