"""The PowerPoint deck: slide builders over python-pptx, raw XML kept in :mod:`.oxml`, text measured in :mod:`.textfit`."""
