"""Reading inputs into a Job and writing run outputs."""

from .readers import read_job
from .writers import result_to_dict, write_outputs

__all__ = ["read_job", "result_to_dict", "write_outputs"]
