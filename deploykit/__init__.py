"""deploykit: the verification machinery behind the todo-list-hackathon suite.

Tests assert; deploykit does. Each module has one job: finding tools, starting the
Docker engine, building images, rendering the chart, running clusters, probing traffic.
"""
