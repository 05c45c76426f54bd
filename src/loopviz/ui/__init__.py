"""The Qt user interface of loopviz.

Only this package (and the GUI commands of ``loopviz.cli``) imports Qt. Importing
``loopviz.ui`` itself stays cheap: the widgets live in submodules, and the entry
point is :func:`loopviz.ui.app.run_app`.
"""
