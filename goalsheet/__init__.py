"""goalsheet: an Amazon seller's workbook in, an annual plan workbook out.

The pipeline, one module (or package) a stage, data flowing one way:

    inputs/   read + validate   workbook -> SellerBook (tables) + problems with Sheet!Cell
    plan/     plan              SellerBook -> Plan (pure computation, SPEC section 3)
    render/   render            template + data -> workbook (knows nothing about sellers)
    report/   write             Plan -> the plan workbook / JSON
    batch/                      inbox/outbox scheduled runs (SPEC section 7)
    cli.py                      the command line, thin
"""
__version__ = "0.1.0"
