"""The selection simulation engine (issue 14): strategies, the batch loop and its figures; plain Python, no Django.

``simulation.simulate`` is the job's engine (``settings.BACUDA_ALGORITHM_ENGINES["date_simulate"]``);
``simulation.run`` works on a frame, for tests and benchmarks; ``names`` lists the strategies without importing
the model libraries (the portal's forms and services read it). Kept free of imports here so that reading
``names`` stays light.
"""
