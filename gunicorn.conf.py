"""gunicorn settings read from the checkout (gunicorn loads ./gunicorn.conf.py by default).

The access log records the path, never the query string or the referrer: a search box puts what was typed into
the URL (?q=), and that may be a phone or ID number. %(U)s is the path alone; %(r)s, the default, would carry it."""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
