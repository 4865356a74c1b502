"""Meta-evaluation: how well each metric, and the error report, agree with human judgements.

``human`` reads MQM, DA/ESA and plain score files; ``weights`` turns MQM errors
into segment scores; ``from_mqm`` scores an MQM file with the metrics and checks;
``from_run`` joins human scores with a saved run report; ``correlation`` holds
the statistics (numpy only) and ``analysis`` adds bootstrap intervals;
``spans`` compares finding spans with MQM spans; ``report`` and ``html_page``
write the outputs. The CLI is ``evalharness meta`` (:mod:`evalharness.cli.meta`).
"""
