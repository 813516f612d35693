"""Pages of the charity shelf: the resident's (phone first) in resident.py, the shelf keeper's in office.py."""
