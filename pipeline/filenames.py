"""Names of the files mtqa reads beside a project: the ignore list and the review file.

A module of its own, importing nothing, so that the command line names them in its help without
loading the checks (``mtqa --help`` starts in a fraction of a second).
"""

DEFAULT_IGNORE_FILE = ".mtqa-ignore"
REVIEW_FILE_NAME = ".mtqa-review.yaml"
