"""Live refresh from the depositaries, import of saved pages and snapshot diff.

Nothing here ever changes a snapshot in place: a refresh builds a whole new snapshot in a staging
folder and swaps it in by rename only when every check passes.
"""
