"""The data side: attrs models of counties, schools, segments and classes, their units,
and the readers that turn YAML, JSON and spreadsheets into them.
"""
