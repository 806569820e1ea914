"""Presentation: the house chart style, export and notebook display of a chart (``style``), rated claims and tables
as a notebook shows them (``findings``), and one module per notebook (``funding``, ``schools``, ``class_size``,
``pay``) that builds its charts, alt text and display tables.

Nothing is imported here, so ``import schoolclaims.report`` stays cheap; import the module you need.
"""
