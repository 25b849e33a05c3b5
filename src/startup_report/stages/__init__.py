"""One module per stage of the chain, holding what the stage's notebook writes into its `product` folder.

Each module's ``write`` writes exactly the outputs the stage declares in ``startup_report.chain`` (the runner
refuses a stage that misses one; tests/test_stage_outputs.py holds the two equal), so a notebook ends with one
call and no file name is spelled in a notebook.
"""
