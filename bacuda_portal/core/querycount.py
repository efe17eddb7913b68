"""Benchmarks only: an ``X-Query-Count`` response header with the number of SQL queries a request ran.

In ``MIDDLEWARE`` only when the setting ``BACUDA_QUERY_COUNT_HEADER`` is on (``benchmarks/load.py`` turns it on for
its gunicorn); never in a normal deployment. Counts with ``connection.execute_wrapper``, so it works with
``DEBUG`` off and costs one function call per query.
"""

from django.db import connections

HEADER = "X-Query-Count"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        # Queries run while a streaming response is consumed are not counted: only what ran in the view.
        response[HEADER] = str(count)
        return response
