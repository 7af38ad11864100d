"""Teaching notebooks: every lab as the lesson an instructor hands out.

`python -m labs notebook LAB... | --all [-o DIR] [--execute]` writes one
notebook per lab (`notebook.build`), made of the lab's own files: its
docstrings as the story, its `data`, `v1` and `v2` modules as code cells run
as those very modules (`kernel`'s `%%module`), and the harness's training
loops as they are (`source`). `execute` runs a notebook with nbclient.
"""
