"""The applicant conversation as declared steps: one module per flow, one generic driver.

Import :mod:`dialogs.flows.driver` (or :mod:`dialogs.engine`) for ``handle``; this package
module stays empty so that :mod:`dialogs.state` and the flow modules can import its parts
without loading every flow.
"""
