"""gunicorn's settings for this project, read by `gunicorn project.wsgi` run from this folder
(`make serve`, the benchmarks). Command-line options add to them."""

from project import serving

# The longest request line gunicorn allows (its default is 4094): a longer URL gets a JSON
# 414 naming the limit (project/serving.py), not gunicorn's HTML page.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

serving.json_error_pages()


def on_starting(server):
    # In the master, before any worker: bad settings or a database that does not answer
    # stop the start with one line.
    serving.check_or_exit()
