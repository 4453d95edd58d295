"""Phase 1, parse: rule text → frozen syntax tree (:mod:`.nodes`), and back (:mod:`.printer`).

The only package that imports lark.  :mod:`.diagnostics` renders every problem in
eduint's one error layout.
"""
