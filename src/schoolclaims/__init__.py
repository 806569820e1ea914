"""schoolclaims: check published claims about Los Angeles schools against archived public data.

Data flows one way: fetch (network, archive) -> extract (one module per source) ->
transform + validate -> data/processed/*.csv -> claims evaluation -> notebooks and charts.
"""

__version__ = "0.1.0"
