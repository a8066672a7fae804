"""civgraph: a compliance rules engine over a knowledge graph.

It checks the duties of Xiamen's long-term mechanism for the National Civilized City
title (中共厦门市委 厦门市人民政府《关于建立创建文明城市长效机制的意见》, 2009) as SHACL
shapes over an RDF graph, as of an explicit date, and names who answers for every failure
under clause 5.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
